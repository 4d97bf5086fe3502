/**
 * Oral one-compartment (Bateman) model of baclofen, domain spec §6.2.
 *
 *   C1(τ) = (F·D/V) · ka/(ka − ke) · (exp(−ke·τ) − exp(−ka·τ))   for τ ≥ 0, 0 before the dose
 *   Tmax  = ln(ka/ke) / (ka − ke)
 *   C(t)  = Σ C1(t − t_d) over the doses of the previous 48 h (linear superposition)
 *
 * Times are hours inside the model and ms since the Unix epoch at its edges. Concentrations are in "F·D/V
 * units" (dose amount per unit volume, i.e. mg per unit V) unless converted with {@link absoluteScaleNgPerMl}.
 */
import { quantileSorted, seededRandom } from './random.js';

/** Patient-level PK settings a clinician enters (t½ and Tmax), with optional absolute-mode parameters. */
export interface PkParams {
  halfLifeH: number;
  tmaxH: number;
  /** Oral bioavailability F (0–1); default 0.74 (Agarwal 2015). Used in absolute mode only. */
  bioavailability?: number;
  /** Apparent volume V/F per kg body weight; default 1.16 L/kg (He 2014). Used in absolute mode only. */
  vOverFLPerKg?: number;
  /** Optional effect-compartment rate ke0 (1/h) for a PD lag; research only, off when absent. */
  ke0PerH?: number;
}

export type AgeGroup = 'child' | 'adult';

/** §6.2 defaults: children with CP t½ 4.5 h, adults 3.5 h; Tmax 1.0 h for both. */
export const defaultPkParams: Readonly<Record<AgeGroup, PkParams>> = {
  child: { halfLifeH: 4.5, tmaxH: 1.0 },
  adult: { halfLifeH: 3.5, tmaxH: 1.0 },
};

/** §6.2 allowed ranges for clinician-entered values. */
export const pkRanges = { halfLifeH: { min: 2, max: 8 }, tmaxH: { min: 0.5, max: 3 } } as const;

/** Problems with entered PK settings: `error`s must be fixed, `warning`s (renal impairment) shown. */
export interface PkValidation {
  errors: string[];
  warnings: string[];
}

/**
 * Checks entered settings against §6.2. t½ above 8 h is accepted with a warning to consider renal
 * impairment; t½ below 2 h and Tmax outside 0.5–3 h are errors.
 */
export function validatePkParams(p: PkParams): PkValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!Number.isFinite(p.halfLifeH) || p.halfLifeH < pkRanges.halfLifeH.min)
    errors.push(`half-life ${p.halfLifeH} h is below the allowed ${pkRanges.halfLifeH.min} h`);
  else if (p.halfLifeH > pkRanges.halfLifeH.max)
    warnings.push(
      `half-life ${p.halfLifeH} h is above ${pkRanges.halfLifeH.max} h: markedly prolonged elimination, as in renal impairment; review with the prescriber`,
    );
  if (!Number.isFinite(p.tmaxH) || p.tmaxH < pkRanges.tmaxH.min || p.tmaxH > pkRanges.tmaxH.max)
    errors.push(`Tmax ${p.tmaxH} h is outside the allowed ${pkRanges.tmaxH.min}–${pkRanges.tmaxH.max} h`);
  else if (errors.length === 0 && p.tmaxH >= 1 / keFromHalfLife(p.halfLifeH))
    errors.push(
      `Tmax ${p.tmaxH} h with half-life ${p.halfLifeH} h is impossible: the curve cannot peak later than 1/ke = ${(1 / keFromHalfLife(p.halfLifeH)).toFixed(2)} h`,
    );
  return { errors, warnings };
}

/** Elimination rate constant ke = ln 2 / t½ (1/h). */
export const keFromHalfLife = (halfLifeH: number): number => Math.LN2 / halfLifeH;

