import { describe, expect, it } from 'vitest';
import { dejitter, synchronizeClock } from '../../../src/io/import/xdf-clock.js';

/** Cases and expected values from pyxdf's test/test_clock_sync.py (xdf-modules/pyxdf, BSD-2-Clause). */
describe('XDF clock synchronisation as pyxdf _clock_sync', () => {
  const cases: [string, number[], number[], number[], number[], [number, number][]][] = [
    [
      'jumps forward, break at the reset',
      [1, 2, 3, 4, 5, 17, 18, 19, 20, 21],
      [1, 6, 17, 22],
      [-1, -1, -12, -12],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [
        [0, 4],
        [5, 9],
      ],
    ],
    [
      'jumps forward, break between resets',
      [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [1, 6, 17, 22],
      [-1, -1, -3, -3],
      [3, 4, 5, 6, 7, 8, 9, 10, 9, 10, 11, 12, 13, 14, 15, 16],
      [
        [0, 7],
        [8, 15],
      ],
    ],
    [
      'jumps backward, break at the reset',
      [17, 18, 19, 20, 21, 1, 2, 3, 4, 5],
      [17, 22, 1, 6],
      [-12, -12, 9, 9],
      [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      [
        [0, 4],
        [5, 9],
      ],
    ],
    [
      'jumps backward, break between resets',
      [17, 18, 19, 20, 21, 22, 23, 24, 1, 2, 3, 4, 5, 6, 7, 8],
      [17, 22, 1, 6],
      [-12, -12, 9, 9],
      [5, 6, 7, 8, 9, 10, 11, 12, 10, 11, 12, 13, 14, 15, 16, 17],
      [
        [0, 7],
        [8, 15],
      ],
    ],
  ];
  it.each(cases)('%s', (_, times, clockTimes, clockValues, expected, segments) => {
    const t = [...times];
    expect(synchronizeClock(t, clockTimes, clockValues)).toEqual(segments);
    t.forEach((v, k) => expect(Math.abs(v - expected[k]!)).toBeLessThan(1e-9));
  });

  it.each([2, 3, 4])('no resets: %i constant offsets shift every stamp by the offset', (n) => {
    for (const value of [-10, -5, 0, 5, 10]) {
      const duration = (n - 1) * 5;
      const times = Array.from({ length: duration }, (_, k) => k);
      const t = [...times];
      const clockTimes = Array.from({ length: n }, (_, k) => k * 5);
      expect(
        synchronizeClock(
          t,
          clockTimes,
          clockTimes.map(() => value),
        ),
      ).toEqual(times.length > 0 ? [[0, times.length - 1]] : []);
      t.forEach((v, k) => expect(Math.abs(v - (times[k]! + value))).toBeLessThan(1e-9));
    }
  });

  it('leaves stamps alone without offsets, and empty streams without segments', () => {
    const t = [0, 1, 2];
    expect(synchronizeClock(t, [], [])).toEqual([]);
    expect(t).toEqual([0, 1, 2]);
    expect(synchronizeClock([], [0, 5], [1, 1])).toEqual([]);
  });
});

describe('XDF dejittering as pyxdf _jitter_removal', () => {
  it('fits a line per segment and splits at breaks over max(1 s, 500 samples)', () => {
    const t = [0, 0.11, 0.19, 0.3, 0.41, 0.5, 60, 60.09, 60.21, 60.3]; // a 59.5 s step > 500 samples at 10 Hz
    const { segments, effectiveRateHz } = dejitter(t, 10);
    expect(segments).toEqual([
      [0, 5],
      [6, 9],
    ]);
    const steps = t.slice(1, 6).map((v, k) => v - t[k]!);
    steps.forEach((s) => expect(s).toBeCloseTo(steps[0]!, 12));
    expect(effectiveRateHz).toBeCloseTo(8 / (t[5]! - t[0]! + t[9]! - t[6]!), 9);
  });
});
