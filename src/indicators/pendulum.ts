import { derivative } from '../dsp/imu.js';
import { levenbergMarquardt, rk45 } from './numerics.js';
import type { QualityFlag, ResultMeta } from './types.js';
import { median } from './types.js';

/**
 * Wartenberg pendulum test (domain.md §3.4): drop detection, angle-based indicators, log-decrement damping
 * and the nonlinear ODE fit I·θ̈ + B·θ̇ + K·(θ − θ_K) + m·g·l_c·sin θ = 0 (Lin & Rymer 1991; Valle 2006) by
 * Dormand–Prince integration and Levenberg–Marquardt. The linearised K = I·ωn² − m·g·l_c is never used.
 * Angles: shank inclination from vertical, degrees, positive toward extension.
 */
export const PENDULUM_ALGORITHM_VERSION = 'pendulum/1.1.0';

const G = 9.81;

/** Winter (2009) "foot and leg" segment: mass, centre of mass distance and moment of inertia about the knee. */
export function shankAnthropometrics(
  bodyMassKg: number,
  shankLengthM: number,
): { inertiaKgM2: number; gravityTorqueNm: number } {
  const m = 0.061 * bodyMassKg;
  const lc = 0.606 * shankLengthM;
  const inertiaKgM2 = m * (0.735 * shankLengthM) ** 2;
  return { inertiaKgM2, gravityTorqueNm: m * G * lc };
}

/** Small-angle natural frequency of a rigid leg swinging under gravity only, Hz (domain.md §3.4, T12). */
export function gravityNaturalFrequencyHz(bodyMassKg: number, shankLengthM: number): number {
  const { inertiaKgM2, gravityTorqueNm } = shankAnthropometrics(bodyMassKg, shankLengthM);
  return Math.sqrt(gravityTorqueNm / inertiaKgM2) / (2 * Math.PI);
}

export interface PendulumModel {
  inertiaKgM2: number;
  gravityTorqueNm: number;
  stiffnessNmPerRad: number;
  dampingNmsPerRad: number;
  /** Angle where the elastic torque is zero, rad from vertical. */
  thetaKRad: number;
}

/**
 * Simulates the pendulum model released at `theta0Deg` with velocity `omega0DegS`, returning θ in degrees at
 * `n` samples spaced 1/sampleRateHz (sample 0 = release).
 */
export function simulatePendulum(
  model: PendulumModel,
  theta0Deg: number,
  omega0DegS: number,
  sampleRateHz: number,
  n: number,
): Float64Array {
  const {
    inertiaKgM2: I,
    gravityTorqueNm: mgl,
    stiffnessNmPerRad: K,
    dampingNmsPerRad: B,
    thetaKRad,
  } = model;
  const times = Float64Array.from({ length: n }, (_, i) => i / sampleRateHz);
  const ys = rk45(
    (_t, y, d) => {
      const th = y[0] ?? 0;
      const w = y[1] ?? 0;
      d[0] = w;
      d[1] = -(B * w + K * (th - thetaKRad) + mgl * Math.sin(th)) / I;
    },
    [(theta0Deg * Math.PI) / 180, (omega0DegS * Math.PI) / 180],
    times,
  );
  return Float64Array.from(ys, (y) => ((y[0] ?? 0) * 180) / Math.PI);
}

export interface PendulumOptions {
  /** Body mass and shank (knee–lateral malleolus) length; without them K and B are reported per unit inertia. */
  bodyMassKg?: number;
  shankLengthM?: number;
  /** |φ| threshold for counting oscillations and duration, degrees (default 2). */
  oscillationThresholdDeg?: number;
  /** |φ| band for the settling time, degrees (default 1). */
  settleBandDeg?: number;
  /** Length of the ODE fit window after release, s (default 3). */
  fitWindowS?: number;
}

export interface PendulumFit {
  /** N·m/rad and N·m·s/rad with anthropometrics; otherwise K/I (s⁻²) and B/I (s⁻¹). */
  stiffness: number;
  damping: number;
  /** Fitted m·g·l_c/I (s⁻²) when no anthropometrics were given; otherwise null. */
  gravityPerInertia: number | null;
  normalised: boolean;
  rSquared: number;
  residualRmsDeg: number;
}