/** Tmax (h) of a Bateman curve; the ka → ke limit is 1/ke. */
export function tmaxOf(kaPerH: number, kePerH: number): number {
  if (Math.abs(kaPerH - kePerH) < 1e-12 * kePerH) return 1 / kePerH;
  return Math.log(kaPerH / kePerH) / (kaPerH - kePerH);
}

/**
 * Brent's root finder on [a, b] for a continuous f with f(a)·f(b) < 0; returns x with |f(x)| small or the
 * bracket narrower than `tol`. Throws if the root is not bracketed.
 */
export function brentRoot(
  f: (x: number) => number,
  a0: number,
  b0: number,
  tol = 1e-12,
  maxIter = 200,
): number {
  let a = a0;
  let b = b0;
  let fa = f(a);
  let fb = f(b);
  if (fa * fb > 0) throw new Error(`root not bracketed in [${a0}, ${b0}]`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let i = 0; i < maxIter; i++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + tol / 2;
    const m = (c - b) / 2;
    if (Math.abs(m) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = d;
      }
    } else {
      d = m;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}

/**
 * Solves ka (1/h) from Tmax and ke with Brent's method on the bracket (ke, 100]. Tmax must be below 1/ke
 * (the ka → ke limit) and reachable with ka ≤ 100 h⁻¹; otherwise throws a message naming the values.
 */
export function solveKa(tmaxH: number, kePerH: number): number {
  const lo = kePerH * (1 + 1e-9);
  const hi = 100;
  const g = (ka: number): number => tmaxOf(ka, kePerH) - tmaxH;
  if (g(lo) <= 0)
    throw new Error(
      `Tmax ${tmaxH} h is not reachable: it must be shorter than 1/ke = ${(1 / kePerH).toFixed(2)} h`,
    );
  if (g(hi) > 0) throw new Error(`Tmax ${tmaxH} h is too short: it needs ka above 100 h⁻¹`);
  return brentRoot(g, lo, hi);
}

/** Rate constants of a parameter set. */
export interface RateConstants {
  kaPerH: number;
  kePerH: number;
  /**
   * Effect-compartment rate (PD lag, §6.2, default off). When set, every concentration this module
   * returns is the effect-site concentration Ce (dCe/dt = ke0·(C − Ce)) instead of plasma C.
   */
  ke0PerH?: number;
}

/** ke from t½ and ka solved from Tmax. */
export function rateConstants(p: PkParams): RateConstants {
  const kePerH = keFromHalfLife(p.halfLifeH);
  const k: RateConstants = { kaPerH: solveKa(p.tmaxH, kePerH), kePerH };
  if (p.ke0PerH !== undefined) {
    if (!(p.ke0PerH > 0)) throw new Error(`ke0 ${p.ke0PerH} 1/h must be above 0`);
    k.ke0PerH = p.ke0PerH;
  }
  return k;
}

/** Single-dose Bateman concentration per unit F·D/V at τ hours after the dose; 0 for τ < 0. */
export function batemanUnit(tauH: number, k: RateConstants): number {
  if (tauH < 0) return 0;
  const { kaPerH: ka, kePerH: ke, ke0PerH } = k;
  if (ke0PerH !== undefined) return effectSiteUnit(tauH, ka, ke, ke0PerH);
  if (Math.abs(ka - ke) < 1e-9 * ke) return ke * tauH * Math.exp(-ke * tauH);
  return (ka / (ka - ke)) * (Math.exp(-ke * tauH) - Math.exp(-ka * tauH));
}

/**
 * Effect-site concentration per unit F·D/V after one oral dose:
 * Ce(τ) = ka/(ka−ke)·ke0·[(e^{−ke τ} − e^{−ke0 τ})/(ke0 − ke) − (e^{−ka τ} − e^{−ke0 τ})/(ke0 − ka)].
 * Coinciding rates are separated by a relative 1e-7 (the formula's limit is continuous there).
 */
function effectSiteUnit(tauH: number, kaIn: number, ke: number, ke0In: number): number {
  const ka = Math.abs(kaIn - ke) < 1e-9 * ke ? ke * (1 + 1e-7) : kaIn;
  let ke0 = ke0In;
  for (const r of [ke, ka]) if (Math.abs(ke0 - r) < 1e-9 * r) ke0 = r * (1 + 2e-7);
  const e0 = Math.exp(-ke0 * tauH);
  return (
    (ka / (ka - ke)) *
    ke0 *
    ((Math.exp(-ke * tauH) - e0) / (ke0 - ke) - (Math.exp(-ka * tauH) - e0) / (ke0 - ka))
  );
}

/** An oral dose that entered the model: instant and amount (any mass unit, used consistently). */
export interface ModelDose {
  timeMs: number;
  amount: number;
}

/** Doses contribute for this long (≥ 10 t½ of the longest allowed half-life would be 80 h; §6.2 says 48 h). */
export const SUPERPOSITION_WINDOW_H = 48;

const MS_PER_H = 3_600_000;

/**
 * Superposed concentration at `timeMs` in amount-per-unit-V units (F and V not applied): Σ amount·C1(τ)
 * over doses with 0 ≤ τ ≤ 48 h. Doses after `timeMs` do not contribute.
 */
export function superposedConcentration(
  doses: readonly ModelDose[],
  timeMs: number,
  k: RateConstants,
): number {
  let c = 0;
  for (const d of doses) {
    const tauH = (timeMs - d.timeMs) / MS_PER_H;
    if (tauH < 0 || tauH > SUPERPOSITION_WINDOW_H) continue;
    c += d.amount * batemanUnit(tauH, k);
  }
  return c;
}

/** Steady-state facts of a regular regimen (interval τ) per unit dose. */
export interface SteadyState {
  /** Time of the peak after each dose (h). */
  peakAfterDoseH: number;
  cMax: number;
  cMin: number;
  peakToTrough: number;
  /** Accumulation ratio R = 1/(1 − e^{−ke·τ}). */
  accumulation: number;
}

/**
 * Closed-form steady state of plasma concentration (ke0 is ignored) for equal doses every `intervalH` hours:
 * Css(t) = ka/(ka−ke)·(e^{−ke t}/(1−e^{−ke τ}) − e^{−ka t}/(1−e^{−ka τ})), maximised over [0, τ].
 */
export function steadyState(intervalH: number, k: RateConstants): SteadyState {
  const { kaPerH: ka, kePerH: ke } = k;
  const re = 1 / (1 - Math.exp(-ke * intervalH));
  const ra = 1 / (1 - Math.exp(-ka * intervalH));
  const css = (t: number): number => (ka / (ka - ke)) * (Math.exp(-ke * t) * re - Math.exp(-ka * t) * ra);
  const peakAfterDoseH = Math.log((ka * ra) / (ke * re)) / (ka - ke);
  const cMax = css(peakAfterDoseH);
  const cMin = css(intervalH);
  return { peakAfterDoseH, cMax, cMin, peakToTrough: cMax / cMin, accumulation: re };
}

/**
 * Maximum concentration of a daily regimen at steady state, per the regimen's own amounts (amount-per-V
 * units). `doseOffsetsH` are the dose times within one 24 h day (hours after local midnight, any order) with
 * their amounts. Simulates enough days for every 48 h window to be full and searches the last day on a
 * 1-minute grid refined by golden-section search.
 */
export function regimenSteadyStateMax(
  doses: readonly { offsetH: number; amount: number }[],
  k: RateConstants,
): number {
  if (doses.length === 0) return 0;
  const days = 4;
  const model: ModelDose[] = [];
  for (let day = 0; day < days; day++)
    for (const d of doses) model.push({ timeMs: (day * 24 + d.offsetH) * MS_PER_H, amount: d.amount });
  const at = (h: number): number => superposedConcentration(model, h * MS_PER_H, k);
  const start = (days - 1) * 24;
  let bestH = start;
  let best = -Infinity;
  for (let m = 0; m <= 24 * 60; m++) {
    const h = start + m / 60;
    const c = at(h);
    if (c > best) {
      best = c;
      bestH = h;
    }
  }
  let a = bestH - 1 / 60;
  let b = bestH + 1 / 60;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const x1 = b - phi * (b - a);
    const x2 = a + phi * (b - a);
    if (at(x1) > at(x2)) b = x2;
    else a = x1;
  }
  return Math.max(best, at((a + b) / 2));
}

