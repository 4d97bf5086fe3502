import { butterworthSos } from './butterworth.js';
import { sosfiltfilt } from './sos-filter.js';

/**
 * Joint angle, angular velocity and angular acceleration from a single IMU (domain.md §1.2, single-segment
 * method). Angles in degrees, angular velocity in °/s, acceleration in °/s².
 */

/** Mean gyro reading over [start, end): the bias to subtract (≥ 2 s of static data recommended). */
export function gyroBias(omega: ArrayLike<number>, start = 0, end = omega.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += omega[i] ?? 0;
  return end > start ? s / (end - start) : 0;
}

/** Projects a 3-axis gyro (°/s) on the unit joint axis `axis` after subtracting the per-axis bias. */
export function projectOnAxis(
  gyro: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  axis: readonly [number, number, number],
  bias: readonly [number, number, number] = [0, 0, 0],
): Float64Array {
  const norm = Math.hypot(...axis);
  if (!(norm > 0)) throw new RangeError('joint axis must be non-zero');
  const n = gyro[0].length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] =
      (((gyro[0][i] ?? 0) - bias[0]) * axis[0] +
        ((gyro[1][i] ?? 0) - bias[1]) * axis[1] +
        ((gyro[2][i] ?? 0) - bias[2]) * axis[2]) /
      norm;
  return out;
}

/** Sagittal inclination θ_incl = atan2(a_x, a_y) in degrees, per sample (axes already aligned). */
export function inclinationDeg(ax: ArrayLike<number>, ay: ArrayLike<number>): Float64Array {
  const out = new Float64Array(ax.length);
  for (let i = 0; i < ax.length; i++) out[i] = (Math.atan2(ax[i] ?? 0, ay[i] ?? 0) * 180) / Math.PI;
  return out;
}

/** θ(t) = θ₀ + ∫ω dt by the trapezoidal rule; sample 0 is θ₀. */
export function integrateAngle(
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  theta0Deg = 0,
): Float64Array {
  const dt = 1 / sampleRateHz;
  const out = new Float64Array(omegaDegS.length);
  let theta = theta0Deg;
  for (let i = 0; i < omegaDegS.length; i++) {
    if (i > 0) theta += 0.5 * ((omegaDegS[i - 1] ?? 0) + (omegaDegS[i] ?? 0)) * dt;
    out[i] = theta;
  }
  return out;
}

/**
 * Complementary filter θ̂ₖ = c(θ̂ₖ₋₁ + ωₖΔt) + (1 − c)θ_incl,k with c = τ/(τ + Δt), τ = 1 s by default; the
 * accelerometer correction is frozen (c = 1) while |ω| > `freezeAboveDegS` (20 °/s), because inclination is
 * invalid during fast motion. Stateful for block-by-block use; starts at the first inclination sample.
 */
export class ComplementaryAngle {
  private theta = NaN;
  private readonly c: number;
  private readonly dt: number;

  constructor(
    readonly sampleRateHz: number,
    readonly timeConstantS = 1,
    readonly freezeAboveDegS = 20,
  ) {
    this.dt = 1 / sampleRateHz;
    this.c = timeConstantS / (timeConstantS + this.dt);
  }

  process(
    omegaDegS: ArrayLike<number>,
    inclinationDegIn: ArrayLike<number>,
    out = new Float64Array(omegaDegS.length),
  ): Float64Array {
    for (let i = 0; i < omegaDegS.length; i++) {
      const w = omegaDegS[i] ?? 0;
      const incl = inclinationDegIn[i] ?? 0;
      if (Number.isNaN(this.theta)) this.theta = incl;
      else {
        const predicted = this.theta + w * this.dt;
        this.theta =
          Math.abs(w) > this.freezeAboveDegS ? predicted : this.c * predicted + (1 - this.c) * incl;
      }
      out[i] = this.theta;
    }
    return out;
  }

  reset(): void {
    this.theta = NaN;
  }
}

