import { butterworthSos } from '../dsp/butterworth.js';
import { detectLineNoise } from '../dsp/notch.js';
import { SosFilter } from '../dsp/sos-filter.js';
import type { ChannelDescriptor, SampleBlock, SignalKind, StreamDescriptor } from '../shared/samples.js';
import {
  channelVerdict,
  LINE_NOISE_DB,
  type ChannelVerdict,
  type SignalQualityIssue,
} from './channel-verdict.js';
import { toMicrovolts } from './quality.js';

/**
 * Live signal quality per channel, for the Devices and Live screens: a rolling estimate over the last
 * `windowS` seconds (default 2 s) of every channel, read about once a second.
 *
 * Measures (EMG channels):
 * - noise level: RMS of the causally band-passed signal (4th-order Butterworth 20–450 Hz, capped at 0.45·fs,
 *   as the live indicators use) in the quietest 250 ms window of the last `windowS`, in µV; null for units
 *   without a physical scale (counts). The quietest window is the baseline between bursts, so a muscle that
 *   works now and then does not read as noise.
 * - line noise: the domain.md §1.3 test ({@link detectLineNoise}) on the raw samples of the last
 *   `lineNoiseWindowS` (default 8 s), in dB (PSD at mains ± 1 Hz over the reference bands); "detected"
 *   above 10 dB. The test's 1 s Welch segments need several seconds to average: over 2 s (one segment) the
 *   ratio of clean noise swings by ± 6 dB and would flag good channels now and then. A hum that starts shows
 *   within 1–2 s anyway, as it stands far above the threshold.
 * - clipping: share of samples at or beyond the channel's `rangeMin`/`rangeMax` (§1.3 flag above 0.1 %).
 * - flat line: standard deviation below 0.5 µV (exactly 0 for counts) in every 250 ms window of the last
 *   1 s (§1.3: SD < 0.5 µV for > 1 s).
 *
 * Verdict rules (./channel-verdict.ts, shared with the stored analysis), first match wins:
 * - `off` (electrode off or lead broken) when the channel is railed (≥ 50 % of the window clipped), or flat
 *   for 1 s, or mains hum dominates: line noise detected while even the quietest 250 ms window is above
 *   {@link SignalQualityOptions.humOffUv} (default 50 µV) RMS, which a skin contact does not produce.
 * - `check` when clipping exceeds 0.1 %, line noise is detected, or the quietest 250 ms window exceeds
 *   {@link SignalQualityOptions.noisyUv} (default 20 µV RMS: poor contact, or a muscle that never relaxes).
 * - `good` otherwise.
 * Accelerometer and gyroscope channels get the clipping and flat-line rules only (flat = SD exactly 0: a
 * live IMU always shows sensor noise); other kinds (angle, marker) only the clipping rules, since a still
 * goniometer may legitimately repeat one value. Before the first 250 ms of a stream the verdict is `check` ("waiting for signal").
 *
 * Cost: a causal band-pass and a few sums per EMG sample, O(1) per sample; {@link evaluate} copies the window
 * once per EMG channel for the spectrum (amortised O(1) per sample at one call a second). Memory: the
 * line-noise window of raw samples per EMG channel and `windowS / 0.25 s` sums per channel, independent of stream length.
 * Pure: the caller pushes blocks in order per stream.
 */
export const LIVE_SIGNAL_QUALITY_VERSION = 'live-signal-quality/1.0.0';

export type { ChannelVerdict, SignalQualityIssue } from './channel-verdict.js';

/** Quality of one channel over the evaluated window. */
export interface LiveChannelQuality {
  streamId: string;
  channelId: string;
  label: string;
  kind: SignalKind;
  verdict: ChannelVerdict;
  /** What led to the verdict, most serious first; empty when `good`. */
  issues: SignalQualityIssue[];
  /** One plain sentence per issue, same order. */
  reasons: string[];
  /** EMG: RMS of the band-passed signal in its quietest 250 ms window, µV; null for IMU and unscaled units. */
  noiseUv: number | null;
  /**
   * EMG: §1.3 line-noise ratio, dB, capped at 99 (a pure tone over an otherwise silent input); null for
   * IMU, too little signal, or fs too low for the test.
   */
  lineNoiseDb: number | null;
  /** Share of samples at the range limits over the window, 0–1. */
  clippedFraction: number;
  isFlat: boolean;
  /** Seconds of signal the values are computed from (at most `windowS`). */
  windowS: number;
}

/** Settings and thresholds of {@link LiveSignalQuality}; the defaults are the ones the rules above name. */
export interface SignalQualityOptions {
  /** Site mains frequency for the line-noise test (default 50 Hz). */
  mainsHz?: 50 | 60;
  /** Seconds of signal evaluated (default 2; rounded to whole 250 ms windows, at least 1 s). */
  windowS?: number;
  /** Seconds of raw EMG the line-noise test uses (default 8; at least `windowS`). */
  lineNoiseWindowS?: number;
  /** Quietest-window RMS above which a baseline is "noisy", µV (default 20). */
  noisyUv?: number;
  /** Quietest-window RMS above which detected line noise means the electrode is off, µV (default 50). */
  humOffUv?: number;
}

