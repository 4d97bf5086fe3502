/**
 * Counted protocol guidance for a recording in progress (domain.md §2.2 passive stretches, §3.2 pendulum,
 * §2.5/§5 rest): what each protocol asks for (repetitions, velocity band, rest length, spacing) and a small
 * state machine that turns the live indicators into one sentence such as "Fast stretch 2 of 3 — next in 4 s".
 * Pure: the caller feeds observations (wall time, recorded time, paused, live indicators) in time order.
 */

/** Velocities of a stretch kind, °/s, judged on the stretch's peak angular velocity. */
export interface VelocityBand {
  /** Peak at or above this is on target (fast stretches). */
  goodMinDegS?: number;
  /** Peak at or below this is on target (slow stretches). */
  goodMaxDegS?: number;
  /** Peak below this does not count as a repetition. */
  countMinDegS?: number;
  /** Peak above this does not count as a repetition. */
  countMaxDegS?: number;
}

/** What a protocol asks for. */
export type ProtocolTarget =
  | { kind: 'rest'; restS: number }
  | {
      kind: 'stretches';
      /** "Slow stretch" or "Fast stretch". */
      label: string;
      repetitions: number;
      band: VelocityBand;
      /** Wait between stretches, s. */
      intervalS: number;
    }
  | { kind: 'drops'; minDrops: number; maxDrops: number; intervalS: number }
  | { kind: 'free' };

/**
 * Targets per protocol id. Slow stretches (§2.2): 3, target ≤ 30 °/s; §2.3 rejects a "slow" stretch whose
 * peak exceeds 60 °/s, so that is where one stops counting. Fast stretches: 3, as fast as possible; 100–200 °/s
 * is the optional medium band of §2.2, so a fast stretch is on target from 200 °/s and counts from 100 °/s.
 * ≥ 5 s between stretches. Rest: ≥ 30 s still. Pendulum (§3.2): 3–6 drops, 30–60 s apart.
 */
export const PROTOCOL_TARGETS: Readonly<Record<string, ProtocolTarget>> = {
  rest: { kind: 'rest', restS: 30 },
  'passive-stretch-slow': {
    kind: 'stretches',
    label: 'Slow stretch',
    repetitions: 3,
    band: { goodMaxDegS: 30, countMaxDegS: 60 },
    intervalS: 5,
  },
  'passive-stretch-fast': {
    kind: 'stretches',
    label: 'Fast stretch',
    repetitions: 3,
    band: { goodMinDegS: 200, countMinDegS: 100 },
    intervalS: 5,
  },
  pendulum: { kind: 'drops', minDrops: 3, maxDrops: 6, intervalS: 30 },
  free: { kind: 'free' },
};

/** The target of a protocol id; unknown ids (and `free`) have no target. */
export function protocolTargetOf(protocolId: string): ProtocolTarget {
  return PROTOCOL_TARGETS[protocolId] ?? { kind: 'free' };
}

/** How a velocity compares with a band. */
export type VelocityVerdict = 'good' | 'too-fast' | 'too-slow';

/** Judges a stretch's peak velocity (°/s, sign ignored) against `band`; `counts` says whether it is a repetition. */
export function judgeVelocity(
  band: VelocityBand,
  peakDegS: number,
): { verdict: VelocityVerdict; counts: boolean } {
  const v = Math.abs(peakDegS);
  const verdict: VelocityVerdict =
    band.goodMaxDegS !== undefined && v > band.goodMaxDegS
      ? 'too-fast'
      : band.goodMinDegS !== undefined && v < band.goodMinDegS
        ? 'too-slow'
        : 'good';
  const counts =
    (band.countMinDegS === undefined || v >= band.countMinDegS) &&
    (band.countMaxDegS === undefined || v <= band.countMaxDegS);
  return { verdict, counts };
}

/** The part of the live indicators the guide needs (see the `liveIndicators` event). */
export interface GuideLive {
  velocityDegS: number;
  stretchesCompleted: number;
  dropsStarted: number;
  stretch: { inProgress: boolean; peakVelDegS: number } | null;
}

/** One observation, in time order. */
export interface GuideInput {
  /** Wall time, ms (for the waits between repetitions). */
  nowMs: number;
  /** Recorded time, s (stops while paused). */
  recordedS: number;
  paused: boolean;
  /** Latest live indicators of the recording's device, if any arrived yet. */
  live?: GuideLive;
  /**
   * Writes a velocity (°/s, sign already dropped) into the sentence, e.g. in rad/s for display; only the
   * text changes, never what is judged or counted. Default: whole °/s, "35 °/s".
   */
  formatVelocityDegS?: (speedDegS: number) => string;
}