export interface PendulumResult extends ResultMeta {
  releaseIndex: number;
  releaseTimeS: number;
  thetaStartDeg: number;
  thetaRestDeg: number;
  a0Deg: number;
  a1Deg: number;
  firstReversalTimeS: number;
  firstReversalPhiDeg: number;
  ri: number;
  r2n: number;
  amp1EDeg: number;
  nOsc: number;
  durationS: number;
  settleTimeS: number;
  peakVel1DegS: number;
  tPeakVel1S: number;
  /** Threshold |φ| at which nOsc and duration count an extremum, degrees (stated with every result). */
  nOscThresholdDeg: number;
  /** Half-swing frequency (domain.md §3.4): 1 / (2 · mean half-period over the first 4, release included). */
  fdHz: number;
  /** Half-swing damping: ζ from the log decrement of successive half-swing extrema, release included. */
  zeta: number;
  /**
   * Full-period frequency: 1 / mean time between successive flexion minima (|φ| ≥ nOscThresholdDeg, first 4
   * periods). Leaves out the release half-swing, the most nonlinear one; NaN with fewer than 2 minima.
   */
  fdFullPeriodHz: number;
  /** Damping from the log decrement of successive flexion amplitudes |φ(min_i)| / |φ(min_i+1)| (full periods). */
  zetaFlexion: number;
  /** Release found at the trace's first samples, without the still hold the protocol asks for. */
  releaseAtStart: boolean;
  nonOscillatory: boolean;
  /** ∫|φ| dt over the first 2 s after release, °·s (reported for non-oscillatory drops, White 2007). */
  phiIntegral2sDegS: number;
  fit: PendulumFit | null;
}

/**
 * Release of each drop: the last sample with |ω| < 5 °/s before ω falls below −20 °/s, provided the leg was
 * held still (|ω| < 5 °/s) for at least `minHoldS` (default 0.5 s, [P]; the protocol holds ≥ 1 s), with at
 * least `minGapS` (default 10 s) between drops. A trace that starts at the release (still from its first
 * sample, or already falling there) has no hold to see; its first drop is then taken from the first still
 * sample (or sample 0) when that is the highest point before the fall (see {@link releasedAtStart}).
 */
export function detectDrops(
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  minGapS = 10,
  minHoldS = 0.5,
): number[] {
  const out: number[] = [];
  const hold = Math.round(minHoldS * sampleRateHz);
  let i = 0;
  while (i < omegaDegS.length) {
    if ((omegaDegS[i] ?? 0) < -20) {
      let r = i;
      while (r > 0 && Math.abs(omegaDegS[r] ?? 0) >= 5) r--;
      let still = 0;
      while (still < hold && r - still >= 0 && Math.abs(omegaDegS[r - still] ?? 0) < 5) still++;
      const atStart = out.length === 0 && (r - still < 0 || r === 0) && releasedAtStart(omegaDegS, 0, i);
      if ((still >= hold || atStart) && (out.length === 0 || r > (out.at(-1) ?? 0))) {
        out.push(r);
        i += Math.round(minGapS * sampleRateHz);
      } else i++;
    } else i++;
  }
  return out;
}

/**
 * True when the trace starts at a release: from its first sample `from` to the fall at `fallIndex` the leg
 * never moved toward extension faster than 5 °/s (so nothing before the fall is a lift still in progress).
 */
export function releasedAtStart(omegaDegS: ArrayLike<number>, from: number, fallIndex: number): boolean {
  for (let i = Math.max(0, from); i < fallIndex; i++) if ((omegaDegS[i] ?? 0) > 5) return false;
  return true;
}

/**
 * Why a trace has no pendulum drop, in words for the review; undefined when {@link detectDrops} finds one.
 */
export function noDropReason(omegaDegS: ArrayLike<number>, sampleRateHz: number): string | undefined {
  if (detectDrops(omegaDegS, sampleRateHz).length > 0) return undefined;
  let fastest = 0;
  for (let i = 0; i < omegaDegS.length; i++) fastest = Math.min(fastest, omegaDegS[i] ?? 0);
  if (fastest > -20)
    return `No release: the leg never fell faster than 20 °/s (fastest fall ${Math.round(-fastest)} °/s).`;
  return 'No release: every fall faster than 20 °/s followed movement toward extension, not a still hold of 0.5 s.';
}