const SUB_WINDOW_S = 0.25;
const FLAT_SD_UV = 0.5;
const MAX_LINE_NOISE_DB = 99;

/** Sums of one channel over one 250 ms window. */
interface Bin {
  count: number;
  clipped: number;
  /** Sum and sum of squares of raw − the window's first sample (keeps float sums well conditioned). */
  sum: number;
  sum2: number;
  first: number;
  /** Sum of squares of the band-passed signal (EMG). */
  filteredSum2: number;
}

const emptyBin = (): Bin => ({ count: 0, clipped: 0, sum: 0, sum2: 0, first: 0, filteredSum2: 0 });

class ChannelState {
  /** Completed windows, ring of `bins.length`, the oldest at `next`. */
  readonly bins: Bin[];
  next = 0;
  completed = 0;
  current: Bin = emptyBin();
  /** Raw samples of the window, ring (EMG only). */
  readonly raw: Float32Array | undefined;
  rawNext = 0;
  rawCount = 0;
  readonly filter: SosFilter | undefined;
  isPrimed = false;
  readonly scaleUv: number | undefined;
  readonly isEmg: boolean;
  /** The flat-line rule applies (EMG and IMU sensors always show some noise). */
  readonly canBeFlat: boolean;

  constructor(
    readonly channel: ChannelDescriptor,
    readonly binCount: number,
    lineSamples: number,
    sampleRateHz: number,
  ) {
    this.bins = Array.from({ length: binCount }, emptyBin);
    this.isEmg = channel.kind === 'emg';
    this.canBeFlat = this.isEmg || channel.kind === 'accel' || channel.kind === 'gyro';
    this.scaleUv = toMicrovolts(channel.unit);
    if (this.isEmg) {
      this.raw = new Float32Array(lineSamples);
      const band: [number, number] = [20, Math.min(450, 0.45 * sampleRateHz)];
      this.filter =
        band[1] > band[0] ? new SosFilter(butterworthSos(4, band, 'bandpass', sampleRateHz)) : undefined;
    }
  }
}

class StreamState {
  readonly channels: ChannelState[];
  readonly binSamples: number;
  readonly windowSamples: number;
  private filtered = new Float64Array(0);

  constructor(
    readonly descriptor: StreamDescriptor,
    windowS: number,
    lineNoiseWindowS: number,
  ) {
    const fs = descriptor.sampleRateHz;
    this.binSamples = Math.max(1, Math.round(SUB_WINDOW_S * fs));
    const binCount = Math.max(4, Math.round(windowS / SUB_WINDOW_S));
    this.windowSamples = binCount * this.binSamples;
    const lineSamples = Math.max(this.windowSamples, Math.round(lineNoiseWindowS * fs));
    this.channels = descriptor.channels.map((c) => new ChannelState(c, binCount, lineSamples, fs));
  }

  push(block: SampleBlock): void {
    this.channels.forEach((ch, k) => {
      const x = block.data[k];
      if (!x || x.length === 0) return;
      let y: Float64Array | undefined;
      if (ch.filter) {
        if (!ch.isPrimed) {
          ch.filter.primeWith(x[0] ?? 0);
          ch.isPrimed = true;
        }
        if (this.filtered.length < x.length) this.filtered = new Float64Array(x.length);
        y = ch.filter.process(x, this.filtered);
      }
      this.accumulate(ch, x, y);
    });
  }

  private accumulate(ch: ChannelState, x: Float32Array, y: Float64Array | undefined): void {
    const { rangeMin, rangeMax } = ch.channel;
    const raw = ch.raw;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] ?? 0;
      const bin = ch.current;
      if (bin.count === 0) bin.first = v;
      const d = v - bin.first;
      bin.sum += d;
      bin.sum2 += d * d;
      if (v <= rangeMin || v >= rangeMax) bin.clipped++;
      if (y) {
        const f = y[i] ?? 0;
        bin.filteredSum2 += f * f;
      }
      bin.count++;
      if (raw) {
        raw[ch.rawNext] = v;
        ch.rawNext = (ch.rawNext + 1) % raw.length;
        if (ch.rawCount < raw.length) ch.rawCount++;
      }
      if (bin.count === this.binSamples) {
        const done = ch.bins[ch.next] as Bin;
        ch.bins[ch.next] = bin;
        ch.next = (ch.next + 1) % ch.binCount;
        ch.completed = Math.min(ch.binCount, ch.completed + 1);
        Object.assign(done, emptyBin());
        ch.current = done;
      }
    }
  }

  reset(): void {
    for (const ch of this.channels) {
      for (const b of ch.bins) Object.assign(b, emptyBin());
      Object.assign(ch.current, emptyBin());
      ch.next = ch.completed = ch.rawNext = ch.rawCount = 0;
      ch.filter?.reset();
      ch.isPrimed = false;
    }
  }
}

