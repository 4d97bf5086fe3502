/**
 * Statistics behind the trend views, domain spec §8.2: Theil–Sen slope, SEM and MDC95, baseline ± MDC95,
 * pre/post comparisons judged against MDC95, and the patient's own therapy window.
 */
import { median, quantileSorted, seededRandom } from './random.js';

/** A robust line y = intercept + slope·x. */
export interface TheilSenFit {
  slope: number;
  intercept: number;
  n: number;
}

/**
 * Theil–Sen estimator: slope = median of pairwise slopes over pairs with distinct x; intercept = median of
 * y − slope·x. Needs at least two distinct x values, otherwise returns undefined. O(n²) pairs.
 */
export function theilSen(x: readonly number[], y: readonly number[]): TheilSenFit | undefined {
  const n = Math.min(x.length, y.length);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (x[j] as number) - xi;
      if (dx !== 0) slopes[count++] = ((y[j] as number) - yi) / dx;
    }
  }
  if (count === 0) return undefined;
  const slope = medianInPlace(slopes.subarray(0, count));
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = (y[i] as number) - slope * (x[i] as number);
  return { slope, intercept: medianInPlace(residuals), n };
}

/** k-th smallest (0-based) by quickselect (Hoare partition, middle pivot); reorders `a`. */
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** Median of `a` in O(n) expected time (average of the two middle values for even n); reorders `a`. */
function medianInPlace(a: Float64Array): number {
  const n = a.length;
  const upper = selectInPlace(a, n >>> 1);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < n >>> 1; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/** Standard error of measurement SEM = SD·√(1 − ICC). */
export function standardErrorOfMeasurement(sd: number, icc: number): number {
  if (!(icc >= 0 && icc <= 1)) throw new Error(`ICC ${icc} must be within 0–1`);
  return sd * Math.sqrt(1 - icc);
}

/** Minimal detectable change at 95 %: MDC95 = 1.96·√2·SEM (≈ 2.77·SEM). T19: ICC 0.80, SD 10 → 12.40. */
export const mdc95 = (sem: number): number => 1.96 * Math.SQRT2 * sem;

const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
/** Sample standard deviation (n − 1). */
export function sampleSd(v: readonly number[]): number {
  if (v.length < 2) return Number.NaN;
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
}

/** A reference band around the patient's baseline. */
export interface BaselineBand {
  mean: number;
  sem: number;
  mdc95: number;
  lower: number;
  upper: number;
  n: number;
  /** `icc`: SD and ICC given (published); `repeat`: SEM from the patient's own repeat sessions. */
  semSource: 'icc' | 'repeat';
}

/**
 * Baseline ± MDC95 from at least two baseline sessions. With `reliability` (a published ICC and between-
 * subject SD) SEM = SD·√(1 − ICC); otherwise SEM is the SD of the patient's repeat baseline values.
 * Returns undefined with fewer than two values.
 */
export function baselineBand(
  values: readonly number[],
  reliability?: { icc: number; sd: number },
): BaselineBand | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2) return undefined;
  const m = mean(finite);
  const sem = reliability ? standardErrorOfMeasurement(reliability.sd, reliability.icc) : sampleSd(finite);
  const mdc = mdc95(sem);
  return {
    mean: m,
    sem,
    mdc95: mdc,
    lower: m - mdc,
    upper: m + mdc,
    n: finite.length,
    semSource: reliability ? 'icc' : 'repeat',
  };
}

/** Where a phase's SEM came from: its own baseline sessions, or a fallback when it has fewer than two. */
export type PhaseBandSource = 'phase' | 'pooled-phases' | 'all-phases';

/** A baseline band of one dose phase. */
export interface PhaseBand extends BaselineBand {
  phase: string;
  /**
   * `phase`: mean and SEM from this phase's own baseline sessions (at least two). `pooled-phases`: fewer than
   * two of its own, so SEM is the pooled within-phase SD of the phases that have two or more. `all-phases`:
   * no phase has two, so SEM is the SD of all baseline sessions together (troughs and peaks mixed). The mean
   * is always this phase's own baseline mean.
   */
  source: PhaseBandSource;
}

/**
 * Baseline ± MDC95 per dose phase (§8.2): a trough and a peak differ by the drug's effect, so one band over
 * both inflates the SD and hides real pre/post changes. Each phase with at least one baseline value gets a
 * band; see {@link PhaseBand.source} for the fallback when it has fewer than two. `mdcOf(phase)` answers for
 * any phase, also one without baseline sessions (pooled within-phase SEM, else all-phase SEM); it is
 * undefined when fewer than two baseline values exist at all. Bands are ordered by phase name.
 */
