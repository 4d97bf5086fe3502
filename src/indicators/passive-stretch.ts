import { butterworthSos } from '../dsp/butterworth.js';
import { centeredRms } from '../dsp/envelope.js';
import { angularAcceleration } from '../dsp/imu.js';
import { detectOnsets } from '../dsp/onset.js';
import { sosfiltfilt } from '../dsp/sos-filter.js';
import type { DiscontinuityS, QualityFlag, ResultMeta } from './types.js';
import { coefficientOfVariation, median, touchesDiscontinuity } from './types.js';

/**
 * Instrumented passive-stretch assessment (domain.md §2.3–2.4): segmentation of stretches from the stretch
 * velocity, AOC1 catch detection (maximum deceleration), LV/HV RMS-EMG, TKEO reflex onset, DSRT, threshold
 * velocity and TSRT regression. Angles in degrees (θ increases as the muscle lengthens), ω in °/s.
 */
export const STRETCH_ALGORITHM_VERSION = 'passive-stretch/1.1.0';

/** A segmented stretch: movement start t₀, end t₁ and the peak-velocity sample (IMU sample indices). */
export interface StretchSegment {
  start: number;
  end: number;
  peakIndex: number;
}

/** Stillness needed before a stretch starts, s (domain.md §2.3). */
export const STRETCH_QUIET_LEAD_S = 0.5;

/**
 * The start rule of domain.md §2.3, causal, one ω sample (°/s) at a time: a stretch starts at the first
 * ω > 20 °/s once |ω| < 5 °/s has held for 0.5 s. A wobble between 5 and 20 °/s (sensor noise while a slow
 * stretch creeps through 5 °/s) keeps the gate armed; a movement the other way (ω < −20 °/s) or a start
 * disarms it until the joint has been still for 0.5 s again.
 */
export class StretchStartGate {
  private quiet = 0;
  private armed = false;
  private readonly quietNeed: number;

  constructor(sampleRateHz: number) {
    this.quietNeed = Math.round(STRETCH_QUIET_LEAD_S * sampleRateHz);
  }

  /** Feeds the next sample; true when a stretch starts at it. */
  push(omegaDegS: number): boolean {
    if (Math.abs(omegaDegS) < 5) {
      this.quiet++;
      if (this.quiet >= this.quietNeed) this.armed = true;
      return false;
    }
    this.quiet = 0;
    if (omegaDegS < -20) this.armed = false;
    if (omegaDegS > 20 && this.armed) {
      this.armed = false;
      return true;
    }
    return false;
  }

  /** |ω| < 5 °/s at the last sample. */
  get isStill(): boolean {
    return this.quiet > 0;
  }

  /** Not armed, as after a stretch: the joint must be still for 0.5 s before the next start. */
  reset(): void {
    this.quiet = 0;
    this.armed = false;
  }
}

/**
 * Segments stretches (domain.md §2.3): t₀ = first sample with ω > max(20 °/s, 10 % of the peak) after
 * ≥ 0.5 s with |ω| < 5 °/s; t₁ = last sample before ω falls below 10 % of the peak and stays there for
 * ≥ 100 ms. Ordered by time, non-overlapping.
 */
export function segmentStretches(omegaDegS: ArrayLike<number>, sampleRateHz: number): StretchSegment[] {
  const n = omegaDegS.length;
  const stayNeed = Math.max(1, Math.round(0.1 * sampleRateHz));
  const out: StretchSegment[] = [];
  const gate = new StretchStartGate(sampleRateHz);
  let i = 0;
  while (i < n) {
    if (gate.push(omegaDegS[i] ?? 0)) {
      // The excursion: until ω drops back below 5 °/s.
      let e = i;
      let peakIndex = i;
      while (e < n && (omegaDegS[e] ?? 0) >= 5) {
        if ((omegaDegS[e] ?? 0) > (omegaDegS[peakIndex] ?? 0)) peakIndex = e;
        e++;
      }
      const peak = omegaDegS[peakIndex] ?? 0;
      const startTh = Math.max(20, 0.1 * peak);
      let start = i;
      while (start < peakIndex && (omegaDegS[start] ?? 0) <= startTh) start++;
      let end = peakIndex;
      let below = 0;
      for (let k = peakIndex; k < n; k++) {
        if ((omegaDegS[k] ?? 0) < 0.1 * peak) {
          below++;
          if (below >= stayNeed) {
            end = k - below;
            break;
          }
        } else below = 0;
        end = k;
      }
      out.push({ start, end, peakIndex });
      i = Math.max(e, end + 1);
      continue;
    }
    i++;
  }
  return out;
}

