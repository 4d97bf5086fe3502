import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/dosing/random.js';
import {
  baselineBand,
  judgeChange,
  mdc95,
  mdc95Between,
  phaseBaselines,
  preDosePostDose,
  samePhaseAcrossVisits,
  standardErrorOfMeasurement,
  theilSen,
  therapyWindow,
} from '../../../src/dosing/trend-statistics.js';

describe('measurement error (domain spec §8.2)', () => {
  it('T19: ICC 0.80, SD 10 → SEM 4.47, MDC95 12.40', () => {
    const sem = standardErrorOfMeasurement(10, 0.8);
    expect(sem).toBeCloseTo(4.47, 2);
    expect(mdc95(sem)).toBeCloseTo(12.4, 2);
    expect(() => standardErrorOfMeasurement(10, 1.2)).toThrow(/ICC 1.2/);
  });

  it('flags a change only if |Δ| exceeds MDC95', () => {
    expect(judgeChange(50, 62.5, 12.4).exceedsMdc).toBe(true);
    expect(judgeChange(50, 37.5, 12.4).exceedsMdc).toBe(true);
    expect(judgeChange(50, 62.4, 12.4).delta).toBeCloseTo(12.4, 12);
    expect(judgeChange(50, 62.0, 12.4).exceedsMdc).toBe(false);
  });

  it('builds baseline ± MDC95 from ≥ 2 sessions, from repeat variance or a published ICC', () => {
    expect(baselineBand([10])).toBeUndefined();
    const own = baselineBand([10, 12, 14]);
    expect(own).toMatchObject({ mean: 12, sem: 2, n: 3, semSource: 'repeat' });
    expect(own?.upper).toBeCloseTo(12 + 2.77 * 2, 1);
    const published = baselineBand([10, 12, 14], { icc: 0.8, sd: 10 });
    expect(published?.mdc95).toBeCloseTo(12.4, 2);
    expect(published?.lower).toBeCloseTo(12 - 12.4, 1);
  });
});

describe('baselines per dose phase', () => {
  it('gives each phase its own band, and falls back to pooled within-phase SEM, then to all phases', () => {
    const v = (phase: string, ...values: number[]) => values.map((value) => ({ phase, value }));
    // Troughs SD 2, peaks SD 4 (3 values each): pooled within-phase variance (2·4 + 2·16)/4 = 10.
    const { bands, mdcOf } = phaseBaselines([
      ...v('trough', 40, 42, 44),
      ...v('peak', 26, 30, 34),
      ...v('post-peak', 33),
    ]);
    expect(bands.map((b) => [b.phase, b.source, b.mean, b.sem, b.n])).toEqual([
      ['peak', 'phase', 30, 4, 3],
      ['post-peak', 'pooled-phases', 33, Math.sqrt(10), 1],
      ['trough', 'phase', 42, 2, 3],
    ]);
    expect(mdcOf('trough')).toBeCloseTo(mdc95(2), 12);
    // A phase without baseline sessions still gets an MDC for across-visit judgements.
    expect(mdcOf('absorption')).toBeCloseTo(mdc95(Math.sqrt(10)), 12);
    const single = phaseBaselines([...v('trough', 40), ...v('peak', 30)]);
    expect(single.bands.map((b) => [b.phase, b.source, b.sem])).toEqual([
      ['peak', 'all-phases', Math.SQRT2 * 5],
      ['trough', 'all-phases', Math.SQRT2 * 5],
    ]);
    expect(phaseBaselines(v('trough', 40)).mdcOf('trough')).toBeUndefined();
    expect(mdc95Between(2, 2)).toBeCloseTo(mdc95(2), 12);
    expect(mdc95Between(3, 4)).toBeCloseTo(1.96 * 5, 12);
  });
});

describe('Theil–Sen', () => {
  it('recovers an exact line and ignores a minority of gross outliers', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const y = x.map((v) => 3 - 0.5 * v);
    expect(theilSen(x, y)).toEqual({ slope: -0.5, intercept: 3, n: 20 });
    y[3] = 400;
    y[11] = -900;
    const fit = theilSen(x, y);
    expect(fit?.slope).toBeCloseTo(-0.5, 9);
    expect(fit?.intercept).toBeCloseTo(3, 9);
  });

  it('needs two distinct x values', () => {
    expect(theilSen([1, 1, 1], [1, 2, 3])).toBeUndefined();
  });
});