/** Monte-Carlo settings of the C_rel band (§6.2: 500 draws, log-normal CV 35 % on ke and 80 % on ka). */
export interface BandOptions {
  draws: number;
  cvKe: number;
  cvKa: number;
  seed: number;
  lowerQuantile: number;
  upperQuantile: number;
}

export const defaultBandOptions: Readonly<BandOptions> = {
  draws: 500,
  cvKe: 0.35,
  cvKa: 0.8,
  seed: 20_260_101,
  lowerQuantile: 0.1,
  upperQuantile: 0.9,
};

/**
 * Draws `draws` parameter sets around `k`: each rate multiplied by exp(σ·z) with σ = √ln(1 + CV²), so the
 * typical value is the median. Deterministic for a given seed.
 */
export function drawRateConstants(
  k: RateConstants,
  options: BandOptions = defaultBandOptions,
): RateConstants[] {
  const rng = seededRandom(options.seed);
  const sKe = Math.sqrt(Math.log(1 + options.cvKe ** 2));
  const sKa = Math.sqrt(Math.log(1 + options.cvKa ** 2));
  const out: RateConstants[] = [];
  for (let i = 0; i < options.draws; i++) {
    const kePerH = k.kePerH * Math.exp(sKe * rng.normal());
    const kaPerH = k.kaPerH * Math.exp(sKa * rng.normal());
    out.push(k.ke0PerH === undefined ? { kaPerH, kePerH } : { kaPerH, kePerH, ke0PerH: k.ke0PerH });
  }
  return out;
}