/** EMG of the stretched muscle for one analysis: band-passed signal plus its rest statistics. */
export interface StretchEmg {
  /** Band-passed (and notched, if needed) EMG, in its channel unit. */
  x: ArrayLike<number>;
  sampleRateHz: number;
  /** Mean and SD of the 50 ms RMS envelope at rest (μ_rest, σ_rest); used by `reflexPresent` and rejection. */
  restMean: number;
  restSd: number;
}

export interface StretchOptions {
  /** Reflex latency L subtracted from the onset for DSRT/onsetVel, ms (default 35). */
  latencyMs?: number;
  /** RMS window, ms (default 50). */
  rmsWindowMs?: number;
  /** Low-pass before differentiating ω, Hz (default 20). */
  accelLowpassHz?: number;
}

/** Per-stretch values (domain.md §2.4); times in s from the start of the signal. */
export interface StretchValues {
  startS: number;
  endS: number;
  peakVelDegS: number;
  thetaStartDeg: number;
  thetaMaxDeg: number;
  catchTimeS: number;
  aocDeg: number;
  /** Mean 50 ms RMS over [t₀, t₁] in the EMG unit; null without EMG. */
  rms: number | null;
  emgOnsetTimeS: number | null;
  dsrtDeg: number | null;
  /** DSRT without the latency correction. */
  dsrtUncorrectedDeg: number | null;
  onsetVelDegS: number | null;
  emgToCatchDelayMs: number | null;
  reflexPresent: boolean | null;
  /** Pre-stretch EMG above μ_rest + 3σ_rest: the patient was not relaxed (stretch rejected). */
  notRelaxed: boolean;
}

/**
 * Analyses one segmented stretch. `alphaDegS2` defaults to dω/dt after a zero-phase 20 Hz low-pass of the
 * whole ω signal (pass it when analysing many stretches of one signal).
 */