describe('pre/post comparisons', () => {
  const v = (sessionId: number, visit: string, hour: number, phase: string, value: number) => ({
    sessionId,
    visit,
    timeMs: Date.UTC(2026, 0, 1, hour),
    phase,
    value,
  });

  it('pairs the trough before the peak within a visit and judges it against MDC95', () => {
    const values = [
      v(1, '2026-01-05', 7, 'trough', 40),
      v(2, '2026-01-05', 9, 'peak', 25),
      v(3, '2026-02-05', 7, 'trough', 38),
      v(4, '2026-02-05', 9, 'peak', 33),
      v(5, '2026-03-05', 9, 'peak', 30),
    ];
    const pairs = preDosePostDose(values, 10);
    expect(pairs.map((p) => [p.visit, p.troughSessionId, p.peakSessionId, p.delta, p.exceedsMdc])).toEqual([
      ['2026-01-05', 1, 2, -15, true],
      ['2026-02-05', 3, 4, -5, false],
    ]);
    const itb = [v(7, '2026-04-01', 7, 'baseline', 50), v(8, '2026-04-01', 11, 'peak', 30)];
    expect(
      preDosePostDose(itb, 10).map((p) => [p.troughSessionId, p.peakSessionId, p.delta, p.exceedsMdc]),
    ).toEqual([[7, 8, -20, true]]);
    const across = samePhaseAcrossVisits(values, 10);
    expect(across.filter((c) => c.phase === 'peak').map((c) => [c.fromVisit, c.toVisit, c.delta])).toEqual([
      ['2026-01-05', '2026-02-05', 8],
      ['2026-02-05', '2026-03-05', -3],
    ]);
  });
});

describe('therapy window', () => {
  it('finds the hour after dose where tone is lowest, with a reproducible bootstrap interval', () => {
    const rng = seededRandom(42);
    const points = Array.from({ length: 200 }, () => {
      const h = rng.uniform() * 8;
      return { hoursSinceDose: h, value: 50 - 20 * Math.exp(-((h - 2.2) ** 2) / 0.8) + 3 * rng.normal() };
    });
    const w = therapyWindow(points);
    expect(w).toBeDefined();
    expect(w?.bestHoursSinceDose).toBeGreaterThanOrEqual(1.75);
    expect(w?.bestHoursSinceDose).toBeLessThanOrEqual(2.75);
    expect(w?.ciLowH).toBeLessThanOrEqual(w?.bestHoursSinceDose as number);
    expect(w?.ciHighH).toBeGreaterThanOrEqual(w?.bestHoursSinceDose as number);
    expect(w?.ciHighH).toBeLessThan(4);
    expect(w?.n).toBe(200);
    expect(therapyWindow(points)).toEqual(w);
  });

  it('is less sure with few, noisy sessions and gives up without enough per bin', () => {
    const rng = seededRandom(1);
    const noisy = Array.from({ length: 30 }, () => ({
      hoursSinceDose: rng.uniform() * 8,
      value: 40 + 10 * rng.normal(),
    }));
    const w = therapyWindow(noisy, { binH: 1 });
    expect(w?.stability).toBeLessThan(0.8);
    expect(therapyWindow([{ hoursSinceDose: 1, value: 3 }])).toBeUndefined();
  });
});

describe('Theil–Sen median selection', () => {
  it('matches a sort-based reference on random data, odd and even pair counts', () => {
    const rng = seededRandom(9);
    for (const n of [2, 3, 4, 5, 17, 40]) {
      const x = Array.from({ length: n }, () => Math.round(rng.uniform() * 20));
      const y = Array.from({ length: n }, () => rng.normal());
      const slopes: number[] = [];
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++)
          if (x[j] !== x[i])
            slopes.push(((y[j] as number) - (y[i] as number)) / ((x[j] as number) - (x[i] as number)));
      slopes.sort((a, b) => a - b);
      const m = slopes.length;
      const expected =
        m === 0
          ? undefined
          : m % 2
            ? slopes[(m - 1) / 2]
            : ((slopes[m / 2 - 1] as number) + (slopes[m / 2] as number)) / 2;
      expect(theilSen(x, y)?.slope).toBe(expected);
    }
  });
});
