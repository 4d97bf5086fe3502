import { meanSd, quietestWindow, type Burst } from './onset.js';

/**
 * Double-threshold EMG burst detection of Bonato, D'Alessio & Knaflitz 1998 ("A statistical method for the
 * measurement of muscle activation intervals from surface myoelectric signal during gait", IEEE TBME
 * 45(3):287–299), from the publication:
 * 1. z_k = x[2k]² + x[2k+1]² over non-overlapping pairs of the band-passed signal; under Gaussian noise of
 *    variance σ² it is χ² with 2 degrees of freedom, so P(z > ζ) = exp(−ζ / (2σ²));
 * 2. pair k is active when at least r₀ of the m pairs k … k + m − 1 exceed ζ (the second threshold);
 * 3. ζ follows from the false-alarm probability of that rule: P(Binomial(m, p) ≥ r₀) = Pfa, ζ = −2σ²·ln p;
 * 4. active or inactive stretches shorter than 30 ms join the stretch before them (the first one the stretch
 *    after it), so a transition counts only when it lasts.
 * The paper assumes a known rest period for σ; over a whole recording σ is the SD of the quietest 500 ms,
 * as for the Hodges–Bui threshold of ./onset.ts. Its separate `double` method is the domain spec's envelope
 * variant (60 % of 25 ms above mean + 3 SD of the low-passed envelope), not this one.
 */
export interface BonatoOptions {
  /** False-alarm probability of the window rule (paper: 0.05). */
  falseAlarm?: number;
  /** Window length in pairs (paper: 5). */
  m?: number;
  /** Pairs above ζ needed in the window (paper: 1). */
  r0?: number;
  /** Shortest stretch that counts as a transition, ms (paper: 30). */
  minDurationMs?: number;
}

/** P(Binomial(m, p) ≥ r0). */
function binomialTail(m: number, r0: number, p: number): number {
  let total = 0;
  let choose = 1;
  for (let r = 0; r <= m; r++) {
    if (r > 0) choose = (choose * (m - r + 1)) / r;
    if (r >= r0) total += choose * p ** r * (1 - p) ** (m - r);
  }
  return total;
}

/** The per-pair exceedance probability p with P(Binomial(m, p) ≥ r0) = falseAlarm (bisection). */
export function pairExceedanceProbability(falseAlarm: number, m: number, r0: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (binomialTail(m, r0, mid) < falseAlarm) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Bursts of a band-passed signal `x` by Bonato's double threshold; end exclusive, in samples of `x`. */
export function bonatoBursts(
  x: ArrayLike<number>,
  sampleRateHz: number,
  options: BonatoOptions = {},
): Burst[] {
  const falseAlarm = options.falseAlarm ?? 0.05;
  const m = options.m ?? 5;
  const r0 = options.r0 ?? 1;
  const n = x.length;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) squares[i] = (x[i] ?? 0) ** 2;
  const [b0, b1] = quietestWindow(squares, Math.round(0.5 * sampleRateHz));
  const { sd } = meanSd(x, b0, b1);
  const zeta = -2 * sd * sd * Math.log(pairExceedanceProbability(falseAlarm, m, r0));
  const half = Math.floor(n / 2);
  const exceeded = new Int32Array(half + 1);
  for (let k = 0; k < half; k++) {
    const z = (x[2 * k] ?? 0) ** 2 + (x[2 * k + 1] ?? 0) ** 2;
    exceeded[k + 1] = (exceeded[k] ?? 0) + (z > zeta ? 1 : 0);
  }
  // Runs of equal activity, short ones joined to the run before them.
  const minPairs = Math.round((((options.minDurationMs ?? 30) / 1000) * sampleRateHz) / 2);
  const runs: { active: boolean; length: number }[] = [];
  let k = 0;
  while (k < half) {
    const active = (exceeded[Math.min(k + m, half)] ?? 0) - (exceeded[k] ?? 0) >= r0;
    let e = k + 1;
    while (e < half && (exceeded[Math.min(e + m, half)] ?? 0) - (exceeded[e] ?? 0) >= r0 === active) e++;
    const last = runs.at(-1);
    if (last && (e - k < minPairs || last.active === active)) last.length += e - k;
    else runs.push({ active, length: e - k });
    k = e;
  }
  const first = runs[0];
  const second = runs[1];
  if (first && second && first.length < minPairs) {
    second.length += first.length;
    runs.shift();
  }
  const bursts: Burst[] = [];
  let at = 0;
  for (const r of runs) {
    if (r.active) bursts.push({ start: 2 * at, end: 2 * (at + r.length) });
    at += r.length;
  }
  return bursts;
}
