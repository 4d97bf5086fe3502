import { butterworthSos } from '../dsp/butterworth.js';
import { rms } from '../dsp/envelope.js';
import { lineNotchSos } from '../dsp/notch.js';
import { detectOnsets, SESSION_ONSET_METHOD, sessionOnsetInput, type OnsetMethod } from '../dsp/onset.js';
import { defaultPadLength, sosfiltfilt, sosfiltfiltPadded } from '../dsp/sos-filter.js';
import { meanFrequencyHz, medianFrequencyHz, welch } from '../dsp/welch.js';
import type { WorkBuffers } from '../dsp/work-buffers.js';
import { finiteOrNull, type EmgChannelSummary } from '../shared/analysis.js';
import type { StreamDescriptor } from '../shared/samples.js';
import { spliceOut } from './discontinuities.js';
import { firstEmgEnvelopes, type FirstEmgEnvelopes, type KinematicGrid } from './first-emg-envelopes.js';
import { emgQuality, toMicrovolts } from './quality.js';
import { analyzeRestTone } from './rest-tone.js';
import type { DiscontinuityS } from './types.js';

/** The options one EMG channel's analysis depends on (plain data: they can be posted to a worker thread). */
export interface EmgChannelOptions {
  /** Site mains frequency for the line-noise test and notch (default 50). */
  mainsHz?: 50 | 60;
  onsetMethod?: OnsetMethod;
  /** Quiet-rest window in s for the rest tone; default the whole recording. */
  restWindowS?: readonly [number, number];
  /** Samples known to be missing; > 0 flags `droppedSamples`. */
  droppedSamples?: number;
  /** Spans without real data, s from the start: cut out before the statistics. */
  discontinuitiesS?: readonly DiscontinuityS[];
  /** The kinematic grid the clonus EMG envelope is wanted on (stretch protocols only). */
  clonusGrid?: KinematicGrid;
}

/** What the analysis of one EMG channel found. */
export interface EmgChannelResult {
  summary: EmgChannelSummary;
  /** RMS of the filtered signal over each burst of `summary.onsets`, in that order (null if not finite). */
  burstRms: (number | null)[];
  /**
   * The filtered channel over the whole recording (`y`) and without the paused spans (`kept`; `y` itself
   * when there are none), with the envelopes the protocol indicators take from it: only when asked for, as
   * the protocol indicators use the first channel's.
   */
  filtered?: { y: Float64Array; kept: Float64Array; envelopes: FirstEmgEnvelopes };
}

const SPECTRUM_SEGMENT_S = 0.5;
/**
 * Name of the work buffer the first channel's filtered signal (`filtered.y`, with its zero-phase pads) is
 * claimed from: whoever hands an earlier result's `filtered.y.buffer` back under this name (`WorkBuffers.give`)
 * spares the next analysis of an equally long recording an hour-long fresh allocation.
 */
export const KEPT_FILTERED_BUFFER = 'emg-kept-filtered';
/** Session onsets closer than this are one burst [P] (baseline methods only; BioSPPy never merges). */
export const ONSET_MERGE_GAP_MS = 100;

/**
 * Welch segment length for EMG spectra: the power of two nearest 0.5 s (512 at 1 kHz, 1024 at 2 kHz), or the
 * whole signal if shorter. Everything else is scipy.signal.welch's default at every recording length (periodic
 * Hann, 50 % overlap, mean detrend, all segments averaged), so MDF/MNF equal scipy's on any recording
 * (test/src/dsp/spectrum-agreement.test.ts).
 */
export function spectrumSegmentLength(n: number, fs: number): number {
  return Math.min(n, 2 ** Math.round(Math.log2(Math.max(8, SPECTRUM_SEGMENT_S * fs))));
}

/** Whether {@link analyzeEmgChannel} analyses this channel (≥ 100 Hz and long enough to filter). */
export function emgChannelAnalysable(
  descriptor: StreamDescriptor,
  raw: ArrayLike<number> | undefined,
): boolean {
  return raw !== undefined && descriptor.sampleRateHz >= 100 && raw.length > 3 * 9;
}

/**
 * Amplitude, spectrum, onsets, rest tone and quality of EMG channel `k` of a stream, from its raw samples.
 * Pure and deterministic. With `work`, the long intermediate signals live in its buffers (reused by the
 * next channel); the result never refers to them, except `filtered`, which is freshly allocated when
 * `keepFiltered` asks for it. Undefined for a channel that is not {@link emgChannelAnalysable}.
 */
