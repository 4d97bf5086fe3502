import { describe, expect, it } from 'vitest';
import { MIN_WINDOW_SESSIONS, slopeEvidence, windowEvidence } from '../../../src/dosing/evidence.js';
import { doseResponse } from '../../../src/dosing/trend-series.js';
import { theilSen } from '../../../src/dosing/trend-statistics.js';

describe('statistics that say how sure they are', () => {
  it('no slope through 2 points: the reason is given instead', () => {
    const e = slopeEvidence([0.2, 0.9], [1500, 600]);
    expect(e.enough).toBe(false);
    expect(e.whyNot).toMatch(/No slope: 2 sessions at 2 different values/);
    expect(e.ciLow).toBeUndefined();
  });

  it('a slope over enough sessions comes with a deterministic bootstrap interval around it', () => {
    const x = [0.1, 0.2, 0.35, 0.5, 0.6, 0.75, 0.9, 1.0];
    const y = x.map((v, i) => 100 - 40 * v + (i % 3) * 2);
    const e = slopeEvidence(x, y);
    expect(e.enough).toBe(true);
    expect(e.n).toBe(8);
    const slope = theilSen(x, y)?.slope ?? NaN;
    expect(e.ciLow).toBeLessThanOrEqual(slope);
    expect(e.ciHigh).toBeGreaterThanOrEqual(slope);
    expect(slopeEvidence(x, y)).toEqual(e);
  });

  it('dose–response withholds the fit below the minimum and says why', () => {
    const base = {
      muscle: 'gastrocnemius',
      side: 'left',
      protocol: 'stretch',
      algorithmVersion: 'a',
      unit: 'uV',
    };
    const points = [0.3, 0.8].map((cRel, i) => ({
      ...base,
      sessionId: i + 1,
      value: 1000 + 1290 * cRel,
      cRel,
    }));
    const [r] = doseResponse(points as never, 'cRel');
    expect(r?.fit).toBeUndefined();
    expect(r?.evidence?.whyNot).toMatch(/needs 5 sessions/);
  });

  it('no therapy window from 7 sessions all 0.96–1.14 h after the dose', () => {
    const hours = [0.96, 1.0, 1.02, 1.05, 1.08, 1.1, 1.14];
    const e = windowEvidence(hours);
    expect(e.enough).toBe(false);
    expect(e.whyNot).toContain(`7 of ${MIN_WINDOW_SESSIONS} sessions`);
    expect(e.whyNot).toContain('only 1 dose phase');
    expect(e.whyNot).toContain('0.96–1.14 h after the dose');
  });

  it('a window from sessions spread over the dosing interval in several phases is stated', () => {
    const e = windowEvidence([0.5, 1, 1.5, 2, 3, 4.5, 5, 6, 7]);
    expect(e.enough).toBe(true);
    expect(e.whyNot).toBeUndefined();
  });
});