/** Sample indices of local extrema of θ from ω sign changes after `from`; each carries its sign (−1 min). */
function extrema(
  theta: ArrayLike<number>,
  omega: ArrayLike<number>,
  from: number,
  to: number,
): { index: number; kind: -1 | 1 }[] {
  const out: { index: number; kind: -1 | 1 }[] = [];
  for (let i = from + 1; i < to; i++) {
    const a = omega[i - 1] ?? 0;
    const b = omega[i] ?? 0;
    if (a < 0 && b >= 0) {
      const idx = (theta[i - 1] ?? 0) <= (theta[i] ?? 0) ? i - 1 : i;
      if (out.at(-1)?.kind !== -1) out.push({ index: idx, kind: -1 });
    } else if (a > 0 && b <= 0) {
      const idx = (theta[i - 1] ?? 0) >= (theta[i] ?? 0) ? i - 1 : i;
      if (out.length > 0 && out.at(-1)?.kind !== 1) out.push({ index: idx, kind: 1 });
    }
  }
  return out;
}

/** Sub-sample position of an extremum at sample i by a parabola through i − 1, i, i + 1. */
function refineExtremum(theta: ArrayLike<number>, i: number): number {
  const a = theta[i - 1];
  const b = theta[i] ?? 0;
  const c = theta[i + 1];
  if (a === undefined || c === undefined) return i;
  const den = a - 2 * b + c;
  return den !== 0 ? i + (0.5 * (a - c)) / den : i;
}

/**
 * Analyses one drop in θ (degrees) sampled at `sampleRateHz`, starting from `releaseIndex` (see
 * {@link detectDrops}); `endIndex` bounds the drop (default: end of signal). ω is derived from θ if absent.
 */
