import { describe, expect, it } from 'vitest';
import type { DoseResponse, TherapyWindow, Trend } from '../../renderer/trends-format.js';
import { glanceInUnit, responsesInUnit, trendInUnit, windowsInUnit } from '../../renderer/trends-units.js';

const key = {
  muscle: 'gastrocnemius',
  side: 'left',
  protocol: 'passive-stretch-fast',
  algorithmVersion: '1',
};
const R = Math.PI / 180;

function point(sessionId: number, value: number, unit: string): Trend['lines'][number]['points'][number] {
  return {
    sessionId,
    startTimeMs: sessionId * 86_400_000,
    start: '2026-09-01T10:00:00.000+02:00',
    value,
    unit,
    n: 3,
    cv: 0.1,
    phase: 'trough',
    hoursSinceDose: 2,
    cRel: 0.5,
    dailyDoseMgPerKg: null,
    itbDailyUg: null,
  };
}

function trendOf(unit: string): Trend {
  const judged = { before: 40, after: 30, delta: -10, mdc95: 6, exceedsMdc: true };
  return {
    patientCode: 'TR-001',
    indicator: 'aoc',
    lines: [{ key: { ...key, phase: 'trough' }, points: [point(1, 40, unit), point(2, 30, unit)] }],
    doseEvents: [],
    baselines: [
      { key, mean: 35, sem: 2, mdc95: 6, lower: 29, upper: 41, n: 2, phase: 'trough', source: 'phase' },
    ],
    measurementErrors: [
      {
        key,
        source: 'own-repeats',
        sem: 2,
        mdc95: 6,
        ciLow: 4,
        ciHigh: 9,
        ownRepeats: 6,
        repeatSessions: 12,
        minRepeats: 5,
      },
    ],
    sideEffects: [],
    acrossVisits: [{ ...judged, key, phase: 'trough', fromVisit: '2026-09-01', toVisit: '2026-09-08' }],
    alerts: [],
    prePost: [{ ...judged, key, visit: '2026-09-01', troughSessionId: 1, peakSessionId: 2 }],
  };
}

describe('trend answers in the chosen angle unit', () => {
  it('scales every value of an angle trend to radians, and labels its points rad', () => {
    const t = trendInUnit(trendOf('deg'), 'rad');
    expect(t.lines[0]?.points.map((p) => p.value)).toEqual([40 * R, 30 * R]);
    expect(t.lines[0]?.points.map((p) => p.unit)).toEqual(['rad', 'rad']);
    const b = t.baselines[0];
    expect([b?.mean, b?.sem, b?.mdc95, b?.lower, b?.upper]).toEqual([35 * R, 2 * R, 6 * R, 29 * R, 41 * R]);
    const m = t.measurementErrors[0];
    expect([m?.sem, m?.mdc95, m?.ciLow, m?.ciHigh]).toEqual([2 * R, 6 * R, 4 * R, 9 * R]);
    expect([m?.ownRepeats, m?.repeatSessions, m?.minRepeats]).toEqual([6, 12, 5]);
    for (const c of [t.acrossVisits[0], t.prePost[0]]) {
      expect([c?.before, c?.after, c?.delta, c?.mdc95]).toEqual([40 * R, 30 * R, -10 * R, 6 * R]);
      expect(c?.exceedsMdc).toBe(true);
    }
    // Times, hours since dose, C_rel and counts are not angles.
    expect(t.lines[0]?.points[0]).toMatchObject({
      startTimeMs: 86_400_000,
      hoursSinceDose: 2,
      cRel: 0.5,
      n: 3,
    });
  });

  it('returns degrees and non-angular trends unchanged', () => {
    const deg = trendOf('deg');
    expect(trendInUnit(deg, 'deg')).toBe(deg);
    const emg = trendOf('uV');
    expect(trendInUnit(emg, 'rad')).toBe(emg);
  });

  it('converts angular velocity trends to rad/s', () => {
    const t = trendInUnit(trendOf('deg/s'), 'rad');
    expect(t.lines[0]?.points[0]?.unit).toBe('rad/s');
    expect(t.lines[0]?.points[0]?.value).toBeCloseTo(40 * R, 12);
  });

  it('scales dose–response y values and slopes (still per hour), not the hours', () => {
    const responses: DoseResponse[] = [
      {
        key,
        covariate: 'hoursSinceDose',
        fit: { slope: -3, intercept: 45, n: 2 },
        points: [
          { sessionId: 1, x: 1, y: 42 },
          { sessionId: 2, x: 3, y: 36 },
        ],
      },
    ];
    const [r] = responsesInUnit(responses, 'deg', 'rad');
    expect(r?.points).toEqual([
      { sessionId: 1, x: 1, y: 42 * R },
      { sessionId: 2, x: 3, y: 36 * R },
    ]);
    expect(r?.fit).toEqual({ slope: -3 * R, intercept: 45 * R, n: 2 });
    expect(responsesInUnit(responses, 'uV', 'rad')).toEqual(responses);
    expect(responsesInUnit(responses, 'deg', 'deg')).toEqual(responses);
  });

  it('scales therapy-window medians and spreads, not the hours', () => {
    const w: TherapyWindow = {
      key,
      bestHoursSinceDose: 2.25,
      bestBinStartH: 2,
      bestBinEndH: 2.5,
      bestMedian: 30,
      nInBest: 4,
      iqrInBest: 5,
      n: 12,
      ciLowH: 1.5,
      ciHighH: 3,
      stability: 0.8,
      bins: [
        { startH: 2, endH: 2.5, n: 4, median: 30 },
        { startH: 2.5, endH: 3, n: 0, median: null },
      ],
    };
    const [r] = windowsInUnit([w], 'deg', 'rad');
    expect(r).toMatchObject({ bestMedian: 30 * R, iqrInBest: 5 * R, bestBinStartH: 2, ciHighH: 3 });
    expect(r?.bins.map((b) => b.median)).toEqual([30 * R, null]);
  });

  it('converts a patient glance with its change since the previous session', () => {
    const glance = {
      id: 'aoc',
      unit: 'deg',
      muscle: null,
      side: null,
      phase: 'trough',
      recent: [
        { startTimeMs: 1, value: 40 },
        { startTimeMs: 2, value: 30 },
      ],
      delta: -10,
    };
    const g = glanceInUnit(glance, 'rad');
    expect(g.unit).toBe('rad');
    expect(g.recent.map((r) => r.value)).toEqual([40 * R, 30 * R]);
    expect(g.delta).toBe(-10 * R);
    expect(glanceInUnit({ ...glance, unit: 'uV' }, 'rad').recent[0]?.value).toBe(40);
  });
});
