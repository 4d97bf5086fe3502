import { butterworthSos } from '../dsp/butterworth.js';
import { SlidingRms } from '../dsp/envelope.js';
import { SosFilter } from '../dsp/sos-filter.js';
import { catchVerdict, STRETCH_QUIET_LEAD_S, StretchStartGate } from './passive-stretch.js';
import type { SampleBlock, StreamDescriptor } from '../shared/samples.js';

/**
 * Live (causal, block-by-block) indicators for the recording screen: per-channel 50 ms RMS envelope of the
 * band-passed EMG, the current stretch velocity, and a running stretch detector with catch (maximum
 * deceleration before end range) and reflex (EMG envelope above μ_rest + 3σ_rest for ≥ 25 ms) flags.
 * The same rules as the offline analysis (§2.3/§2.4), computed with causal filters, so values agree with
 * the offline path within the tolerances stated in the tests (causal filters lag by a few ms).
 * Pure: the caller pushes blocks in order per stream and reads {@link LiveIndicators.snapshot} at display rate.
 */
export const LIVE_ALGORITHM_VERSION = 'live-indicators/1.1.0';

export interface LiveIndicatorOptions {
  /** EMG stream id (default: the first stream with EMG channels). */
  emgStreamId?: string;
  /** Stream and channel whose values are the stretch angular velocity (default: first gyro channel). */
  velocity?: { streamId: string; channelId: string };
  rmsWindowMs?: number;
  /** R2 from the slow stretches, for the catch test; without it the stretch's own maximum angle is used. */
  romSlowDeg?: number;
  /** Known rest statistics of the 50 ms RMS of the first EMG channel; otherwise learnt while still. */
  rest?: { mean: number; sd: number };
}

/** A stretch seen live. Times are seconds since the first sample of the velocity stream. */
export interface LiveStretch {
  startS: number;
  endS: number | null;
  peakVelDegS: number;
  thetaStartDeg: number;
  thetaMaxDeg: number;
  aocDeg: number;
  catchPresent: boolean | null;
  reflexPresent: boolean;
}

export interface LiveSnapshot {
  algorithmVersion: string;
  /** Latest 50 ms RMS per EMG channel, channel unit, in stream channel order. */
  emgRms: number[];
  /** Latest stretch angular velocity, °/s. */
  velocityDegS: number;
  /** Stretch in progress, if any. */
  current: LiveStretch | null;
  /** Completed stretches, oldest first (at most the last 50). */
  stretches: LiveStretch[];
  /** Stretches completed since the first sample (or the last reset); never decreases, unlike `stretches`. */
  stretchesCompleted: number;
  /**
   * Pendulum releases since the first sample (or the last reset): ω below −20 °/s after ≥ 0.5 s with
   * |ω| < 5 °/s (the hold before a drop, as the offline drop detector); never decreases.
   */
  dropsStarted: number;
  rest: { mean: number; sd: number } | null;
}

const UNIT_TO_DEG: Record<string, number> = { 'deg/s': 1, 'rad/s': 180 / Math.PI };

/**
 * Group delay at DC of second-order sections, samples: Σ over sections of Σn·b_n/Σb_n − Σn·a_n/Σa_n. The
 * live angular acceleration comes from a causal low-pass that lags by about this much, so the live catch
 * takes the angle this many samples back: the offline analysis filters zero-phase and has no lag.
 */
function dcGroupDelaySamples(sos: ArrayLike<number>): number {
  let tau = 0;
  for (let o = 0; o + 5 < sos.length; o += 6) {
    const b = [sos[o] ?? 0, sos[o + 1] ?? 0, sos[o + 2] ?? 0];
    const a = [sos[o + 3] ?? 0, sos[o + 4] ?? 0, sos[o + 5] ?? 0];
    const moment = (c: number[]): number => ((c[1] ?? 0) + 2 * (c[2] ?? 0)) / c.reduce((x, y) => x + y, 0);
    tau += moment(b) - moment(a);
  }
  return tau;
}

