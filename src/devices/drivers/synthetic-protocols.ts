/**
 * The scripted physiology of the demo device: joint motion, reflex EMG envelopes and protocol steps for
 * each protocol, as pure functions of time, so that any sample can be computed from its index alone.
 *
 * Models (spec/domain.md): passive stretches per §2.2 with minimum-jerk movements; a velocity-dependent
 * catch (a brief deceleration before end range, §2.4 AOC1 and test vector T15) preceded by a reflex EMG
 * burst; Wartenberg pendulum drops per §3 as a linear damped oscillation whose damping grows with tone
 * (RI = 1 + exp(−πζ/√(1−ζ²)), §3.4); clonus per §4 as a decaying ≈6 Hz oscillation at end range.
 * Severity follows a relative baclofen concentration supplied as data (§6), never computed here.
 */

/** Protocols the demo device can play. Each repeats for as long as the device runs. */
export type SyntheticProtocol = 'demo' | 'rest' | 'passive-stretch' | 'pendulum' | 'clonus' | 'tour';

export const syntheticProtocols: readonly SyntheticProtocol[] = [
  'demo',
  'rest',
  'passive-stretch',
  'pendulum',
  'clonus',
  'tour',
];

/** A point of a relative baclofen concentration curve (C/Cmax, 0 = none, 1 = peak of a single dose). */
export interface ConcentrationPoint {
  /** ms since the Unix epoch, on the same clock as the device's `startTimeMs`. */
  timeMs: number;
  cRel: number;
}

/** What shapes the scripted physiology. Units in the names; angles in degrees. */
export interface PhysiologyParams {
  protocol: SyntheticProtocol;
  /** Host time of sample 0, ms since the Unix epoch. */
  startTimeMs: number;
  /** Length of one `demo` cycle (rest, fast stretch, hold, slow return), s. */
  cycleS: number;
  /** Range of every scripted stretch, degrees. */
  stretchRangeDeg: number;
  /** Duration of a fast stretch, s (70° in 0.4 s peaks near 330 °/s, a Tardieu V3). */
  stretchS: number;
  /** Duration of a slow stretch, s (70° in 3.5 s peaks near 38 °/s, a Tardieu V1). */
  slowStretchS: number;
  /** Spasticity without baclofen, 0 (none) to 1 (severe). */
  severity: number;
  /** Share of the severity removed at cRel = 1 (0..1); the effect is linear in cRel and clipped at 0. */
  baclofenEffect: number;
  /** Relative concentration over time, linearly interpolated, held flat outside; empty = no drug. */
  concentrationProfile: readonly ConcentrationPoint[];
  /** Stretch velocity above which the stretch reflex fires and the catch appears, °/s. */
  reflexThresholdDegS: number;
  /** Pendulum start angle above rest (shank inclination from vertical), degrees. */
  pendulumStartDeg: number;
  /** Damped frequency of the pendulum swing, Hz (a child's leg swings near 0.9 Hz). */
  pendulumHz: number;
  /** Damping ratio of a relaxed leg (0.1605 gives the normal RI of 1.6) and at full severity. */
  pendulumDampingRelaxed: number;
  pendulumDampingSevere: number;
  /** Clonus frequency, Hz (ankle clonus 3–8 Hz). */
  clonusHz: number;
}

/** The instantaneous state of the script. */
export interface MotionState {
  angleDeg: number;
  velocityDegS: number;
  /** Envelope of reflex (and tonic) EMG, 0..1 of the burst amplitude. */
  reflex: number;
  /** Protocol step, for annotations. */
  step: string;
}

/** A protocol step as an annotation (onset relative to sample 0). */
export interface ProtocolStep {
  onsetS: number;
  durationS: number;
  text: string;
}

/** Relative concentration at `timeMs`, linearly interpolated; 0 with an empty profile. */
export function concentrationAt(profile: readonly ConcentrationPoint[], timeMs: number): number {
  const first = profile[0];
  if (first === undefined) return 0;
  if (timeMs <= first.timeMs) return first.cRel;
  let lo = 0;
  let hi = profile.length - 1;
  const last = profile[hi] as ConcentrationPoint;
  if (timeMs >= last.timeMs) return last.cRel;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((profile[mid] as ConcentrationPoint).timeMs <= timeMs) lo = mid;
    else hi = mid;
  }
  const a = profile[lo] as ConcentrationPoint;
  const b = profile[hi] as ConcentrationPoint;
  return a.cRel + ((b.cRel - a.cRel) * (timeMs - a.timeMs)) / (b.timeMs - a.timeMs);
}

/** Effective severity at `tS` s after start: severity × (1 − baclofenEffect × cRel), clipped to 0..1. */
export function severityAt(p: PhysiologyParams, tS: number): number {
  const c = concentrationAt(p.concentrationProfile, p.startTimeMs + tS * 1000);
  return Math.min(1, Math.max(0, p.severity * (1 - p.baclofenEffect * c)));
}

/** Abramowitz & Stegun 7.1.26, |error| < 1.5e-7. */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