/**
 * What to show: `cue` is the kind of advice, for an icon and styling (never the only carrier: `text` says it
 * all). `count` is repetitions done so far, `isComplete` once the target is reached.
 */
export interface Guidance {
  text: string;
  cue: 'go' | 'wait' | 'good' | 'too-fast' | 'too-slow' | 'still' | 'moving' | 'paused' | 'done' | 'none';
  count: number;
  isComplete: boolean;
}

/** |ω| below this is still, °/s (domain.md §1.2 static periods). */
export const STILL_DEG_S = 5;

const round = (x: number): string => String(Math.round(x));
const wholeDegS = (speedDegS: number): string => `${round(speedDegS)} °/s`;
const secondsLeft = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/**
 * Counts a protocol's repetitions from the start of a recording and says what to do next. Guarantees:
 * stretches and drops are counted only when completed (a drop when released) after the first observation,
 * never while paused; a stretch already in progress at the first observation, or that was in progress at
 * any moment of a pause, is not counted (its recording is incomplete); a stretch outside the band's counting
 * limits is not counted and the next sentence says why; the count stops at the target (repetitions, or the
 * most pendulum drops). Rest counts recorded time, so a pause stops it.
 */
export class ProtocolGuide {
  private stretchBase: number | undefined;
  private dropBase: number | undefined;
  private count = 0;
  private lastDoneAtMs: number | undefined;
  private tainted = false;
  private rejected: { peakDegS: number; verdict: VelocityVerdict } | undefined;

  constructor(readonly target: ProtocolTarget) {}

  update(input: GuideInput): Guidance {
    switch (this.target.kind) {
      case 'rest':
        return this.rest(this.target.restS, input);
      case 'stretches':
        return this.stretches(this.target, input);
      case 'drops':
        return this.drops(this.target, input);
      case 'free':
        return {
          text: 'Record freely; add markers for anything worth finding later.',
          cue: 'none',
          count: 0,
          isComplete: false,
        };
    }
  }

  private rest(restS: number, { recordedS, paused, live }: GuideInput): Guidance {
    const s = Math.min(restS, Math.floor(recordedS));
    if (s >= restS)
      return { text: `Rest ${restS} s done — stop when ready`, cue: 'done', count: s, isComplete: true };
    if (paused)
      return { text: `Rest ${s} of ${restS} s — paused`, cue: 'paused', count: s, isComplete: false };
    const moving = live !== undefined && Math.abs(live.velocityDegS) >= STILL_DEG_S;
    return moving
      ? {
          text: `Rest ${s} of ${restS} s — movement seen, keep still`,
          cue: 'moving',
          count: s,
          isComplete: false,
        }
      : { text: `Rest ${s} of ${restS} s, keep still`, cue: 'still', count: s, isComplete: false };
  }

