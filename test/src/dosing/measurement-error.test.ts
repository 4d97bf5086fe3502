import { describe, expect, it } from 'vitest';
import {
  MAX_REPEAT_SPAN_MS,
  measurementError,
  MIN_REPEAT_DOF,
} from '../../../src/dosing/measurement-error.js';
import {
  PUBLISHED_MEASUREMENT_ERROR,
  publishedSem,
} from '../../../src/dosing/published-measurement-error.js';

const MDC_PER_SEM = 1.96 * Math.SQRT2;

const DAY_MS = 86_400_000;
/** Test–retest pairs 20 min apart, each on its own day in the pre-dose phase. */
const pairs = (values: readonly (readonly [number, number])[], phase = 'trough') =>
  values.flatMap(([a, b], i) => [
    { timeMs: i * DAY_MS, visit: `2026-09-${String(i + 1).padStart(2, '0')}`, phase, value: a },
    { timeMs: i * DAY_MS + 20 * 60_000, visit: `2026-09-${String(i + 1).padStart(2, '0')}`, phase, value: b },
  ]);

describe('MDC95 from the patient’s own repeated sessions', () => {
  it('five same-day pairs: SEM = √(Σd²/2 / 5), MDC95 = 1.96·√2·SEM', () => {
    // Differences 2, 1, 3, 0, 2: Σd² = 18, within-pair sum of squares 9, 5 degrees of freedom.
    const me = measurementError(
      'rmsHV',
      pairs([
        [10, 12],
        [20, 21],
        [30, 33],
        [5, 5],
        [8, 10],
      ]),
      100,
    );
    expect(me?.source).toBe('own-repeats');
    expect(me?.sem).toBeCloseTo(Math.sqrt(9 / 5), 12);
    expect(me?.mdc95).toBeCloseTo(3.71886, 4);
    expect(me?.own).toEqual({ dof: 5, sessions: 10, sets: 5 });
    expect(me?.ciLow).toBeLessThanOrEqual(me?.mdc95 as number);
    expect(me?.ciHigh).toBeGreaterThanOrEqual(me?.mdc95 as number);
    expect(me?.ciHigh).toBeGreaterThan(me?.ciLow as number);
    expect(me?.published).toBeUndefined();
  });

  it('a set of three counts two degrees of freedom; the bootstrap of equal sets has no spread', () => {
    const values = [
      ...[0, 1, 2].map((i) => ({ timeMs: i * 60_000, visit: '2026-09-01', phase: 'peak', value: 1 + i })),
      ...pairs([
        [4, 6],
        [7, 5],
        [1, 3],
      ]),
    ];
    // Set {1, 2, 3}: SS 2; pairs differing by 2: SS 2 each; 2 + 3 = 5 degrees of freedom, SS 8.
    const me = measurementError('nOsc', values, 0);
    expect(me?.own).toEqual({ dof: 5, sessions: 9, sets: 4 });
    expect(me?.sem).toBeCloseTo(Math.sqrt(8 / 5), 12);
    const equal = measurementError(
      'nOsc',
      pairs([
        [1, 3],
        [5, 7],
        [9, 11],
        [2, 4],
        [6, 8],
      ]),
      0,
    );
    expect(equal?.ciLow).toBeCloseTo(MDC_PER_SEM * Math.SQRT2, 12);
    expect(equal?.ciHigh).toBeCloseTo(MDC_PER_SEM * Math.SQRT2, 12);
  });

  it('sessions of the same day in different dose phases, of one phase on different days, or over an hour apart are not repeats', () => {
    const values = [
      { timeMs: 0, visit: '2026-09-01', phase: 'trough', value: 10 },
      { timeMs: 10 * 60_000, visit: '2026-09-01', phase: 'peak', value: 5 },
      { timeMs: DAY_MS, visit: '2026-09-02', phase: 'trough', value: 11 },
      { timeMs: 2 * DAY_MS, visit: '2026-09-03', phase: 'peak', value: 20 },
      { timeMs: 2 * DAY_MS + MAX_REPEAT_SPAN_MS + 1, visit: '2026-09-03', phase: 'peak', value: 30 },
    ];
    expect(measurementError('rmsHV', values, 100)?.own).toEqual({ dof: 0, sessions: 0, sets: 0 });
    // Within the hour of the set's first session they are; a third one past it starts a new set.
    const day = [0, 30, 60, 70].map((min, i) => ({
      timeMs: min * 60_000,
      visit: '2026-09-01',
      phase: 'peak',
      value: [1, 3, 5, 9][i] as number,
    }));
    // Sets {1, 3, 5} (SS 8) and {9} (alone, left out): 2 degrees of freedom.
    expect(measurementError('rmsHV', day, 100)?.own).toEqual({ dof: 2, sessions: 3, sets: 1 });
  });

  it(`below ${MIN_REPEAT_DOF} repeats: the published value with its source, or nothing`, () => {
    const four = pairs([
      [10, 12],
      [20, 21],
      [30, 33],
      [8, 10],
    ]);
    const me = measurementError('rmsHV', four, 50);
    expect(me?.source).toBe('published');
    // Schless et al. 2015: SEM 20 % of the mean → 10 µV at a mean of 50 µV.
    expect(me?.sem).toBeCloseTo(10, 12);
    expect(me?.mdc95).toBeCloseTo(10 * MDC_PER_SEM, 12);
    expect(me?.published?.citation).toBe('Schless et al. 2015');
    expect(me?.own).toEqual({ dof: 4, sessions: 8, sets: 4 });
    expect(me?.ciLow).toBeUndefined();
    expect(measurementError('aoc', four, 50)?.sem).toBe(3.2);
    expect(measurementError('nOsc', four, 50)).toBeUndefined();
  });

  it('published values: TSRT from ICC 0.55 and SD 12.9°, relative SEMs need a mean', () => {
    expect(publishedSem('tsrt', 0)?.sem).toBeCloseTo(12.9 * Math.sqrt(0.45), 12);
    expect(publishedSem('rmsLV', -40)?.sem).toBeCloseTo(8, 12);
    expect(publishedSem('rmsLV', 0)).toBeUndefined();
    expect(publishedSem('rmsLV', Number.NaN)).toBeUndefined();
    for (const p of Object.values(PUBLISHED_MEASUREMENT_ERROR)) expect(p.citation).toMatch(/ (19|20)\d\d$/);
  });
});
