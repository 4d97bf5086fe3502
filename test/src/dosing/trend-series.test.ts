import { describe, expect, it } from 'vitest';
import type { TrendPointLike } from '../../../src/dosing/trend-series.js';
import { comparableGroups, doseResponse, trendLines } from '../../../src/dosing/trend-series.js';

const p = (sessionId: number, over: Partial<TrendPointLike>): TrendPointLike => ({
  sessionId,
  startTimeMs: sessionId * 1000,
  value: 10,
  algorithmVersion: '1',
  protocol: 'passive-stretch',
  muscle: 'gastrocnemius',
  side: 'left',
  phase: 'peak',
  hoursSinceDose: null,
  cRel: null,
  dailyDoseMgPerKg: null,
  itbDailyUg: null,
  ...over,
});

describe('trend lines', () => {
  it('never puts different algorithm versions, protocols or phases on one line', () => {
    const lines = trendLines([
      p(3, {}),
      p(1, {}),
      p(2, { algorithmVersion: '2' }),
      p(4, { protocol: 'pendulum' }),
      p(5, { phase: 'trough' }),
    ]);
    expect(lines.map((l) => l.points.map((q) => q.sessionId))).toHaveLength(4);
    expect(
      lines
        .find(
          (l) =>
            l.key.algorithmVersion === '1' && l.key.phase === 'peak' && l.key.protocol === 'passive-stretch',
        )
        ?.points.map((q) => q.sessionId),
    ).toEqual([1, 3]);
    expect(
      comparableGroups([p(1, {}), p(2, { phase: 'trough' }), p(3, { algorithmVersion: '2' })]).map(
        (g) => g.points.length,
      ),
    ).toEqual([2, 1]);
  });

  it('fits indicator against C_rel per comparable group with Theil–Sen', () => {
    const pts = [0.2, 0.4, 0.6, 0.8, 1.0].map((c, i) => p(i, { cRel: c, value: 50 - 20 * c }));
    pts.push(p(9, { cRel: 0.5, value: 1, algorithmVersion: '2' }), p(10, { cRel: null, value: 99 }));
    const groups = doseResponse(pts, 'cRel');
    expect(groups).toHaveLength(2);
    expect(groups[0]?.fit?.slope).toBeCloseTo(-20, 9);
    expect(groups[0]?.fit?.intercept).toBeCloseTo(50, 9);
    expect(groups[0]?.points).toHaveLength(5);
    expect(groups[1]?.fit).toBeUndefined();
  });
});