export class LiveIndicators {
  private readonly emgStream: StreamDescriptor | undefined;
  private readonly emgFilters: SosFilter[] = [];
  private readonly emgRms: SlidingRms[] = [];
  private readonly latestRms: number[] = [];
  // Per-channel work buffers for the filtered EMG and its envelope, reused while the block length holds.
  private readonly emgFiltered: Float64Array[] = [];
  private readonly emgEnvelope: Float64Array[] = [];
  private readonly velocity: { streamId: string; index: number; scale: number; fs: number } | undefined;
  private readonly accelFilter: SosFilter | undefined;
  private readonly alphaLagSamples: number;
  /** The last ⌈alphaLagSamples⌉ + 1 angles, ring indexed by sample number. */
  private readonly thetaHistory: Float64Array;
  private readonly minAboveEmg: number;
  // Kinematic state.
  private samples = 0;
  private theta = 0;
  private lastOmega = 0;
  private lastSmooth = NaN;
  private readonly startGate: StretchStartGate | undefined;
  private current: (LiveStretch & { alphaMin: number; below: number; startIndex: number }) | null = null;
  private readonly done: LiveStretch[] = [];
  private completed = 0;
  private drops = 0;
  /** Samples of |ω| < 5 °/s in a row, for the pendulum hold (counted also during stretches). */
  private still = 0;
  // EMG state for reflexes and rest statistics.
  private aboveRun = 0;
  private restMean = NaN;
  private restVar = NaN;
  private emgSamples = 0;
  private reflexUntilS = -Infinity;

  constructor(
    streams: readonly StreamDescriptor[],
    private readonly options: LiveIndicatorOptions = {},
  ) {
    // The 20 Hz EMG band needs a rate above 20 / 0.45 Hz (a BITalino at 1 or 10 Hz has no EMG indicators).
    const hasEmgBand = (s: StreamDescriptor): boolean => 0.45 * s.sampleRateHz > 20;
    this.emgStream = (
      options.emgStreamId
        ? streams.filter((s) => s.id === options.emgStreamId)
        : streams.filter((s) => s.channels.some((c) => c.kind === 'emg'))
    ).find(hasEmgBand);
    const e = this.emgStream;
    if (e) {
      const band: [number, number] = [20, Math.min(450, 0.45 * e.sampleRateHz)];
      for (let k = 0; k < e.channels.length; k++) {
        this.emgFilters.push(new SosFilter(butterworthSos(4, band, 'bandpass', e.sampleRateHz)));
        this.emgRms.push(
          new SlidingRms(Math.max(1, Math.round(((options.rmsWindowMs ?? 50) * e.sampleRateHz) / 1000))),
        );
        this.latestRms.push(0);
      }
    }
    this.minAboveEmg = e ? Math.max(1, Math.round(0.025 * e.sampleRateHz)) : 1;
    let vel: { streamId: string; index: number; scale: number; fs: number } | undefined;
    for (const s of streams) {
      const idx = s.channels.findIndex((c) =>
        options.velocity
          ? s.id === options.velocity.streamId && c.id === options.velocity.channelId
          : c.kind === 'gyro',
      );
      const ch = s.channels[idx];
      if (ch && UNIT_TO_DEG[ch.unit] !== undefined) {
        vel = { streamId: s.id, index: idx, scale: UNIT_TO_DEG[ch.unit] ?? 1, fs: s.sampleRateHz };
        break;
      }
    }
    this.velocity = vel;
    this.startGate = vel ? new StretchStartGate(vel.fs) : undefined;
    const accelSos = vel ? butterworthSos(4, Math.min(20, 0.45 * vel.fs), 'lowpass', vel.fs) : undefined;
    this.accelFilter = accelSos ? new SosFilter(accelSos) : undefined;
    // Lag of α: the low-pass plus half a sample of the backward difference.
    this.alphaLagSamples = accelSos ? Math.max(0, dcGroupDelaySamples(accelSos) + 0.5) : 0;
    this.thetaHistory = new Float64Array(Math.ceil(this.alphaLagSamples) + 1);
    if (options.rest) {
      this.restMean = options.rest.mean;
      this.restVar = options.rest.sd ** 2;
    }
  }

