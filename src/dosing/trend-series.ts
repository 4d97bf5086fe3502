/**
 * Shapes trend points into what the trend views draw (domain spec §8.2): separate lines per muscle, side,
 * protocol, algorithm version and dose phase, never joining values computed differently; dose–response
 * fits per comparable group.
 */
import type { TheilSenFit } from './trend-statistics.js';
import { slopeEvidence, type Evidence } from './evidence.js';
import { theilSen } from './trend-statistics.js';

/** The fields of a stored trend point these functions use. */
export interface TrendPointLike {
  sessionId: number;
  startTimeMs: number;
  value: number;
  algorithmVersion: string;
  protocol: string;
  muscle: string | null;
  side: string | null;
  phase: string;
  hoursSinceDose: number | null;
  cRel: number | null;
  dailyDoseMgPerKg: number | null;
  itbDailyUg: number | null;
}

/** What makes values comparable: same muscle, side, protocol and algorithm version. */
export interface ComparableKey {
  muscle: string | null;
  side: string | null;
  protocol: string;
  algorithmVersion: string;
}

export interface TrendLine<P extends TrendPointLike> {
  key: ComparableKey & { phase: string };
  points: P[];
}

/** Grouping key: U+0001 separates the fields and U+0002 stands for null (neither occurs in identifiers). */
const keyText = (k: ComparableKey): string =>
  `${k.muscle ?? '\u0002'}\u0001${k.side ?? '\u0002'}\u0001${k.protocol}\u0001${k.algorithmVersion}`;
const keyOf = (p: TrendPointLike): ComparableKey => ({
  muscle: p.muscle,
  side: p.side,
  protocol: p.protocol,
  algorithmVersion: p.algorithmVersion,
});

/**
 * Splits points into lines by comparable key and phase; points within a line are in time order. Lines are
 * ordered by muscle, side, protocol, algorithm version and phase so output is stable.
 */
export function trendLines<P extends TrendPointLike>(points: readonly P[]): TrendLine<P>[] {
  const lines = new Map<string, TrendLine<P>>();
  for (const p of points) {
    const text = `${keyText(p)}\u0001${p.phase}`;
    let line = lines.get(text);
    if (!line) {
      line = { key: { ...keyOf(p), phase: p.phase }, points: [] };
      lines.set(text, line);
    }
    line.points.push(p);
  }
  for (const l of lines.values()) l.points.sort((a, b) => a.startTimeMs - b.startTimeMs);
  return [...lines.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, l]) => l);
}

/** The covariate on the x axis of a dose–response view. */
export type DoseCovariate = 'hoursSinceDose' | 'cRel' | 'dailyDoseMgPerKg' | 'itbDailyUg';

export interface DoseResponse {
  key: ComparableKey;
  covariate: DoseCovariate;
  /** Undefined below the evidence minimum ({@link slopeEvidence}): no slope is stated then. */
  fit?: TheilSenFit;
  /** Sessions, coverage, bootstrap interval of the slope, and why there is no slope. */
  evidence?: Evidence;
  points: { sessionId: number; x: number; y: number }[];
}

/** Per comparable group: indicator against the covariate with a Theil–Sen line. Points without it are left out. */
export function doseResponse(points: readonly TrendPointLike[], covariate: DoseCovariate): DoseResponse[] {
  const groups = new Map<string, DoseResponse>();
  for (const p of points) {
    const x = p[covariate];
    if (x === null || !Number.isFinite(x)) continue;
    const text = keyText(p);
    let g = groups.get(text);
    if (!g) {
      g = { key: keyOf(p), covariate, points: [] };
      groups.set(text, g);
    }
    g.points.push({ sessionId: p.sessionId, x, y: p.value });
  }
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, g]) => {
      const xs = g.points.map((q) => q.x);
      const ys = g.points.map((q) => q.y);
      const evidence = slopeEvidence(xs, ys);
      const fit = evidence.enough ? theilSen(xs, ys) : undefined;
      return fit ? { ...g, fit, evidence } : { ...g, evidence };
    });
}

/** Comparable groups of a set of points (for pre/post and therapy-window analyses run per group). */
export function comparableGroups<P extends TrendPointLike>(
  points: readonly P[],
): { key: ComparableKey; points: P[] }[] {
  const groups = new Map<string, { key: ComparableKey; points: P[] }>();
  for (const p of points) {
    const text = keyText(p);
    let g = groups.get(text);
    if (!g) {
      g = { key: keyOf(p), points: [] };
      groups.set(text, g);
    }
    g.points.push(p);
  }
  return [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, g]) => g);
}