const minJerkPos = (u: number): number => {
  const c = Math.min(1, Math.max(0, u));
  return 10 * c ** 3 - 15 * c ** 4 + 6 * c ** 5;
};
const minJerkVel = (u: number): number => {
  const c = Math.min(1, Math.max(0, u));
  return 30 * c ** 2 - 60 * c ** 3 + 30 * c ** 4;
};

/** Catch depth (0..1) of a stretch of `rangeDeg` over `durationS` at severity `s`: zero below the threshold velocity. */
export function catchDepth(p: PhysiologyParams, rangeDeg: number, durationS: number, s: number): number {
  const peakDegS = (1.875 * rangeDeg) / durationS;
  const over = Math.min(1, Math.max(0, (peakDegS - p.reflexThresholdDegS) / p.reflexThresholdDegS));
  return 0.7 * s * over;
}

/**
 * A stretch from 0 to `rangeDeg` over `durationS` (local time `t`): minimum jerk, time-warped by a
 * Gaussian slow-down of relative depth `depth` at 40 % of the duration (the catch), the lost progress
 * spread evenly so the stretch still ends at `durationS`.
 */
function stretch(
  t: number,
  rangeDeg: number,
  durationS: number,
  depth: number,
): { angleDeg: number; velocityDegS: number } {
  const T = durationS;
  const tc = 0.4 * T;
  const w = 0.05 * T;
  const G = (x: number): number => ((w * Math.sqrt(Math.PI)) / 2) * (erf((x - tc) / w) + erf(tc / w));
  const GT = G(T);
  const u = (t - depth * G(t) + (depth * GT * t) / T) / T;
  const du = (1 - depth * Math.exp(-(((t - tc) / w) ** 2)) + (depth * GT) / T) / T;
  return { angleDeg: rangeDeg * minJerkPos(u), velocityDegS: rangeDeg * minJerkVel(u) * du };
}

const gauss = (t: number, centre: number, width: number): number => Math.exp(-(((t - centre) / width) ** 2));

interface Segment {
  durationS: number;
  step: string;
  at(t: number, s: number, p: PhysiologyParams): Omit<MotionState, 'step'>;
}

const still = (angleDeg: number, reflex = 0): Omit<MotionState, 'step'> => ({
  angleDeg,
  velocityDegS: 0,
  reflex,
});

function rest(durationS: number, step = 'Rest'): Segment {
  return { durationS, step, at: () => still(0) };
}

function stretchSegment(durationS: number, step: string): Segment {
  return {
    durationS,
    step,
    at(t, s, p) {
      const depth = catchDepth(p, p.stretchRangeDeg, durationS, s);
      const m = stretch(t, p.stretchRangeDeg, durationS, depth);
      const velocityFactor = depth / 0.7 / Math.max(s, 1e-9);
      // The reflex burst starts ~40 ms before the catch and lasts ~200 ms.
      const reflex = s * velocityFactor * gauss(t, 0.4 * durationS + 0.03, 0.1);
      return { ...m, reflex };
    },
  };
}

function hold(durationS: number, step = 'Hold'): Segment {
  return { durationS, step, at: (_t, _s, p) => still(p.stretchRangeDeg) };
}

function returnSegment(durationS: number): Segment {
  return {
    durationS,
    step: 'Return',
    at(t, _s, p) {
      const u = t / durationS;
      return {
        angleDeg: p.stretchRangeDeg * (1 - minJerkPos(u)),
        velocityDegS: (-p.stretchRangeDeg * minJerkVel(u)) / durationS,
        reflex: 0,
      };
    },
  };
}

/** Pendulum: lift to the start angle, hold, release into a damped swing about vertical. */
function pendulumSegments(): Segment[] {
  const lift: Segment = {
    durationS: 1.5,
    step: 'Lift',
    at(t, _s, p) {
      const u = t / 1.5;
      return {
        angleDeg: p.pendulumStartDeg * minJerkPos(u),
        velocityDegS: (p.pendulumStartDeg * minJerkVel(u)) / 1.5,
        reflex: 0,
      };
    },
  };
  const holdUp: Segment = { durationS: 1.5, step: 'Hold', at: (_t, _s, p) => still(p.pendulumStartDeg) };
  const swing: Segment = {
    durationS: 12,
    step: 'Pendulum drop',
    at(t, s, p) {
      const m = pendulumSwing(p, s, t);
      // A reflex burst in the stretched quadriceps during the first flexion swing, stronger with tone.
      const quarter = 1 / (4 * p.pendulumHz);
      return { ...m, reflex: s * gauss(t, quarter, 0.12) };
    },
  };
  return [rest(2), lift, holdUp, swing];
}

/**
 * The pendulum swing `t` s after release at severity `s`: φ(t) = A0·e^{−σt}[cos ω_d t + (σ/ω_d) sin ω_d t],
 * with ζ interpolated between the relaxed and severe damping ratios.
 */
