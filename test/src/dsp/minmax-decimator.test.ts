import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinMaxDecimator } from '../../../src/dsp/minmax-decimator.js';

/** Reference: column k covers samples [floor(k·spc), floor((k+1)·spc)). */
function reference(x: Float32Array, spc: number): { min: number[]; max: number[] } {
  const min: number[] = [];
  const max: number[] = [];
  for (let k = 0; ; k++) {
    const a = Math.floor(k * spc);
    const b = Math.max(a + 1, Math.floor((k + 1) * spc));
    if (b > x.length) break;
    const part = Array.from(x.subarray(a, b));
    min.push(Math.min(...part));
    max.push(Math.max(...part));
  }
  return { min, max };
}

const signal = (n: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 100 + (i % 7));

describe('MinMaxDecimator', () => {
  it('keeps the true minimum and maximum of every column (fractional samples per column)', () => {
    const x = signal(1000);
    const d = new MinMaxDecimator(1, 7.3);
    d.push([x]);
    const out = d.take();
    const ref = reference(x, 7.3);
    expect(out.firstColumn).toBe(0);
    expect(Array.from(out.min)).toEqual(ref.min.map(Math.fround));
    expect(Array.from(out.max)).toEqual(ref.max.map(Math.fround));
  });

  it('gives identical columns whatever the block boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        (sizes, spc) => {
          const x = signal(sizes.reduce((a, b) => a + b, 0));
          const whole = new MinMaxDecimator(2, spc);
          whole.push([x, x.map((v) => -v)]);
          const split = new MinMaxDecimator(2, spc);
          const mins: number[][] = [[], []];
          let at = 0;
          for (const n of sizes) {
            split.push([x.subarray(at, at + n), x.subarray(at, at + n).map((v) => -v)]);
            at += n;
            const part = split.take();
            for (let c = 0; c < 2; c++)
              mins[c]?.push(...part.min.subarray(c * part.columns, (c + 1) * part.columns));
          }
          const all = whole.take();
          for (let c = 0; c < 2; c++)
            expect(mins[c]).toEqual(Array.from(all.min.subarray(c * all.columns, (c + 1) * all.columns)));
        },
      ),
    );
  });

  it('numbers columns continuously across takes and restarts at 0 after reset()', () => {
    const d = new MinMaxDecimator(1, 10);
    d.push([signal(35)]);
    expect(d.take()).toMatchObject({ firstColumn: 0, columns: 3 });
    d.push([signal(25)]);
    expect(d.take()).toMatchObject({ firstColumn: 3, columns: 3 });
    d.reset();
    d.push([signal(20)]);
    expect(d.take()).toMatchObject({ firstColumn: 0, columns: 2 });
  });
});