export function analyzeStretch(
  thetaDeg: ArrayLike<number>,
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  seg: StretchSegment,
  emg?: StretchEmg,
  options: StretchOptions = {},
  alphaDegS2: ArrayLike<number> = angularAcceleration(omegaDegS, sampleRateHz, options.accelLowpassHz ?? 20),
): StretchValues {
  const fs = sampleRateHz;
  let catchIdx = seg.start;
  let thetaMax = -Infinity;
  for (let i = seg.start; i <= seg.end; i++) {
    if ((alphaDegS2[i] ?? Infinity) < (alphaDegS2[catchIdx] ?? Infinity)) catchIdx = i;
    thetaMax = Math.max(thetaMax, thetaDeg[i] ?? -Infinity);
  }
  const startS = seg.start / fs;
  const endS = seg.end / fs;
  const values: StretchValues = {
    startS,
    endS,
    peakVelDegS: omegaDegS[seg.peakIndex] ?? NaN,
    thetaStartDeg: thetaDeg[seg.start] ?? NaN,
    thetaMaxDeg: thetaMax,
    catchTimeS: catchIdx / fs,
    aocDeg: thetaDeg[catchIdx] ?? NaN,
    rms: null,
    emgOnsetTimeS: null,
    dsrtDeg: null,
    dsrtUncorrectedDeg: null,
    onsetVelDegS: null,
    emgToCatchDelayMs: null,
    reflexPresent: null,
    notRelaxed: false,
  };
  if (!emg) return values;
  const efs = emg.sampleRateHz;
  const win = Math.max(1, Math.round(((options.rmsWindowMs ?? 50) * efs) / 1000));
  const a = Math.max(0, Math.round((startS - 0.05) * efs));
  const b = Math.min(emg.x.length, Math.round((endS + 0.1) * efs) + 1);
  const preStart = Math.max(0, a - Math.round(0.5 * efs));
  const sub = Float64Array.from({ length: b - preStart }, (_, k) => emg.x[preStart + k] ?? 0);
  if (sub.length < 3 * win) return values;
  const env = centeredRms(sub, win);
  let s = 0;
  const i0 = Math.round(startS * efs) - preStart;
  const i1 = Math.round(endS * efs) - preStart;
  for (let i = i0; i <= i1; i++) s += env[i] ?? 0;
  values.rms = s / Math.max(1, i1 - i0 + 1);
  let pre = 0;
  for (let i = 0; i < a - preStart; i++) pre += env[i] ?? 0;
  values.notRelaxed = a > preStart && pre / (a - preStart) > emg.restMean + 3 * emg.restSd;
  const onset =
    a - preStart > Math.round(0.2 * efs)
      ? detectOnsets(sub, efs, { method: 'tkeo', baseline: [0, a - preStart] }).bursts.find(
          (x) => x.start >= a - preStart,
        )
      : undefined;
  values.reflexPresent = false;
  if (!onset) return values;
  const tOn = (onset.start + preStart) / efs;
  const latencyS = (options.latencyMs ?? 35) / 1000;
  const at = (t: number, x: ArrayLike<number>): number =>
    x[Math.min(x.length - 1, Math.max(0, Math.round(t * fs)))] ?? NaN;
  values.emgOnsetTimeS = tOn;
  values.dsrtDeg = at(tOn - latencyS, thetaDeg);
  values.dsrtUncorrectedDeg = at(tOn, thetaDeg);
  values.onsetVelDegS = at(tOn - latencyS, omegaDegS);
  values.emgToCatchDelayMs = (values.catchTimeS - tOn) * 1000;
  let burst = 0;
  const bw = Math.round(0.1 * efs);
  for (let k = 0; k < bw; k++) burst += (emg.x[onset.start + preStart + k] ?? 0) ** 2;
  values.reflexPresent = Math.sqrt(burst / bw) > emg.restMean + 3 * emg.restSd;
  return values;
}

/** Catch test of §2.4: θ(t_c) < romSlow − max(5°, 10 % of (romSlow − θ(t₀))). */
export function isCatch(s: Pick<StretchValues, 'aocDeg' | 'thetaStartDeg'>, romSlowDeg: number): boolean {
  return s.aocDeg < romSlowDeg - Math.max(5, 0.1 * (romSlowDeg - s.thetaStartDeg));
}

/** End range a catch is judged against: R2 of the slow stretches, or the stretch's own maximum angle. */
export type CatchReference = 'romSlow' | 'stretchMax';

/**
 * The one catch verdict of the live screen and the stored analysis: {@link isCatch} against R2 (romSlow)
 * when slow stretches gave one, otherwise against the stretch's own maximum angle ("maximum deceleration
 * before the end of this stretch's range"), with the reference it used, so the review can say so.
 */
export function catchVerdict(
  s: Pick<StretchValues, 'aocDeg' | 'thetaStartDeg' | 'thetaMaxDeg'>,
  romSlowDeg: number | null | undefined,
): { catchPresent: boolean; reference: CatchReference } {
  const known = romSlowDeg !== null && romSlowDeg !== undefined && Number.isFinite(romSlowDeg);
  return {
    catchPresent: isCatch(s, known ? romSlowDeg : s.thetaMaxDeg),
    reference: known ? 'romSlow' : 'stretchMax',
  };
}

/** Why the catch reference is what it is, in words for the review. */
export function catchReferenceText(reference: CatchReference): string {
  return reference === 'romSlow'
    ? 'Catch judged against the range of the slow stretches (R2), live and in review.'
    : 'No slow stretch gave a range (R2): catch judged against each stretch’s own end range, live and in review.';
}