  private stretches(
    t: Extract<ProtocolTarget, { kind: 'stretches' }>,
    { nowMs, paused, live, formatVelocityDegS = wholeDegS }: GuideInput,
  ): Guidance {
    if (live) {
      const inProgress = live.stretch?.inProgress === true;
      if (this.stretchBase === undefined) {
        this.stretchBase = live.stretchesCompleted;
        this.tainted = inProgress;
      }
      const newly = live.stretchesCompleted - this.stretchBase;
      if (newly > 0) {
        this.stretchBase = live.stretchesCompleted;
        const last = live.stretch && !live.stretch.inProgress ? live.stretch : undefined;
        const judged = last
          ? judgeVelocity(t.band, last.peakVelDegS)
          : { verdict: 'good' as const, counts: true };
        if (this.tainted || paused || this.count >= t.repetitions) {
          this.rejected = undefined;
        } else if (judged.counts) {
          this.count = Math.min(t.repetitions, this.count + newly);
          this.rejected = undefined;
          this.lastDoneAtMs = nowMs;
        } else {
          this.rejected = { peakDegS: last?.peakVelDegS ?? 0, verdict: judged.verdict };
          this.lastDoneAtMs = nowMs;
        }
        this.tainted = false;
      }
      if (paused && inProgress) this.tainted = true;
    }
    const n = t.repetitions;
    const next = `${t.label} ${Math.min(this.count + 1, n)} of ${n}`;
    if (this.count >= n)
      return {
        text: `${t.label} ${n} of ${n} done — stop when ready`,
        cue: 'done',
        count: this.count,
        isComplete: true,
      };
    const base = { count: this.count, isComplete: false };
    if (paused) return { ...base, text: `${next} — paused`, cue: 'paused' };
    const current = live?.stretch?.inProgress ? live.stretch : undefined;
    if (current && !this.tainted) {
      const { verdict } = judgeVelocity(t.band, current.peakVelDegS);
      const speed = formatVelocityDegS(Math.abs(current.peakVelDegS));
      if (verdict === 'too-fast')
        return { ...base, text: `${next}: ${speed} — too fast, slow down`, cue: 'too-fast' };
      if (verdict === 'too-slow')
        return { ...base, text: `${next}: ${speed} — too slow, faster`, cue: 'too-slow' };
      return { ...base, text: `${next}: ${speed} — good`, cue: 'good' };
    }
    const waitMs = this.lastDoneAtMs === undefined ? 0 : this.lastDoneAtMs + t.intervalS * 1000 - nowMs;
    const wait = waitMs > 0 ? `in ${secondsLeft(waitMs)} s` : 'now';
    if (this.rejected) {
      const why = this.rejected.verdict === 'too-fast' ? 'too fast' : 'too slow';
      return {
        ...base,
        text: `${next} — the last one (${formatVelocityDegS(Math.abs(this.rejected.peakDegS))}) was ${why} and not counted; repeat ${wait}`,
        cue: this.rejected.verdict,
      };
    }
    return waitMs > 0
      ? { ...base, text: `${next} — next ${wait}`, cue: 'wait' }
      : { ...base, text: `${next} — go`, cue: 'go' };
  }

  private drops(
    t: Extract<ProtocolTarget, { kind: 'drops' }>,
    { nowMs, paused, live }: GuideInput,
  ): Guidance {
    if (live) {
      this.dropBase ??= live.dropsStarted;
      const newly = live.dropsStarted - this.dropBase;
      if (newly > 0) {
        this.dropBase = live.dropsStarted;
        if (!paused) {
          this.count = Math.min(t.maxDrops, this.count + newly);
          this.lastDoneAtMs = nowMs;
        }
      }
    }
    const range = `${t.minDrops}–${t.maxDrops}`;
    const base = { count: this.count, isComplete: this.count >= t.minDrops };
    if (this.count >= t.maxDrops)
      return { ...base, text: `Pendulum drop ${t.maxDrops} of ${range} done — stop when ready`, cue: 'done' };
    const next = `Pendulum drop ${this.count + 1} of ${range}`;
    if (paused) return { ...base, text: `${next} — paused`, cue: 'paused' };
    const waitMs = this.lastDoneAtMs === undefined ? 0 : this.lastDoneAtMs + t.intervalS * 1000 - nowMs;
    if (this.count >= t.minDrops)
      return {
        ...base,
        text: `${this.count} drops done — stop when ready, or ${next.toLowerCase()} ${waitMs > 0 ? `in ${secondsLeft(waitMs)} s` : 'now'}`,
        cue: 'done',
      };
    return waitMs > 0
      ? { ...base, text: `${next} — next in ${secondsLeft(waitMs)} s`, cue: 'wait' }
      : { ...base, text: `${next} — lift, hold 1 s, release`, cue: 'go' };
  }
}

/**
 * The step a guidance is at, in one short sentence for a polite screen-reader announcement: it changes only
 * when a repetition is counted, the target is reached or the recording is paused or resumed, never with the
 * velocity or the seconds of a wait. Empty for protocols without a target.
 */
export function guidanceStep(target: ProtocolTarget, g: Guidance): string {
  const paused = g.cue === 'paused' ? ', paused' : '';
  switch (target.kind) {
    case 'free':
      return '';
    case 'rest':
      return g.isComplete
        ? `Rest ${target.restS} s done`
        : `Rest of ${target.restS} s${paused || ' running'}`;
    case 'stretches':
      return g.isComplete
        ? `${target.label} ${target.repetitions} of ${target.repetitions} done, stop when ready`
        : `${target.label} ${g.count} of ${target.repetitions} counted${paused}`;
    case 'drops':
      return g.count >= target.maxDrops
        ? `Pendulum drop ${target.maxDrops} of ${target.maxDrops} done, stop when ready`
        : `Pendulum drop ${g.count} of ${target.minDrops}–${target.maxDrops} counted${paused}`;
  }
}