/** A value with its Monte-Carlo percentile band. */
export interface Banded {
  value: number;
  p10: number;
  p90: number;
}

/**
 * Superposed concentration at `timeMs` for each drawn parameter set, divided by `scale`; returns the
 * typical-parameter value and the band's quantiles. With `scale` = the nominal regimen's C_ss,max at typical
 * parameters, the band shows how far an individual could be from the typical C_rel.
 */
export function bandedConcentration(
  doses: readonly ModelDose[],
  timeMs: number,
  k: RateConstants,
  draws: readonly RateConstants[],
  scale = 1,
  options: Pick<BandOptions, 'lowerQuantile' | 'upperQuantile'> = defaultBandOptions,
): Banded {
  const values = new Float64Array(draws.length);
  draws.forEach((d, i) => (values[i] = superposedConcentration(doses, timeMs, d) / scale));
  values.sort();
  return {
    value: superposedConcentration(doses, timeMs, k) / scale,
    p10: quantileSorted(values, options.lowerQuantile),
    p90: quantileSorted(values, options.upperQuantile),
  };
}

/**
 * Factor from amount-per-V units (mg per unit V) to ng/mL for absolute mode: F·1e6/(V/F·weight·1000) with
 * D in mg and V in L (1 mg/L = 1000 ng/mL). §6.2: V/F = 1.16 L/kg. T6: 20 kg, 10 mg, F = 1 → 431 ng/mL.
 * The default F is 1 because V/F already holds F; pass `bioavailability` only with a true V.
 */
export function absoluteScaleNgPerMl(
  weightKg: number,
  p: Pick<PkParams, 'bioavailability' | 'vOverFLPerKg'>,
): number {
  const f = p.bioavailability ?? 1;
  const vL = (p.vOverFLPerKg ?? 1.16) * weightKg;
  return (f * 1000) / vL;
}