/**
 * Logistic fit P(reflex) = 1 / (1 + e^−(b0 + b1·v)) of reflex presence against peak velocity by Newton's
 * method; returns ω₅₀ = −b0/b1 (°/s), or null with fewer than 6 stretches, without both outcomes, or when
 * the fit does not give a positive slope (e.g. perfectly separated data, where ω₅₀ lies between the
 * fastest stretch without and the slowest with a reflex and is reported as their midpoint).
 */
export function logisticW50(points: readonly { velocityDegS: number; reflex: boolean }[]): number | null {
  if (points.length < 6) return null;
  const yes = points.filter((p) => p.reflex).map((p) => p.velocityDegS);
  const no = points.filter((p) => !p.reflex).map((p) => p.velocityDegS);
  if (yes.length === 0 || no.length === 0) return null;
  if (Math.max(...no) < Math.min(...yes)) return (Math.max(...no) + Math.min(...yes)) / 2;
  const scale = Math.max(...points.map((p) => Math.abs(p.velocityDegS))) || 1;
  let b0 = 0;
  let b1 = 0;
  for (let it = 0; it < 50; it++) {
    let g0 = 0;
    let g1 = 0;
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    for (const p of points) {
      const v = p.velocityDegS / scale;
      const pr = 1 / (1 + Math.exp(-(b0 + b1 * v)));
      const r = (p.reflex ? 1 : 0) - pr;
      const w = pr * (1 - pr);
      g0 += r;
      g1 += r * v;
      h00 += w;
      h01 += w * v;
      h11 += w * v * v;
    }
    const det = h00 * h11 - h01 * h01;
    if (!(Math.abs(det) > 1e-12)) break;
    const d0 = (h11 * g0 - h01 * g1) / det;
    const d1 = (h00 * g1 - h01 * g0) / det;
    b0 += d0;
    b1 += d1;
    if (Math.abs(d0) + Math.abs(d1) < 1e-10) break;
  }
  return b1 > 0 ? (-b0 / b1) * scale : null;
}

export interface TsrtFit {
  tsrtDeg: number;
  /** Slope of DSRT against velocity, s. */
  muS: number;
  rSquared: number;
  n: number;
}

/** Least squares θ_DSRT,i = TSRT + μ·ω_i (Levin & Feldman); null for fewer than 2 points or no velocity spread. */
export function fitTsrt(points: readonly { dsrtDeg: number; velocityDegS: number }[]): TsrtFit | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((a, p) => a + p.velocityDegS, 0) / n;
  const my = points.reduce((a, p) => a + p.dsrtDeg, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.velocityDegS - mx) ** 2;
    sxy += (p.velocityDegS - mx) * (p.dsrtDeg - my);
    syy += (p.dsrtDeg - my) ** 2;
  }
  if (sxx === 0) return null;
  const mu = sxy / sxx;
  const ssRes = points.reduce((a, p) => a + (p.dsrtDeg - (my + mu * (p.velocityDegS - mx))) ** 2, 0);
  return { tsrtDeg: my - mu * mx, muS: mu, rSquared: syy > 0 ? 1 - ssRes / syy : 1, n };
}

export type StretchKind = 'slow' | 'fast' | 'medium';

export interface PassiveStretchSummary extends ResultMeta {
  stretches: (StretchValues & { kind: StretchKind; catchPresent: boolean | null; rejected: boolean })[];
  romSlowDeg: number | null;
  aocDeg: number | null;
  aocPctRom: number | null;
  dynamicComponentDeg: number | null;
  catchPresentCount: number;
  fastCount: number;
  slowCount: number;
  peakVelSlowDegS: number | null;
  peakVelFastDegS: number | null;
  rmsLV: number | null;
  rmsHV: number | null;
  deltaRms: number | null;
  rmsRatio: number | null;
  rmsHVrel: number | null;
  reflexPresentCount: number;
  dsrtDeg: number | null;
  onsetVelDegS: number | null;
  emgToCatchDelayMs: number | null;
  thresholdVelocityDegS: number | null;
  /** Logistic ω₅₀ of reflex presence against peak velocity (≥ 6 stretches with EMG). */
  thresholdVelocityW50DegS: number | null;
  /** Fitted TSRT, or "outside ROM" when no stretch elicited a reflex, or null when not enough data. */
  tsrt: TsrtFit | 'outside ROM' | null;
  /** CV of the AOC over fast stretches. */
  aocCv: number | null;
  /** End range the catch verdicts used ({@link catchVerdict}). */
  catchReference: CatchReference;
}