export function pendulumSwing(
  p: PhysiologyParams,
  s: number,
  t: number,
): { angleDeg: number; velocityDegS: number } {
  const zeta = pendulumDamping(p, s);
  const wd = 2 * Math.PI * p.pendulumHz;
  const wn = wd / Math.sqrt(1 - zeta * zeta);
  const sigma = zeta * wn;
  const e = Math.exp(-sigma * t);
  const a0 = p.pendulumStartDeg;
  return {
    angleDeg: a0 * e * (Math.cos(wd * t) + (sigma / wd) * Math.sin(wd * t)),
    velocityDegS: ((-a0 * (sigma * sigma + wd * wd)) / wd) * e * Math.sin(wd * t),
  };
}

/** Damping ratio of the pendulum at severity `s`. */
export function pendulumDamping(p: PhysiologyParams, s: number): number {
  return p.pendulumDampingRelaxed + (p.pendulumDampingSevere - p.pendulumDampingRelaxed) * s;
}

/** Clonus: a fast stretch into a 10 s end-range hold with a decaying oscillation and beat-locked EMG. */
function clonusSegments(p: PhysiologyParams): Segment[] {
  const beats: Segment = {
    durationS: 10,
    step: 'Clonus hold',
    at(t, s) {
      const amplitude = clonusAmplitude(s);
      const tau = 1 + 8 * s;
      const w = 2 * Math.PI * p.clonusHz;
      const e = amplitude * Math.exp(-t / tau);
      // ω = A e^{−t/τ} sin(ωt); θ = end range + its integral (small, A/ω degrees).
      const velocityDegS = e * Math.sin(w * t);
      const angleDeg = p.stretchRangeDeg + (e / w) * (1 - Math.cos(w * t));
      const phase = Math.max(0, Math.sin(w * t - 0.6));
      return { angleDeg, velocityDegS, reflex: (amplitude / 60) * Math.exp(-t / tau) * phase ** 4 };
    },
  };
  return [rest(2), stretchSegment(p.stretchS, 'Fast stretch'), beats, returnSegment(2), rest(2)];
}

/** Peak clonus velocity, °/s, at severity `s`: none below 0.3, 60 °/s at full severity. */
export function clonusAmplitude(s: number): number {
  return 60 * Math.min(1, Math.max(0, (s - 0.3) / 0.7));
}

function demoSegments(p: PhysiologyParams): Segment[] {
  const stretchStart = p.cycleS * 0.4;
  const holdS = 1;
  const returnS = p.cycleS * 0.25;
  return [
    rest(stretchStart),
    stretchSegment(p.stretchS, 'Fast stretch'),
    hold(holdS),
    returnSegment(returnS),
    rest(Math.max(0, p.cycleS - stretchStart - p.stretchS - holdS - returnS)),
  ];
}

function scriptOf(p: PhysiologyParams): Segment[] {
  switch (p.protocol) {
    case 'demo':
      return demoSegments(p);
    case 'rest':
      return [rest(30)];
    case 'passive-stretch':
      return passiveStretchSegments(p);
    case 'pendulum':
      return pendulumSegments();
    case 'clonus':
      return clonusSegments(p);
    case 'tour':
      return [rest(5), ...passiveStretchSegments(p), ...pendulumSegments(), ...clonusSegments(p)];
  }
}

function passiveStretchSegments(p: PhysiologyParams): Segment[] {
  return [
    rest(3),
    stretchSegment(p.slowStretchS, 'Slow stretch'),
    hold(1),
    returnSegment(2),
    rest(3),
    stretchSegment(p.stretchS, 'Fast stretch'),
    hold(1),
    returnSegment(2),
  ];
}

/** Length of one repetition of the protocol's script, s. */
export function scriptPeriodS(p: PhysiologyParams): number {
  return scriptOf(p).reduce((n, s) => n + s.durationS, 0);
}

/**
 * A compiled script: motion and reflex envelope at any time since start, deterministic and independent of
 * how the caller walks through time.
 */
export class ProtocolScript {
  private readonly segments: Segment[];
  private readonly starts: number[];
  readonly periodS: number;

  constructor(readonly params: PhysiologyParams) {
    this.segments = scriptOf(params);
    this.starts = [];
    let t = 0;
    for (const s of this.segments) {
      this.starts.push(t);
      t += s.durationS;
    }
    this.periodS = t;
  }

  /** State at `tS` s after sample 0. */
  at(tS: number): MotionState {
    const local = ((tS % this.periodS) + this.periodS) % this.periodS;
    let i = this.segments.length - 1;
    while (i > 0 && (this.starts[i] as number) > local) i--;
    const seg = this.segments[i] as Segment;
    const s = severityAt(this.params, tS);
    return { ...seg.at(local - (this.starts[i] as number), s, this.params), step: seg.step };
  }

  /** Protocol steps (other than rest, hold and return) that start in [0, durationS), in order. */
  steps(durationS: number): ProtocolStep[] {
    const out: ProtocolStep[] = [];
    for (let base = 0; base < durationS; base += this.periodS) {
      this.segments.forEach((seg, i) => {
        const onsetS = base + (this.starts[i] as number);
        if (onsetS < durationS && !['Rest', 'Hold', 'Return', 'Lift'].includes(seg.step))
          out.push({ onsetS, durationS: seg.durationS, text: seg.step });
      });
    }
    return out;
  }
}