/** Rolling per-channel signal quality; see {@link LIVE_SIGNAL_QUALITY_VERSION} for the rules. */
export class LiveSignalQuality {
  private readonly streams = new Map<string, StreamState>();
  private readonly mainsHz: 50 | 60;
  private readonly noisyUv: number;
  private readonly humOffUv: number;
  private lineScratch = new Float64Array(0);

  constructor(streams: readonly StreamDescriptor[], options: SignalQualityOptions = {}) {
    const windowS = Math.max(1, options.windowS ?? 2);
    const lineNoiseWindowS = options.lineNoiseWindowS ?? 8;
    for (const s of streams) this.streams.set(s.id, new StreamState(s, windowS, lineNoiseWindowS));
    this.mainsHz = options.mainsHz ?? 50;
    this.noisyUv = options.noisyUv ?? 20;
    this.humOffUv = options.humOffUv ?? 50;
  }

  /** Feeds one block; blocks of unknown streams are ignored. */
  push(block: SampleBlock): void {
    this.streams.get(block.streamId)?.push(block);
  }

  /** Forgets one stream's history (after a gap), or every stream's. */
  reset(streamId?: string): void {
    for (const [id, s] of this.streams) if (streamId === undefined || id === streamId) s.reset();
  }

  /** Quality of every channel over the window so far, in descriptor order (streams, then channels). */
  evaluate(): LiveChannelQuality[] {
    const out: LiveChannelQuality[] = [];
    for (const s of this.streams.values()) for (const ch of s.channels) out.push(this.evaluateChannel(s, ch));
    return out;
  }

  private evaluateChannel(s: StreamState, ch: ChannelState): LiveChannelQuality {
    const fs = s.descriptor.sampleRateHz;
    const c = ch.channel;
    const base = { streamId: s.descriptor.id, channelId: c.id, label: c.label, kind: c.kind };
    if (ch.completed === 0)
      return {
        ...base,
        verdict: 'check',
        issues: ['waiting'],
        reasons: ['Waiting for signal.'],
        noiseUv: null,
        lineNoiseDb: null,
        clippedFraction: 0,
        isFlat: false,
        windowS: 0,
      };
    let count = 0;
    let clipped = 0;
    let quietest = Infinity;
    let flatRun = 0;
    // Bins oldest to newest, so `flatRun` ends as the run of flat windows up to now.
    for (let j = 0; j < ch.completed; j++) {
      const b = ch.bins[(ch.next - ch.completed + j + ch.binCount) % ch.binCount] as Bin;
      count += b.count;
      clipped += b.clipped;
      quietest = Math.min(quietest, b.filteredSum2 / b.count);
      const sd = Math.sqrt(Math.max(0, b.sum2 / b.count - (b.sum / b.count) ** 2));
      const isFlatBin = !ch.canBeFlat
        ? false
        : ch.isEmg && ch.scaleUv !== undefined
          ? sd * ch.scaleUv < FLAT_SD_UV
          : sd === 0;
      flatRun = isFlatBin ? flatRun + 1 : 0;
    }
    const clippedFraction = clipped / count;
    const isFlat = flatRun * SUB_WINDOW_S >= 1 - 1e-9;
    const noiseUv =
      ch.isEmg && ch.filter && ch.scaleUv !== undefined ? Math.sqrt(quietest) * ch.scaleUv : null;
    let lineNoiseDb: number | null = null;
    if (ch.raw && ch.rawCount >= 64 && fs > 2 * (this.mainsHz + 10)) {
      const n = ch.rawCount;
      if (this.lineScratch.length !== n) this.lineScratch = new Float64Array(n);
      const start = (ch.rawNext - n + ch.raw.length) % ch.raw.length;
      for (let i = 0; i < n; i++) this.lineScratch[i] = ch.raw[(start + i) % ch.raw.length] ?? 0;
      const ratio = detectLineNoise(this.lineScratch, fs, this.mainsHz, LINE_NOISE_DB).ratioDb;
      lineNoiseDb = Number.isNaN(ratio) ? null : Math.min(ratio, MAX_LINE_NOISE_DB);
    }
    const { verdict, issues, reasons } = channelVerdict(
      { clippedFraction, isFlat, noiseUv, lineNoiseDb },
      { mainsHz: this.mainsHz, noisyUv: this.noisyUv, humOffUv: this.humOffUv },
    );
    return {
      ...base,
      verdict,
      issues,
      reasons,
      noiseUv,
      lineNoiseDb,
      clippedFraction,
      isFlat,
      windowS: count / fs,
    };
  }
}