export interface PassiveStretchOptions extends StretchOptions {
  /** Peak velocity limit of a slow stretch, °/s (default 60; slower stretches count as LV). */
  slowMaxDegS?: number;
  /** A fast (HV) stretch reaches at least this share of the session's highest peak velocity (default 0.7). */
  fastShareOfMax?: number;
  /** R2 when it comes from elsewhere (e.g. a separate slow-stretch recording). */
  romSlowDeg?: number;
  /** RMS_rest for rmsHVrel. */
  restRms?: number;
  /**
   * Spans without real data (recording paused), s. A stretch whose movement or 0.5 s quiet lead-in meets one
   * is not taken: the span would cut it short or fake the stillness before it.
   */
  discontinuitiesS?: readonly DiscontinuityS[];
}

const med = (v: (number | null)[]): number | null => {
  const m = median(v.filter((x): x is number => x !== null));
  return Number.isFinite(m) ? m : null;
};

/**
 * Segments and analyses every stretch in θ/ω, then summarises per §2.4 (medians of accepted stretches).
 * Stretch kinds [P]: slow = peak ≤ `slowMaxDegS`; fast = peak ≥ `fastShareOfMax` × the highest peak and
 * above `slowMaxDegS`; otherwise medium (used for DSRT/TSRT only).
 */
