import { oralPhase } from './phases.js';
import { quantileSorted, seededRandom } from './random.js';
import { theilSen } from './trend-statistics.js';

/**
 * How much data a trend statement needs before it is made, and how sure it then is. Below the minimum the
 * statement is withheld and `whyNot` says, in words, what is missing; above it, a seeded (deterministic)
 * bootstrap over sessions gives a 95 % interval.
 */

/** A Theil–Sen slope needs this many sessions, at this many distinct covariate values [P]. */
export const MIN_SLOPE_SESSIONS = 5;
export const MIN_SLOPE_DISTINCT_X = 3;
/**
 * A therapy window needs this many oral-dose sessions, in at least 2 dose phases, spread over at least 2 h of
 * the dosing interval [P]: 7 sessions all recorded 0.96–1.14 h after a dose say nothing about other times.
 */
export const MIN_WINDOW_SESSIONS = 8;
export const MIN_WINDOW_PHASES = 2;
export const MIN_WINDOW_SPAN_H = 2;
export const BOOTSTRAP_DRAWS = 500;
export const BOOTSTRAP_SEED = 7;

export interface Evidence {
  /** Sessions used. */
  n: number;
  /** Sessions needed, and the coverage rule in words. */
  minSessions: number;
  coverage: string;
  enough: boolean;
  /** What is missing, in words; absent when enough. */
  whyNot?: string;
  /** 95 % seeded bootstrap interval of the statement's number (slope, or the window's centre in h). */
  ciLow?: number;
  ciHigh?: number;
}

/** Evidence for a Theil–Sen slope of y on x, with a bootstrap interval of the slope when enough. */
export function slopeEvidence(x: readonly number[], y: readonly number[]): Evidence {
  const n = Math.min(x.length, y.length);
  const distinct = new Set(x.slice(0, n)).size;
  const base = {
    n,
    minSessions: MIN_SLOPE_SESSIONS,
    coverage: `at least ${MIN_SLOPE_DISTINCT_X} different covariate values`,
  };
  if (n < MIN_SLOPE_SESSIONS || distinct < MIN_SLOPE_DISTINCT_X)
    return {
      ...base,
      enough: false,
      whyNot: `No slope: ${n} session${n === 1 ? '' : 's'} at ${distinct} different value${distinct === 1 ? '' : 's'}; a slope needs ${MIN_SLOPE_SESSIONS} sessions at ${MIN_SLOPE_DISTINCT_X} or more.`,
    };
  const rng = seededRandom(BOOTSTRAP_SEED);
  const slopes: number[] = [];
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  for (let d = 0; d < BOOTSTRAP_DRAWS; d++) {
    for (let i = 0; i < n; i++) {
      const k = rng.int(n);
      bx[i] = x[k] as number;
      by[i] = y[k] as number;
    }
    const fit = theilSen(bx, by);
    if (fit) slopes.push(fit.slope);
  }
  slopes.sort((a, b) => a - b);
  return {
    ...base,
    enough: true,
    ciLow: quantileSorted(slopes, 0.025),
    ciHigh: quantileSorted(slopes, 0.975),
  };
}

/** Evidence for a therapy window from the hours since dose of the sessions it would use. */
export function windowEvidence(hoursSinceDose: readonly number[]): Evidence {
  const h = hoursSinceDose.filter(Number.isFinite);
  const n = h.length;
  const phases = new Set(h.map((x) => oralPhase(x))).size;
  const spanH = n > 0 ? Math.max(...h) - Math.min(...h) : 0;
  const base = {
    n,
    minSessions: MIN_WINDOW_SESSIONS,
    coverage: `sessions in at least ${MIN_WINDOW_PHASES} dose phases, spread over at least ${MIN_WINDOW_SPAN_H} h after the dose`,
  };
  const missing: string[] = [];
  if (n < MIN_WINDOW_SESSIONS) missing.push(`${n} of ${MIN_WINDOW_SESSIONS} sessions`);
  if (phases < MIN_WINDOW_PHASES) missing.push(`only ${phases} dose phase${phases === 1 ? '' : 's'}`);
  if (spanH < MIN_WINDOW_SPAN_H)
    missing.push(
      `all recorded within ${spanH.toFixed(1)} h of each other (${Math.min(...h).toFixed(2)}–${Math.max(...h).toFixed(2)} h after the dose)`,
    );
  return missing.length === 0
    ? { ...base, enough: true }
    : {
        ...base,
        enough: false,
        whyNot: `No therapy window: ${missing.join('; ')}. It needs ${MIN_WINDOW_SESSIONS} oral-dose sessions in ${MIN_WINDOW_PHASES} or more dose phases, spread over ${MIN_WINDOW_SPAN_H} h or more.`,
      };
}