export function analyzePendulumDrop(
  thetaDeg: ArrayLike<number>,
  sampleRateHz: number,
  releaseIndex: number,
  options: PendulumOptions = {},
  omegaDegS: ArrayLike<number> = derivative(thetaDeg, sampleRateHz),
  endIndex = thetaDeg.length,
): PendulumResult {
  const fs = sampleRateHz;
  const oscTh = options.oscillationThresholdDeg ?? 2;
  const settleBand = options.settleBandDeg ?? 1;
  const fitWindowS = options.fitWindowS ?? 3;
  const quality: QualityFlag[] = [];
  // Released at the trace's start: fewer than 0.5 s of stillness before the release, reaching sample 0.
  let held = 0;
  while (releaseIndex - held - 1 >= 0 && Math.abs(omegaDegS[releaseIndex - held - 1] ?? 0) < 5) held++;
  const releaseAtStart = releaseIndex - held <= 0 && held < Math.round(0.5 * fs);
  // A central-difference ω already moves one sample before the fall: step forward to the last sample
  // from which θ has not yet dropped by more than 0.01°.
  let r0 = releaseIndex;
  while (r0 + 1 < endIndex && (thetaDeg[r0] ?? 0) - (thetaDeg[r0 + 1] ?? 0) <= 0.01) r0++;
  const thetaStart = thetaDeg[r0] ?? NaN;
  // Rest angle: median θ over the final 2 s of the first quiet run (|ω| < 2 °/s for ≥ 2 s) starting at least
  // 8 s after release: the final 2 s of a single drop; with several drops, the rest before the next lift.
  if (endIndex - r0 < Math.round(10 * fs)) quality.push('shortRecording');
  const need = Math.round(2 * fs);
  let restStart = -1;
  let run = 0;
  for (let i = r0 + Math.round(8 * fs); i < endIndex; i++) {
    run = Math.abs(omegaDegS[i] ?? 0) < 2 ? run + 1 : 0;
    if (run >= need) {
      // Extend the quiet run to its end and keep its final 2 s.
      let j = i;
      while (j + 1 < endIndex && Math.abs(omegaDegS[j + 1] ?? 0) < 2) j++;
      restStart = j - need + 1;
      break;
    }
  }
  const restValues: number[] = [];
  if (restStart >= 0) for (let i = restStart; i < restStart + need; i++) restValues.push(thetaDeg[i] ?? NaN);
  else for (let i = Math.max(r0, endIndex - need); i < endIndex; i++) restValues.push(thetaDeg[i] ?? NaN);
  const thetaRest = median(restValues);
  const phi = (i: number): number => (thetaDeg[i] ?? NaN) - thetaRest;
  const ex = extrema(thetaDeg, omegaDegS, r0, endIndex);
  const firstMin = ex.find((e) => e.kind === -1);
  const a0 = thetaStart - thetaRest;
  const a1 = firstMin ? thetaStart - (thetaDeg[firstMin.index] ?? NaN) : NaN;
  const ri = a1 / a0;
  const afterMin = firstMin ? ex.find((e) => e.kind === 1 && e.index > firstMin.index) : undefined;
  const amp1E =
    firstMin && afterMin ? (thetaDeg[afterMin.index] ?? NaN) - (thetaDeg[firstMin.index] ?? NaN) : NaN;
  const significant = ex.filter((e) => Math.abs(phi(e.index)) >= oscTh);
  const nOsc = significant.filter((e) => e.kind === -1).length;
  const lastSig = significant.at(-1);
  let settle = r0;
  for (let i = endIndex - 1; i > r0; i--)
    if (Math.abs(phi(i)) > settleBand) {
      settle = i + 1;
      break;
    }
  let peakVel = 0;
  let peakIdx = r0;
  for (let i = r0; i <= (firstMin?.index ?? r0); i++)
    if (Math.abs(omegaDegS[i] ?? 0) > peakVel) {
      peakVel = Math.abs(omegaDegS[i] ?? 0);
      peakIdx = i;
    }
  // Log decrement over successive half-swing extrema, release included as the first one (first 4 swings).
  const swing = [r0, ...ex.map((e) => e.index)].slice(0, 5);
  const halfPeriods: number[] = [];
  const logs: number[] = [];
  for (let k = 0; k + 1 < swing.length; k++) {
    const a = Math.abs(phi(swing[k] ?? 0));
    const b = Math.abs(phi(swing[k + 1] ?? 0));
    halfPeriods.push(((swing[k + 1] ?? 0) - (swing[k] ?? 0)) / fs);
    if (a > 0 && b > 0) logs.push(Math.log(a / b));
  }
  const fd =
    halfPeriods.length > 0 ? 1 / (2 * (halfPeriods.reduce((a, b) => a + b, 0) / halfPeriods.length)) : NaN;
  const delta = logs.length > 0 ? (2 * logs.reduce((a, b) => a + b, 0)) / logs.length : NaN;
  const zeta = delta / Math.sqrt(4 * Math.PI ** 2 + delta ** 2);
  // Full periods between successive significant flexion minima (first 4 periods), sub-sample refined.
  const minima = significant.filter((e) => e.kind === -1).slice(0, 5);
  const periods: number[] = [];
  const flexLogs: number[] = [];
  for (let k = 0; k + 1 < minima.length; k++) {
    const a = minima[k];
    const b = minima[k + 1];
    if (!a || !b) continue;
    periods.push((refineExtremum(thetaDeg, b.index) - refineExtremum(thetaDeg, a.index)) / fs);
    const pa = Math.abs(phi(a.index));
    const pb = Math.abs(phi(b.index));
    if (pa > 0 && pb > 0) flexLogs.push(Math.log(pa / pb));
  }
  const fdFullPeriod = periods.length > 0 ? periods.length / periods.reduce((a, b) => a + b, 0) : NaN;
  const deltaFlex = flexLogs.length > 0 ? flexLogs.reduce((a, b) => a + b, 0) / flexLogs.length : NaN;
  const zetaFlexion = deltaFlex / Math.sqrt(4 * Math.PI ** 2 + deltaFlex ** 2);
  const nonOscillatory = !(ri >= 1);
  if (nonOscillatory) quality.push('nonOscillatory');
  let integral = 0;
  for (let i = r0; i < Math.min(endIndex, r0 + Math.round(2 * fs)); i++) integral += Math.abs(phi(i)) / fs;
  const fit = fitPendulumOde(
    thetaDeg,
    fs,
    r0,
    Math.min(endIndex, r0 + Math.round(fitWindowS * fs)),
    thetaRest,
    options,
    ri,
    fd,
    zeta,
  );
  if (!fit) quality.push('fitFailed');
  else if (fit.normalised) quality.push('noAnthropometrics');
  return {
    algorithmVersion: PENDULUM_ALGORITHM_VERSION,
    parameters: {
      oscillationThresholdDeg: oscTh,
      settleBandDeg: settleBand,
      fitWindowS,
      sampleRateHz: fs,
      ...(options.bodyMassKg !== undefined ? { bodyMassKg: options.bodyMassKg } : {}),
      ...(options.shankLengthM !== undefined ? { shankLengthM: options.shankLengthM } : {}),
    },
    quality,
    releaseIndex: r0,
    releaseTimeS: r0 / fs,
    thetaStartDeg: thetaStart,
    thetaRestDeg: thetaRest,
    a0Deg: a0,
    a1Deg: a1,
    firstReversalTimeS: firstMin ? (refineExtremum(thetaDeg, firstMin.index) - r0) / fs : NaN,
    firstReversalPhiDeg: firstMin ? phi(firstMin.index) : NaN,
    ri,
    r2n: ri / 1.6,
    amp1EDeg: amp1E,
    nOsc,
    durationS: lastSig ? (lastSig.index - r0) / fs : 0,
    settleTimeS: (settle - r0) / fs,
    peakVel1DegS: peakVel,
    tPeakVel1S: (peakIdx - r0) / fs,
    nOscThresholdDeg: oscTh,
    fdHz: fd,
    zeta,
    fdFullPeriodHz: fdFullPeriod,
    zetaFlexion,
    releaseAtStart,
    nonOscillatory,
    phiIntegral2sDegS: integral,
    fit,
  };
}