export function analyzeEmgChannel(
  descriptor: StreamDescriptor,
  k: number,
  raw: Float32Array | undefined,
  options: EmgChannelOptions,
  keepFiltered = false,
  work?: WorkBuffers,
): EmgChannelResult | undefined {
  const ch = descriptor.channels[k];
  if (!raw || !ch || !emgChannelAnalysable(descriptor, raw)) return undefined;
  const fs = descriptor.sampleRateHz;
  const mains = options.mainsHz ?? 50;
  const band: [number, number] = [20, Math.min(450, 0.45 * fs)];
  // DC removal is implicit: the band-pass starts from its steady state and removes DC (no mean pass needed).
  const bandPass = butterworthSos(4, band, 'bandpass', fs);
  const pad = defaultPadLength(bandPass);
  const n = raw.length;
  // The first channel's filtered signal is part of the result: its memory is claimed, not borrowed.
  const ext = !work
    ? new Float64Array(n + 2 * pad)
    : keepFiltered
      ? work.claim(KEPT_FILTERED_BUFFER, n + 2 * pad)
      : work.take('emg-filtered', n + 2 * pad);
  ext.set(raw, pad);
  let y = sosfiltfiltPadded(bandPass, ext, pad);
  // Statistics see only real data: paused spans (filler) are cut out; onsets map back to recording time.
  const splice = spliceOut(n, fs, options.discontinuitiesS);
  const rawKept = splice ? splice.take(raw) : raw;
  const q = emgQuality(rawKept, ch, fs, mains, options.droppedSamples ?? 0, splice ? splice.take(y) : y);
  const notchApplied = q.flags.includes('lineNoise');
  if (notchApplied) y = sosfiltfilt(lineNotchSos(mains, fs), y);
  const kept = splice ? splice.take(y) : y;
  const toOriginal = (j: number): number => (splice ? splice.toOriginal(j) : j);
  const toKept = (i: number): number => (splice ? splice.toSpliced(i) : i);
  const spec = welch(kept, fs, { nperseg: spectrumSegmentLength(kept.length, fs) });
  const method = options.onsetMethod ?? SESSION_ONSET_METHOD;
  const onsets = detectOnsets(
    sessionOnsetInput(method, rawKept, kept),
    fs,
    { method, mergeGapMs: method === 'biosppy' ? 0 : ONSET_MERGE_GAP_MS },
    work,
  );
  const bursts = onsets.bursts.map((b) => ({ start: toOriginal(b.start), end: toOriginal(b.end) }));
  const restRange: [number, number] = options.restWindowS
    ? [
        toKept(Math.round(options.restWindowS[0] * fs)),
        toKept(Math.min(y.length, Math.round(options.restWindowS[1] * fs))),
      ]
    : [0, kept.length];
  // The quality's 250 ms windows are of `kept` too, unless the notch has changed it since.
  const rest = analyzeRestTone(kept, fs, restRange, undefined, notchApplied ? undefined : q.rms250);
  const amplitude = rms(kept);
  const scale = toMicrovolts(ch.unit);
  return {
    burstRms: bursts.map((b) => finiteOrNull(rms(y, b.start, b.end))),
    ...(keepFiltered
      ? { filtered: { y, kept, envelopes: firstEmgEnvelopes(y, kept, fs, options.clonusGrid, work) } }
      : {}),
    summary: {
      stream: descriptor.id,
      channel: ch.id,
      label: ch.label,
      sampleRateHz: fs,
      unit: ch.unit,
      rms: finiteOrNull(amplitude),
      rmsUv: scale !== undefined ? finiteOrNull(amplitude * scale) : null,
      medianFrequencyHz: finiteOrNull(medianFrequencyHz(spec, band[0], band[1])),
      meanFrequencyHz: finiteOrNull(meanFrequencyHz(spec, band[0], band[1])),
      onsets: bursts.map((b) => ({ startS: b.start / fs, endS: b.end / fs })),
      bandHz: band,
      notchApplied,
      lineNoiseRatioDb: finiteOrNull(q.lineNoiseRatioDb),
      rest: {
        rmsRest: finiteOrNull(rest.rmsRest),
        noiseFloor: finiteOrNull(rest.noiseFloor),
        snrRestDb: finiteOrNull(rest.snrRestDb),
        activeAtRestFraction: finiteOrNull(rest.activeAtRestFraction),
      },
      quality: q.flags,
      verdict: q.verdict,
      verdictReasons: q.verdictReasons,
      noiseUv: finiteOrNull(q.noiseUv),
      qualityNote: q.note,
    },
  };
}