  /** Feeds one block (EMG or IMU); blocks of other streams are ignored. */
  push(block: SampleBlock): void {
    if (this.emgStream && block.streamId === this.emgStream.id) this.pushEmg(block);
    if (this.velocity && block.streamId === this.velocity.streamId) this.pushVelocity(block);
  }

  private pushEmg(block: SampleBlock): void {
    const fs = this.emgStream?.sampleRateHz ?? 1;
    let env0: Float64Array | undefined;
    block.data.forEach((x, k) => {
      const y = this.emgFilters[k]?.process(x, this.scratch(this.emgFiltered, k, x.length));
      const env = y ? this.emgRms[k]?.process(y, this.scratch(this.emgEnvelope, k, x.length)) : undefined;
      if (env && env.length > 0) this.latestRms[k] = env[env.length - 1] ?? 0;
      if (k === 0) env0 = env;
    });
    if (!env0) return;
    const still = this.current === null && this.startGate?.isStill === true;
    const alpha = 1 / (2 * fs);
    for (let i = 0; i < env0.length; i++) {
      const v = env0[i] ?? 0;
      const tS = (this.emgSamples + i) / fs;
      if (!this.options.rest && still && this.emgSamples + i > 0.25 * fs) {
        if (Number.isNaN(this.restMean)) {
          this.restMean = v;
          this.restVar = 0;
        } else {
          const d = v - this.restMean;
          this.restMean += alpha * d;
          this.restVar = (1 - alpha) * (this.restVar + alpha * d * d);
        }
      }
      const threshold = this.restMean + 3 * Math.sqrt(this.restVar);
      this.aboveRun = Number.isFinite(threshold) && v > threshold ? this.aboveRun + 1 : 0;
      if (this.aboveRun >= this.minAboveEmg) {
        const onsetS = tS - (this.minAboveEmg - 1) / fs;
        if (this.current && onsetS >= this.current.startS - 0.05) this.current.reflexPresent = true;
        else this.reflexUntilS = Math.max(this.reflexUntilS, onsetS);
        const last = this.done.at(-1);
        if (
          !this.current &&
          last &&
          last.endS !== null &&
          onsetS <= last.endS + 0.1 &&
          onsetS >= last.startS - 0.05
        )
          last.reflexPresent = true;
      }
    }
    this.emgSamples += env0.length;
  }

  /** buffers[k], reallocated when the block length changes. */
  private scratch(buffers: Float64Array[], k: number, length: number): Float64Array {
    let b = buffers[k];
    if (b?.length !== length) {
      b = new Float64Array(length);
      buffers[k] = b;
    }
    return b;
  }