function fitPendulumOde(
  thetaDeg: ArrayLike<number>,
  fs: number,
  start: number,
  end: number,
  thetaRestDeg: number,
  options: PendulumOptions,
  ri: number,
  fdHz: number,
  zeta: number,
): PendulumFit | null {
  const n = end - start;
  if (n < Math.round(0.5 * fs) || !Number.isFinite(thetaRestDeg)) return null;
  const measured = Float64Array.from({ length: n }, (_, i) => thetaDeg[start + i] ?? 0);
  const th0 = measured[0] ?? 0;
  // Released from rest without push (protocol §3.2): ω(release) = 0.
  const w0 = 0;
  const thf = (thetaRestDeg * Math.PI) / 180;
  const hasBody = options.bodyMassKg !== undefined && options.shankLengthM !== undefined;
  const body = hasBody
    ? shankAnthropometrics(options.bodyMassKg ?? 0, options.shankLengthM ?? 0)
    : { inertiaKgM2: 1, gravityTorqueNm: 0 };
  const z = Number.isFinite(zeta) && zeta > 0 && zeta < 1 ? zeta : Number.isFinite(ri) && ri < 1 ? 0.9 : 0.2;
  const wd = Number.isFinite(fdHz) && fdHz > 0 ? 2 * Math.PI * fdHz : 2 * Math.PI;
  const wn2 = (wd * wd) / (1 - z * z);
  // Start from the linearised estimate (only as an initial guess), floored to stay physical.
  const model = (p: readonly number[]): PendulumModel => {
    const I = body.inertiaKgM2;
    const mgl = hasBody ? body.gravityTorqueNm : Math.max(0, p[2] ?? 0);
    const K = p[0] ?? 0;
    return {
      inertiaKgM2: I,
      gravityTorqueNm: mgl,
      stiffnessNmPerRad: K,
      dampingNmsPerRad: p[1] ?? 0,
      thetaKRad: K > 1e-9 ? thf + (mgl * Math.sin(thf)) / K : thf,
    };
  };
  const p0 = hasBody
    ? [
        Math.max(0.1 * body.gravityTorqueNm, body.inertiaKgM2 * wn2 - body.gravityTorqueNm),
        2 * z * Math.sqrt(wn2) * body.inertiaKgM2,
      ]
    : [0.3 * wn2, 2 * z * Math.sqrt(wn2), 0.7 * wn2];
  const residuals = (p: readonly number[]): Float64Array => {
    if (p.some((v) => !(v >= 0))) return new Float64Array(n).fill(NaN);
    try {
      const sim = simulatePendulum(model(p), th0, w0, fs, n);
      return sim.map((v, i) => ((v - (measured[i] ?? 0)) * Math.PI) / 180);
    } catch {
      return new Float64Array(n).fill(NaN);
    }
  };
  const res = levenbergMarquardt(residuals, p0, 60);
  if (!Number.isFinite(res.cost)) return null;
  let mean = 0;
  for (const v of measured) mean += v;
  mean /= n;
  let ssTot = 0;
  for (const v of measured) ssTot += (((v - mean) * Math.PI) / 180) ** 2;
  return {
    stiffness: res.params[0] ?? NaN,
    damping: res.params[1] ?? NaN,
    gravityPerInertia: hasBody ? null : (res.params[2] ?? NaN),
    normalised: !hasBody,
    rSquared: ssTot > 0 ? 1 - res.cost / ssTot : NaN,
    residualRmsDeg: (Math.sqrt(res.cost / n) * 180) / Math.PI,
  };
}
