import { describe, expect, it } from 'vitest';
import { spliceOut } from '../../../src/indicators/discontinuities.js';

describe('spliceOut', () => {
  it('drops the samples of each span (merging overlaps) and maps indices both ways', () => {
    const x = Float64Array.from({ length: 20 }, (_, i) => i);
    // 10 Hz: spans 0.3–0.5 s and 0.45–0.7 s merge into samples 3..6; 1.5 s to past the end drops 15..19.
    const s = spliceOut(20, 10, [
      { startS: 0.3, endS: 0.5 },
      { startS: 0.45, endS: 0.7 },
      { startS: 1.5, endS: 9 },
    ]);
    if (!s) throw new Error('nothing spliced');
    expect(s.kept).toEqual([
      [0, 3],
      [7, 15],
    ]);
    expect(Array.from(s.take(x))).toEqual([0, 1, 2, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(s.length).toBe(11);
    expect([0, 2, 3, 10, 11].map((j) => s.toOriginal(j))).toEqual([0, 2, 7, 14, 15]);
    expect([0, 3, 5, 7, 14, 19].map((i) => s.toSpliced(i))).toEqual([0, 3, 3, 3, 10, 11]);
  });

  it('is undefined when no sample falls in a span', () => {
    expect(spliceOut(20, 10, [])).toBeUndefined();
    expect(spliceOut(20, 10, [{ startS: 5, endS: 6 }])).toBeUndefined();
    expect(spliceOut(20, 10, undefined)).toBeUndefined();
  });
});