export function phaseBaselines(values: readonly { phase: string; value: number }[]): {
  bands: PhaseBand[];
  semOf: (phase: string) => number | undefined;
  mdcOf: (phase: string) => number | undefined;
} {
  const byPhase = new Map<string, number[]>();
  for (const v of values) {
    if (!Number.isFinite(v.value)) continue;
    const list = byPhase.get(v.phase);
    if (list) list.push(v.value);
    else byPhase.set(v.phase, [v.value]);
  }
  let ss = 0;
  let dof = 0;
  for (const list of byPhase.values())
    if (list.length >= 2) {
      ss += sampleSd(list) ** 2 * (list.length - 1);
      dof += list.length - 1;
    }
  const all = [...byPhase.values()].flat();
  const fallback: { sem: number; source: PhaseBandSource } | undefined =
    dof > 0
      ? { sem: Math.sqrt(ss / dof), source: 'pooled-phases' }
      : all.length >= 2
        ? { sem: sampleSd(all), source: 'all-phases' }
        : undefined;
  const bands: PhaseBand[] = [];
  for (const [phase, list] of [...byPhase.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const own = baselineBand(list);
    if (own) bands.push({ ...own, phase, source: 'phase' });
    else if (fallback) {
      const m = mean(list);
      const mdc = mdc95(fallback.sem);
      bands.push({
        mean: m,
        sem: fallback.sem,
        mdc95: mdc,
        lower: m - mdc,
        upper: m + mdc,
        n: list.length,
        semSource: 'repeat',
        phase,
        source: fallback.source,
      });
    }
  }
  const semOf = (phase: string): number | undefined =>
    bands.find((b) => b.phase === phase)?.sem ?? fallback?.sem;
  return {
    bands,
    semOf,
    mdcOf: (phase) => {
      const sem = semOf(phase);
      return sem === undefined ? undefined : mdc95(sem);
    },
  };
}

/**
 * MDC95 of a difference between two phases' values: 1.96·√(SEM_a² + SEM_b²), which is the usual
 * 1.96·√2·SEM when both SEMs are equal.
 */
export const mdc95Between = (semA: number, semB: number): number => 1.96 * Math.sqrt(semA ** 2 + semB ** 2);

/** A difference judged against MDC95: `exceedsMdc` only if |Δ| > MDC95 (§8.2). */
export interface ChangeJudgement {
  before: number;
  after: number;
  delta: number;
  mdc95: number;
  exceedsMdc: boolean;
}

export function judgeChange(before: number, after: number, mdc: number): ChangeJudgement {
  const delta = after - before;
  return { before, after, delta, mdc95: mdc, exceedsMdc: Math.abs(delta) > mdc };
}

/** A session's value with its phase, time and visit (local calendar day or explicit visit id). */
export interface PhasedValue {
  sessionId: number;
  timeMs: number;
  visit: string;
  phase: string;
  value: number;
}

/** Within one visit: the pre-dose trough value against the post-dose peak value. */
export interface VisitComparison extends ChangeJudgement {
  visit: string;
  troughSessionId: number;
  peakSessionId: number;
}

/**
 * Pairs, per visit, the last pre-dose session (oral `trough`, or ITB `baseline` before a screening bolus)
 * before the first `peak` session that follows it, and judges peak − pre against MDC95 (§6.4): `mdc` is
 * one number, or a function of the pair's two phases (pre, post). Visits without such a pair are left out.
 * Ordered by visit time.
 */
export function preDosePostDose(
  values: readonly PhasedValue[],
  mdc: number | ((prePhase: string, postPhase: string) => number),
): VisitComparison[] {
  const byVisit = new Map<string, PhasedValue[]>();
  for (const v of values) byVisit.set(v.visit, [...(byVisit.get(v.visit) ?? []), v]);
  const out: VisitComparison[] = [];
  for (const [visit, list] of byVisit) {
    list.sort((a, b) => a.timeMs - b.timeMs);
    let trough: PhasedValue | undefined;
    for (const v of list) {
      if (v.phase === 'trough' || v.phase === 'baseline') trough = v;
      else if (v.phase === 'peak' && trough) {
        out.push({
          visit,
          troughSessionId: trough.sessionId,
          peakSessionId: v.sessionId,
          ...judgeChange(trough.value, v.value, typeof mdc === 'number' ? mdc : mdc(trough.phase, v.phase)),
        });
        break;
      }
    }
  }
  return out.sort((a, b) => a.visit.localeCompare(b.visit));
}

/** Same-phase comparison across visits: each visit's median against the previous visit's median. */
export interface AcrossVisitComparison extends ChangeJudgement {
  phase: string;
  fromVisit: string;
  toVisit: string;
}

/** `mdc` is one number, or a function of the phase compared (its own MDC95). */
export function samePhaseAcrossVisits(
  values: readonly PhasedValue[],
  mdc: number | ((phase: string) => number),
): AcrossVisitComparison[] {
  const groups = new Map<string, Map<string, number[]>>();
  for (const v of values) {
    const byVisit = groups.get(v.phase) ?? new Map<string, number[]>();
    byVisit.set(v.visit, [...(byVisit.get(v.visit) ?? []), v.value]);
    groups.set(v.phase, byVisit);
  }
  const out: AcrossVisitComparison[] = [];
  for (const [phase, byVisit] of groups) {
    const visits = [...byVisit.keys()].sort();
    for (let i = 1; i < visits.length; i++) {
      const from = visits[i - 1] as string;
      const to = visits[i] as string;
      out.push({
        phase,
        fromVisit: from,
        toVisit: to,
        ...judgeChange(
          median(byVisit.get(from) ?? []),
          median(byVisit.get(to) ?? []),
          typeof mdc === 'number' ? mdc : mdc(phase),
        ),
      });
    }
  }
  return out;
}

/** Settings of the therapy-window estimate. */
export interface TherapyWindowOptions {
  binH: number;
  maxH: number;
  /** Bins with fewer values are not candidates. */
  minPerBin: number;
  bootstrapDraws: number;
  seed: number;
}

export const defaultTherapyWindowOptions: Readonly<TherapyWindowOptions> = {
  binH: 0.5,
  maxH: 8,
  minPerBin: 3,
  bootstrapDraws: 1000,
  seed: 7,
};

/** When after a dose tone is lowest for this patient, and how sure that is. */
export interface TherapyWindow {
  /** Centre of the bin with the lowest median (h after dose). */
  bestHoursSinceDose: number;
  bestBinStartH: number;
  bestBinEndH: number;
  bestMedian: number;
  /** Values in the best bin, and their interquartile range. */
  nInBest: number;
  iqrInBest: number;
  /** Values used in total. */
  n: number;
  /** 2.5–97.5 % bootstrap interval of the best bin's centre (h). */
  ciLowH: number;
  ciHighH: number;
  /** Fraction of bootstrap resamples whose best bin is the same one (0–1). */
  stability: number;
  /** Every bin; `median` is null for an empty bin. */
  bins: { startH: number; endH: number; n: number; median: number | null }[];
}

function bestBin(
  points: readonly { h: number; v: number }[],
  o: TherapyWindowOptions,
): { index: number; bins: number[][] } {
  const count = Math.ceil(o.maxH / o.binH);
  const bins: number[][] = Array.from({ length: count }, () => []);
  for (const p of points) {
    if (!(p.h >= 0 && p.h < o.maxH)) continue;
    bins[Math.floor(p.h / o.binH)]?.push(p.v);
  }
  let index = -1;
  let best = Infinity;
  bins.forEach((b, i) => {
    if (b.length < o.minPerBin) return;
    const m = median(b);
    if (m < best) {
      best = m;
      index = i;
    }
  });
  return { index, bins };
}

/**
 * Bins the patient's values by hours since dose, takes each bin's median (robust to outlier sessions) and
 * picks the lowest; the uncertainty comes from a seeded bootstrap over sessions. Returns undefined when no
 * bin has `minPerBin` values.
 */
export function therapyWindow(
  points: readonly { hoursSinceDose: number; value: number }[],
  options: Partial<TherapyWindowOptions> = {},
): TherapyWindow | undefined {
  const o = { ...defaultTherapyWindowOptions, ...options };
  const pts = points
    .filter((p) => Number.isFinite(p.hoursSinceDose) && Number.isFinite(p.value))
    .map((p) => ({ h: p.hoursSinceDose, v: p.value }));
  const { index, bins } = bestBin(pts, o);
  const chosen = bins[index];
  if (!chosen) return undefined;
  const rng = seededRandom(o.seed);
  const centres: number[] = [];
  let same = 0;
  const resample: { h: number; v: number }[] = new Array(pts.length);
  for (let b = 0; b < o.bootstrapDraws; b++) {
    for (let i = 0; i < pts.length; i++) resample[i] = pts[rng.int(pts.length)] as { h: number; v: number };
    const r = bestBin(resample, o).index;
    if (r < 0) continue;
    if (r === index) same++;
    centres.push((r + 0.5) * o.binH);
  }
  centres.sort((a, b) => a - b);
  const sortedBest = [...chosen].sort((a, b) => a - b);
  return {
    bestHoursSinceDose: (index + 0.5) * o.binH,
    bestBinStartH: index * o.binH,
    bestBinEndH: (index + 1) * o.binH,
    bestMedian: median(chosen),
    nInBest: chosen.length,
    iqrInBest: quantileSorted(sortedBest, 0.75) - quantileSorted(sortedBest, 0.25),
    n: pts.filter((p) => p.h >= 0 && p.h < o.maxH).length,
    ciLowH: quantileSorted(centres, 0.025),
    ciHighH: quantileSorted(centres, 0.975),
    stability: same / o.bootstrapDraws,
    bins: bins.map((b, i) => ({
      startH: i * o.binH,
      endH: (i + 1) * o.binH,
      n: b.length,
      median: b.length > 0 ? median(b) : null,
    })),
  };
}