/** Static periods: runs where |ω| < `maxDegS` (5 °/s) for at least `minS` (0.5 s), as [start, end). */
export function staticPeriods(
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  maxDegS = 5,
  minS = 0.5,
): [number, number][] {
  const minLen = Math.round(minS * sampleRateHz);
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= omegaDegS.length; i++) {
    const still = i < omegaDegS.length && Math.abs(omegaDegS[i] ?? 0) < maxDegS;
    if (still && start < 0) start = i;
    else if (!still && start >= 0) {
      if (i - start >= minLen) out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/**
 * The static periods in which the segment is truly at rest, for a gyro bias estimate (domain.md §1.2 step 1:
 * static data before the trial). Each period loses 0.25 s at both ends and is cut to its longest stationary tail: 1 s block means of ω
 * within `maxDriftDegS` (default 0.1 °/s) of each other, so a leg still creeping toward rest after a swing
 * (|ω| < 5 °/s but decaying) is left out, its mean being movement, not bias. When any such period lies before
 * the first movement faster than 20 °/s, only those count; otherwise (a trace starting at the movement) the
 * later ones do.
 */
export function trueStillPeriods(
  omegaDegS: ArrayLike<number>,
  periods: readonly (readonly [number, number])[],
  sampleRateHz: number,
  maxDriftDegS = 0.1,
): [number, number][] {
  const block = Math.max(1, Math.round(sampleRateHz));
  const meanOf = (a: number, b: number): number => {
    let s = 0;
    for (let i = a; i < b; i++) s += omegaDegS[i] ?? 0;
    return s / Math.max(1, b - a);
  };
  // The ends of a static period hold the slow start or end of a movement (|ω| still < 5 °/s): 0.25 s off each.
  const edge = Math.round(0.25 * sampleRateHz);
  const inner = periods
    .map(([a, b]): [number, number] => [a + edge, b - edge])
    .filter(([a, b]) => b - a >= Math.min(block, 2 * edge));
  const tails = inner.flatMap(([a, b]): [number, number][] => {
    let lo = Infinity;
    let hi = -Infinity;
    let start = b;
    for (let e = b; e - a >= Math.min(block, b - a) && start > a; e -= block) {
      const m = meanOf(Math.max(a, e - block), e);
      lo = Math.min(lo, m);
      hi = Math.max(hi, m);
      if (hi - lo > maxDriftDegS) break;
      start = Math.max(a, e - block);
    }
    return b - start >= Math.min(block, b - a) ? [[start, b]] : [];
  });
  let firstMove = 0;
  while (firstMove < omegaDegS.length && Math.abs(omegaDegS[firstMove] ?? 0) <= 20) firstMove++;
  const before = tails.filter(([, b]) => b <= firstMove);
  return before.length > 0 ? before : tails;
}

/**
 * Offline angle (domain.md §1.2 step 5): integrate ω, re-anchor to the mean accelerometer inclination in
 * every static period (at its first and last 0.25 s) and remove the drift between anchors linearly. Without static periods this is plain
 * integration from the first inclination sample.
 */
export function anchoredAngle(
  omegaDegS: ArrayLike<number>,
  inclination: ArrayLike<number>,
  sampleRateHz: number,
): Float64Array {
  const raw = integrateAngle(omegaDegS, sampleRateHz, inclination[0] ?? 0);
  const anchors: { index: number; offset: number }[] = [];
  const edge = Math.max(1, Math.round(0.25 * sampleRateHz));
  const meanOffset = (s: number, e: number): number => {
    let d = 0;
    for (let i = s; i < e; i++) d += (inclination[i] ?? 0) - (raw[i] ?? 0);
    return d / (e - s);
  };
  for (const [s, e] of staticPeriods(omegaDegS, sampleRateHz)) {
    const headEnd = Math.min(e, s + edge);
    const tailStart = Math.max(s, e - edge);
    anchors.push({ index: Math.floor((s + headEnd) / 2), offset: meanOffset(s, headEnd) });
    anchors.push({ index: Math.floor((tailStart + e) / 2), offset: meanOffset(tailStart, e) });
  }
  if (anchors.length === 0) return raw;
  const out = new Float64Array(raw.length);
  let k = 0;
  for (let i = 0; i < raw.length; i++) {
    while (k < anchors.length - 1 && i > (anchors[k + 1]?.index ?? Infinity)) k++;
    const a = anchors[k];
    const b = anchors[k + 1];
    let off = a?.offset ?? 0;
    if (a && b && i > a.index) off = a.offset + ((b.offset - a.offset) * (i - a.index)) / (b.index - a.index);
    else if (a && i < a.index && k === 0) off = a.offset;
    out[i] = (raw[i] ?? 0) + off;
  }
  return out;
}

/** Central-difference derivative (numpy.gradient: one-sided at the ends), per second. */
export function derivative(x: ArrayLike<number>, sampleRateHz: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n < 2) return out;
  out[0] = ((x[1] ?? 0) - (x[0] ?? 0)) * sampleRateHz;
  out[n - 1] = ((x[n - 1] ?? 0) - (x[n - 2] ?? 0)) * sampleRateHz;
  for (let i = 1; i < n - 1; i++) out[i] = (((x[i + 1] ?? 0) - (x[i - 1] ?? 0)) * sampleRateHz) / 2;
  return out;
}

/**
 * Angular acceleration α = dω/dt after a zero-phase 4th-order Butterworth low-pass at `cutoffHz`
 * (default 20 Hz; domain.md §1.2), °/s². Signals too short for zero-phase padding are differentiated raw.
 */
export function angularAcceleration(
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  cutoffHz = 20,
): Float64Array {
  const sos = butterworthSos(4, Math.min(cutoffHz, sampleRateHz * 0.45), 'lowpass', sampleRateHz);
  const smooth = omegaDegS.length > 27 ? sosfiltfilt(sos, omegaDegS) : Float64Array.from(omegaDegS);
  return derivative(smooth, sampleRateHz);
}
