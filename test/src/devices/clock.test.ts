import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterUnwrapper, SampleClock, StreamClocks } from '../../../src/devices/clock.js';
import type { SampleBlock } from '../../../src/shared/samples.js';

const T0 = 1_700_000_000_000;

const block = (firstSeq: number, n: number): SampleBlock => ({
  streamId: 's',
  firstSeq,
  timestampsMs: new Float64Array(n),
  data: [new Float32Array(n)],
});

/** Simulates a device at `trueRateHz` delivering `chunk` samples per packet, each arriving `latency(i)` ms late. */
function simulate(
  nominalRateHz: number,
  trueRateHz: number,
  seconds: number,
  chunk: number,
  latencyMs: (i: number) => number,
): { clock: SampleClock; errorsMs: number[]; stamps: number[] } {
  const clock = new SampleClock({ nominalRateHz });
  const errorsMs: number[] = [];
  const stamps: number[] = [];
  const total = Math.floor(seconds * trueRateHz);
  for (let first = 0, i = 0; first + chunk <= total; first += chunk, i++) {
    const last = first + chunk - 1;
    const trueLast = T0 + (last * 1000) / trueRateHz;
    clock.observe(last, trueLast + latencyMs(i));
    const s = clock.stamp(block(first, chunk));
    for (let k = 0; k < chunk; k++) {
      const t = s.timestampsMs[k] ?? 0;
      stamps.push(t);
      if (first > trueRateHz * 2) errorsMs.push(t - (T0 + ((first + k) * 1000) / trueRateHz));
    }
  }
  return { clock, errorsMs, stamps };
}

describe('SampleClock', () => {
  it('recovers the true rate and places samples within the minimum latency under random jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2000, max: 2000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (ppm, chunk, jitterMs, seed) => {
          let x = seed;
          const rand = (): number => {
            x = (x * 1103515245 + 12345) % 2147483648;
            return x / 2147483648;
          };
          const trueRate = 250 * (1 + ppm / 1e6);
          const seconds = 30;
          const { clock, errorsMs, stamps } = simulate(
            250,
            trueRate,
            seconds,
            chunk,
            () => 2 + rand() * jitterMs,
          );
          // The envelope can be off by at most the jitter across the fitted span.
          const rateBound = trueRate * ((2 * jitterMs) / ((seconds - 2) * 1000));
          expect(Math.abs(clock.effectiveRateHz - trueRate)).toBeLessThanOrEqual(rateBound);
          // The line sits near the least-delayed chunk (2 ms), not at the mean delay (2 + jitter / 2).
          for (const e of errorsMs) expect(Math.abs(e)).toBeLessThanOrEqual(2 + jitterMs);
          const meanError = errorsMs.reduce((a, b) => a + b, 0) / errorsMs.length;
          expect(meanError).toBeLessThan(2 + jitterMs / 2);
          for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1] ?? 0);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('absorbs bursts (an FTDI-style 16 ms latency timer) without the burst shape reaching the timestamps', () => {
    const trueRate = 250.1;
    const seconds = 40;
    const { clock, stamps } = simulate(250, trueRate, seconds, 1, (i) => {
      const t = (i * 1000) / trueRate;
      return Math.ceil(t / 16) * 16 - t + 1;
    });
    expect(Math.abs(clock.effectiveRateHz - trueRate)).toBeLessThanOrEqual(
      trueRate * (32 / (seconds * 1000)),
    );
    // Arrival stamps would step 0, 0, 0, 16 ms; fitted stamps step by about one period (4 ms).
    const diffs = stamps.slice(1000).map((t, i) => t - (stamps[i + 999] ?? 0));
    for (const d of diffs) expect(Math.abs(d - 1000 / trueRate)).toBeLessThan(1.5);
  });

  it('keeps time across dropped samples (index jumps) instead of compressing them', () => {
    const clock = new SampleClock({ nominalRateHz: 100 });
    for (let n = 0; n < 1000; n++) if (n < 400 || n > 450) clock.observe(n, T0 + n * 10 + 3);
    expect(clock.timeOf(500) - clock.timeOf(300)).toBeCloseTo(2000, 6);
  });

  it('reports nominal rate before it has a second of data, and resets', () => {
    const clock = new SampleClock({ nominalRateHz: 200 });
    clock.observe(0, T0);
    clock.observe(10, T0 + 60);
    expect(clock.effectiveRateHz).toBe(200);
    clock.reset();
    expect(clock.observations).toBe(0);
  });

  it('rejects a non-positive nominal rate', () => {
    expect(() => new SampleClock({ nominalRateHz: 0 })).toThrow(/nominalRateHz/);
  });
});

describe('CounterUnwrapper', () => {
  it('unwraps any counter modulus and counts exactly the values dropped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 100, 256),
        fc.integer({ min: 0, max: 255 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 300 }),
        (modulus, start, gaps) => {
          const u = new CounterUnwrapper(modulus);
          let trueIndex = 0;
          let value = start % modulus;
          expect(u.next(value).index).toBe(0);
          for (const gap of gaps.map((g) => Math.min(g, modulus - 1))) {
            trueIndex += gap + 1;
            value = (value + gap + 1) % modulus;
            const r = u.next(value);
            expect(r).toEqual({ index: trueIndex, gap });
          }
          expect(u.skipped).toBe(trueIndex - gaps.length);
        },
      ),
    );
  });
});

describe('StreamClocks', () => {
  it('stamps each stream with its own clock on the host epoch', () => {
    const clocks = new StreamClocks([
      { id: 'a', sampleRateHz: 100 },
      { id: 's', sampleRateHz: 10 },
    ]);
    const [a, s] = clocks.stampAll([{ ...block(0, 10), streamId: 'a' }, block(0, 1)], T0 + 100);
    expect(a?.timestampsMs[9]).toBeCloseTo(T0 + 100, 6);
    expect(a?.timestampsMs[0]).toBeCloseTo(T0 + 10, 6);
    expect(s?.timestampsMs[0]).toBeCloseTo(T0 + 100, 6);
  });
});