export function analyzePassiveStretches(
  thetaDeg: ArrayLike<number>,
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  emg?: StretchEmg,
  options: PassiveStretchOptions = {},
): PassiveStretchSummary {
  const slowMax = options.slowMaxDegS ?? 60;
  const fastShare = options.fastShareOfMax ?? 0.7;
  const alpha = angularAcceleration(omegaDegS, sampleRateHz, options.accelLowpassHz ?? 20);
  const segs = segmentStretches(omegaDegS, sampleRateHz).filter(
    (g) =>
      !touchesDiscontinuity(
        options.discontinuitiesS,
        g.start / sampleRateHz - STRETCH_QUIET_LEAD_S,
        // Sample k covers [k, k + 1) / fs: a stretch ending on the sample before a pause meets it.
        (g.end + 1) / sampleRateHz,
      ),
  );
  const raw = segs.map((s) => analyzeStretch(thetaDeg, omegaDegS, sampleRateHz, s, emg, options, alpha));
  const maxPeak = Math.max(0, ...raw.map((r) => r.peakVelDegS));
  const quality: QualityFlag[] = [];
  const kinds = raw.map((r): StretchKind =>
    r.peakVelDegS <= slowMax ? 'slow' : r.peakVelDegS >= fastShare * maxPeak ? 'fast' : 'medium',
  );
  const accepted = raw.map((r) => !r.notRelaxed);
  if (raw.some((r) => r.notRelaxed)) quality.push('notRelaxed');
  const slow = raw.filter((_, i) => kinds[i] === 'slow' && accepted[i]);
  const fast = raw.filter((_, i) => kinds[i] === 'fast' && accepted[i]);
  const romSlow = options.romSlowDeg ?? med(slow.map((s) => s.thetaMaxDeg));
  const stretches = raw.map((r, i) => ({
    ...r,
    kind: kinds[i] ?? 'medium',
    catchPresent: kinds[i] !== 'slow' ? catchVerdict(r, romSlow).catchPresent : null,
    rejected: !accepted[i],
  }));
  const fastS = stretches.filter((s) => s.kind === 'fast' && !s.rejected);
  const aoc = med(fastS.map((s) => s.aocDeg));
  const theta0 = med(fastS.map((s) => s.thetaStartDeg));
  const rmsLV = med(slow.map((s) => s.rms));
  const rmsHV = med(fast.map((s) => s.rms));
  const withReflex = stretches.filter((s) => !s.rejected && s.reflexPresent === true);
  const pts = withReflex
    .filter((s) => s.dsrtDeg !== null && s.onsetVelDegS !== null)
    .map((s) => ({ dsrtDeg: s.dsrtDeg ?? 0, velocityDegS: s.onsetVelDegS ?? 0 }));
  const span =
    pts.length > 0
      ? Math.max(...pts.map((p) => p.velocityDegS)) - Math.min(...pts.map((p) => p.velocityDegS))
      : 0;
  const anyEmg = stretches.some((s) => s.reflexPresent !== null);
  if (slow.length < 3 || fast.length < 3) quality.push('tooFewStretches');
  return {
    algorithmVersion: STRETCH_ALGORITHM_VERSION,
    parameters: {
      latencyMs: options.latencyMs ?? 35,
      rmsWindowMs: options.rmsWindowMs ?? 50,
      accelLowpassHz: options.accelLowpassHz ?? 20,
      slowMaxDegS: slowMax,
      fastShareOfMax: fastShare,
      onsetMethod: 'tkeo',
      sampleRateHz,
    },
    quality,
    stretches,
    romSlowDeg: romSlow,
    aocDeg: aoc,
    aocPctRom:
      aoc !== null && romSlow !== null && theta0 !== null
        ? (100 * (aoc - theta0)) / (romSlow - theta0)
        : null,
    dynamicComponentDeg: aoc !== null && romSlow !== null ? romSlow - aoc : null,
    catchPresentCount: fastS.filter((s) => s.catchPresent === true).length,
    fastCount: fastS.length,
    slowCount: slow.length,
    peakVelSlowDegS: med(slow.map((s) => s.peakVelDegS)),
    peakVelFastDegS: med(fast.map((s) => s.peakVelDegS)),
    rmsLV,
    rmsHV,
    deltaRms: rmsLV !== null && rmsHV !== null ? rmsHV - rmsLV : null,
    rmsRatio: rmsLV !== null && rmsHV !== null && rmsLV > 0 ? rmsHV / rmsLV : null,
    rmsHVrel: rmsHV !== null && options.restRms ? rmsHV / options.restRms : null,
    reflexPresentCount: withReflex.length,
    dsrtDeg: med(withReflex.map((s) => s.dsrtDeg)),
    onsetVelDegS: med(withReflex.map((s) => s.onsetVelDegS)),
    emgToCatchDelayMs: med(withReflex.filter((s) => s.kind === 'fast').map((s) => s.emgToCatchDelayMs)),
    thresholdVelocityDegS: withReflex.length > 0 ? Math.min(...withReflex.map((s) => s.peakVelDegS)) : null,
    thresholdVelocityW50DegS: anyEmg
      ? logisticW50(
          stretches
            .filter((x) => !x.rejected && x.reflexPresent !== null)
            .map((x) => ({ velocityDegS: x.peakVelDegS, reflex: x.reflexPresent === true })),
        )
      : null,
    tsrt:
      anyEmg && withReflex.length === 0 && stretches.length > 0
        ? 'outside ROM'
        : pts.length >= 3 && span >= 100
          ? fitTsrt(pts)
          : null,
    aocCv: fastS.length >= 2 ? coefficientOfVariation(fastS.map((s) => s.aocDeg)) : null,
    catchReference: catchVerdict({ aocDeg: 0, thetaStartDeg: 0, thetaMaxDeg: 0 }, romSlow).reference,
  };
}

/** Zero-phase 4th-order 20 Hz low-pass of θ or ω at the IMU rate (helper for callers that smooth angles). */
export function smoothKinematics(x: ArrayLike<number>, sampleRateHz: number, cutoffHz = 20): Float64Array {
  return sosfiltfilt(butterworthSos(4, Math.min(cutoffHz, 0.45 * sampleRateHz), 'lowpass', sampleRateHz), x);
}
