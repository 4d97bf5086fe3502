import { describe, expect, it } from 'vitest';
import { parzenWindow, smoothEdgePadded } from '../../../src/dsp/onset-biosppy.js';
import { relativeError, runScipy } from './scipy-reference.js';
import { gaussian } from './signals.js';

/** numpy convolve(w/Σw, edge-padded x, 'same') cropped back, written out term by term. */
function naive(x: Float64Array, w: Float64Array): Float64Array {
  const n = x.length;
  const m = w.length;
  const sum = w.reduce((a, b) => a + b, 0);
  const shift = Math.floor((m - 1) / 2);
  const at = (j: number): number => x[Math.min(n - 1, Math.max(0, j))] ?? 0;
  return Float64Array.from({ length: n }, (_, t) => {
    let acc = 0;
    for (let i = 0; i < m; i++) acc += ((w[i] ?? 0) / sum) * at(t + shift - i);
    return acc;
  });
}

describe("BioSPPy's boxzen smoothing", () => {
  it('the Parzen window equals scipy.signal.windows.parzen for odd and even lengths', () => {
    const ref = runScipy(`out = {'a': signal.windows.parzen(50), 'b': signal.windows.parzen(101)}`, {});
    expect(relativeError(parzenWindow(50), ref.a ?? [])).toBeLessThan(1e-14);
    expect(relativeError(parzenWindow(101), ref.b ?? [])).toBeLessThan(1e-14);
  });

  it('the O(n) recurrence equals the direct sum for boxcar and Parzen kernels, long and short signals', () => {
    const g = gaussian(3);
    for (const n of [3, 40, 1000, 20_000])
      for (const m of [5, 50, 100]) {
        const x = Float64Array.from({ length: n }, () => Math.abs(g()) * 10 + 5);
        for (const w of [new Float64Array(m).fill(1), parzenWindow(m)]) {
          const fast = smoothEdgePadded(x, w);
          expect(relativeError(fast, naive(x, w))).toBeLessThan(1e-9);
        }
      }
  });

  it('smooths in place exactly as into a new array, across chunk boundaries', () => {
    const g = gaussian(5);
    const x = Float64Array.from({ length: 20_000 }, () => Math.abs(g()) * 10 + 5);
    for (const w of [new Float64Array(100).fill(1), parzenWindow(100), parzenWindow(7)]) {
      const copy = Float64Array.from(x);
      expect(smoothEdgePadded(copy, w, copy)).toEqual(smoothEdgePadded(x, w));
    }
  });
});
