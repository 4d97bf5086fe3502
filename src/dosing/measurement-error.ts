/**
 * The smallest real change (MDC95) of one indicator for one patient (domain spec §8.2): from the patient's
 * own repeated sessions where there are enough, otherwise the published value with its source
 * ({@link PUBLISHED_MEASUREMENT_ERROR}), otherwise nothing (the caller then keeps the spread of the baseline
 * sessions and says so).
 */
import { BOOTSTRAP_DRAWS, BOOTSTRAP_SEED } from './evidence.js';
import { publishedSem, type PublishedMeasurementError } from './published-measurement-error.js';
import { quantileSorted, seededRandom } from './random.js';
import { mdc95 } from './trend-statistics.js';

/**
 * Own repeats needed before the patient's own SEM replaces the published one: degrees of freedom
 * Σ(nᵢ − 1) over the repeat sets, i.e. sessions beyond the first of each set [P]. With 5, the 95 % interval of
 * an SD estimated from them still spans 0.62–2.45 × the estimate (χ² with 5 degrees of freedom), which is
 * why the bootstrap interval is shown beside it; fewer would make the patient's own value less trustworthy
 * than a published one.
 */
export const MIN_REPEAT_DOF = 5;

/**
 * Longest time from the first session of a repeat set to a later one [P]: tone follows the baclofen
 * concentration within a dose phase too (a peak at 1 h and one at 2.5 h differ by the drug's effect), so only
 * sessions recorded close together are taken as measuring the same true tone.
 */
export const MAX_REPEAT_SPAN_MS = 60 * 60_000;

/** One session's value with what makes two sessions repeats of each other. */
export interface RepeatCandidate {
  /** Session start. */
  timeMs: number;
  /** Local calendar day of the session (yyyy-mm-dd). */
  visit: string;
  /** Dose phase (`trough`, `peak`, …; ITB phases). */
  phase: string;
  value: number;
}

/**
 * Repeat sets: finite values of one visit and phase whose sessions start within {@link MAX_REPEAT_SPAN_MS}
 * of the set's first, in time order; only sets of two or more, in a stable order.
 */
function repeatSets(values: readonly RepeatCandidate[]): number[][] {
  const byKey = new Map<string, RepeatCandidate[]>();
  for (const v of values) {
    if (!Number.isFinite(v.value) || !Number.isFinite(v.timeMs)) continue;
    const key = `${v.visit}\u0001${v.phase}`;
    const list = byKey.get(key);
    if (list) list.push(v);
    else byKey.set(key, [v]);
  }
  const sets: number[][] = [];
  for (const [, list] of [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    let firstMs = Number.NEGATIVE_INFINITY;
    let set: number[] = [];
    for (const v of list) {
      if (v.timeMs - firstMs > MAX_REPEAT_SPAN_MS) {
        if (set.length >= 2) sets.push(set);
        set = [];
        firstMs = v.timeMs;
      }
      set.push(v.value);
    }
    if (set.length >= 2) sets.push(set);
  }
  return sets;
}

function pooledWithinSd(sets: readonly (readonly number[])[]): { sd: number; dof: number } | undefined {
  let ss = 0;
  let dof = 0;
  for (const set of sets) {
    const m = set.reduce((s, x) => s + x, 0) / set.length;
    for (const x of set) ss += (x - m) ** 2;
    dof += set.length - 1;
  }
  return dof > 0 ? { sd: Math.sqrt(ss / dof), dof } : undefined;
}

/** Where an MDC95 comes from. */
export type MdcSource = 'own-repeats' | 'published';

/** The measurement error used to judge changes of one indicator for one patient. */
export interface MeasurementError {
  source: MdcSource;
  sem: number;
  /** 1.96·√2·SEM. */
  mdc95: number;
  /** The patient's own repeats, also when too few to be used (then `source` is `published`). */
  own: { dof: number; sessions: number; sets: number };
  /** Repeats needed ({@link MIN_REPEAT_DOF}). */
  minDof: number;
  /** With own repeats: 2.5–97.5 % seeded bootstrap interval of MDC95, resampling whole repeat sets. */
  ciLow?: number;
  ciHigh?: number;
  /** With a published value: where it comes from. */
  published?: PublishedMeasurementError;
}

/**
 * MDC95 = 1.96·√2·SEM of `indicatorId` from the patient's own repeated sessions when they give at least
 * {@link MIN_REPEAT_DOF} degrees of freedom, with a 95 % bootstrap interval that resamples whole repeat sets
 * (seeded, so the same data gives the same interval); with fewer, the published SEM ({@link publishedSem};
 * `mean` scales a relative one); undefined when there are too few own repeats and nothing is published.
 *
 * Repeated sessions: values of one comparable group (same indicator, muscle, side, protocol and algorithm
 * version — the caller's grouping) recorded on the same day in the same dose phase and within
 * {@link MAX_REPEAT_SPAN_MS} of the first of them, so that true tone is taken as unchanged between them and
 * their spread is measurement error. SEM = √(Σᵢ Σⱼ (xᵢⱼ − x̄ᵢ)² /
 * Σᵢ (nᵢ − 1)), the square root of the within-set mean square of a one-way ANOVA (Weir 2005, J Strength
 * Cond Res 19:231, "SEM = √MS_E"); for test–retest pairs this is the root mean square of the differences
 * divided by √2.
 */
export function measurementError(
  indicatorId: string,
  values: readonly RepeatCandidate[],
  mean: number,
): MeasurementError | undefined {
  const sets = repeatSets(values);
  const pooled = pooledWithinSd(sets);
  const own = {
    dof: pooled?.dof ?? 0,
    sessions: sets.reduce((n, s) => n + s.length, 0),
    sets: sets.length,
  };
  if (pooled && pooled.dof >= MIN_REPEAT_DOF) {
    const rng = seededRandom(BOOTSTRAP_SEED);
    const draws: number[] = [];
    const resample: number[][] = new Array<number[]>(sets.length);
    for (let d = 0; d < BOOTSTRAP_DRAWS; d++) {
      for (let i = 0; i < sets.length; i++) resample[i] = sets[rng.int(sets.length)] as number[];
      const r = pooledWithinSd(resample);
      if (r) draws.push(mdc95(r.sd));
    }
    draws.sort((a, b) => a - b);
    return {
      source: 'own-repeats',
      sem: pooled.sd,
      mdc95: mdc95(pooled.sd),
      own,
      minDof: MIN_REPEAT_DOF,
      ciLow: quantileSorted(draws, 0.025),
      ciHigh: quantileSorted(draws, 0.975),
    };
  }
  const published = publishedSem(indicatorId, mean);
  if (!published) return undefined;
  return {
    source: 'published',
    sem: published.sem,
    mdc95: mdc95(published.sem),
    own,
    minDof: MIN_REPEAT_DOF,
    published: published.source,
  };
}