  private pushVelocity(block: SampleBlock): void {
    const v = this.velocity;
    const raw = v ? block.data[v.index] : undefined;
    const gate = this.startGate;
    if (!v || !raw || !this.accelFilter || !gate) return;
    const fs = v.fs;
    const omega = Float64Array.from(raw, (x) => x * v.scale);
    const smooth = this.accelFilter.process(omega);
    const stayNeed = Math.max(1, Math.round(0.1 * fs));
    const quietNeed = Math.round(STRETCH_QUIET_LEAD_S * fs);
    for (let i = 0; i < omega.length; i++) {
      const w = omega[i] ?? 0;
      const n = this.samples + i;
      if (w < -20 && this.still >= quietNeed) this.drops++;
      this.still = Math.abs(w) < 5 ? this.still + 1 : 0;
      if (n > 0) this.theta += (0.5 * (this.lastOmega + w)) / fs;
      this.lastOmega = w;
      const h = this.thetaHistory;
      h[n % h.length] = this.theta;
      // The angle when the (lagging) α was measured; before the history fills, the first angle.
      const back = Math.max(0, n - this.alphaLagSamples);
      const k0 = Math.floor(back);
      const k1 = Math.min(n, k0 + 1);
      const thetaAtAlpha =
        (h[k0 % h.length] ?? this.theta) * (1 - (back - k0)) + (h[k1 % h.length] ?? this.theta) * (back - k0);
      const sm = smooth[i] ?? 0;
      const alpha = Number.isNaN(this.lastSmooth) ? 0 : (sm - this.lastSmooth) * fs;
      this.lastSmooth = sm;
      const c = this.current;
      if (c) {
        c.peakVelDegS = Math.max(c.peakVelDegS, w);
        c.thetaMaxDeg = Math.max(c.thetaMaxDeg, this.theta);
        if (alpha < c.alphaMin) {
          c.alphaMin = alpha;
          c.aocDeg = Math.max(c.thetaStartDeg, thetaAtAlpha);
        }
        c.below = w < 0.1 * c.peakVelDegS ? c.below + 1 : 0;
        if (c.below >= stayNeed) {
          c.endS = (n - c.below) / fs;
          c.catchPresent = catchVerdict(c, this.options.romSlowDeg).catchPresent;
          const { alphaMin: _a, below: _b, startIndex: _s, ...stretch } = c;
          this.done.push(stretch);
          this.completed++;
          if (this.done.length > 50) this.done.shift();
          this.current = null;
          gate.reset();
        }
        continue;
      }
      if (gate.push(w)) {
        const startS = n / fs;
        this.current = {
          startS,
          endS: null,
          peakVelDegS: w,
          thetaStartDeg: this.theta,
          thetaMaxDeg: this.theta,
          aocDeg: this.theta,
          catchPresent: null,
          reflexPresent: this.reflexUntilS >= startS - 0.05,
          alphaMin: alpha,
          below: 0,
          startIndex: n,
        };
      }
    }
    this.samples += omega.length;
  }

  snapshot(): LiveSnapshot {
    const c = this.current;
    return {
      algorithmVersion: LIVE_ALGORITHM_VERSION,
      emgRms: [...this.latestRms],
      velocityDegS: this.lastOmega,
      current: c
        ? {
            startS: c.startS,
            endS: null,
            peakVelDegS: c.peakVelDegS,
            thetaStartDeg: c.thetaStartDeg,
            thetaMaxDeg: c.thetaMaxDeg,
            aocDeg: c.aocDeg,
            catchPresent: null,
            reflexPresent: c.reflexPresent,
          }
        : null,
      stretches: this.done.map((s) => ({ ...s })),
      stretchesCompleted: this.completed,
      dropsStarted: this.drops,
      rest: Number.isFinite(this.restMean) ? { mean: this.restMean, sd: Math.sqrt(this.restVar) } : null,
    };
  }

  /** Back to the state of a fresh instance (filters, envelopes, stretch history, learnt rest statistics). */
  reset(): void {
    for (const f of this.emgFilters) f.reset();
    for (const r of this.emgRms) r.reset();
    this.latestRms.fill(0);
    this.accelFilter?.reset();
    this.samples = 0;
    this.theta = 0;
    this.lastOmega = 0;
    this.lastSmooth = NaN;
    this.thetaHistory.fill(0);
    this.startGate?.reset();
    this.current = null;
    this.done.length = 0;
    this.completed = 0;
    this.drops = 0;
    this.still = 0;
    this.aboveRun = 0;
    this.restMean = this.options.rest ? this.options.rest.mean : NaN;
    this.restVar = this.options.rest ? this.options.rest.sd ** 2 : NaN;
    this.emgSamples = 0;
    this.reflexUntilS = -Infinity;
  }
}
