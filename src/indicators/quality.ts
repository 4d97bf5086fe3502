import { detectLineNoise } from '../dsp/notch.js';
import { bandPower, welch } from '../dsp/welch.js';
import type { ChannelDescriptor, Unit } from '../shared/samples.js';
import { channelVerdict, type ChannelVerdict } from './channel-verdict.js';
import { rms250WindowSamples, windowRms } from './rest-tone.js';
import type { QualityFlag } from './types.js';
import { percentile } from './types.js';

/**
 * EMG quality flags (domain.md §1.3, [P]): clipping (> 0.1 % of samples at the channel's range limits),
 * flat line (SD < 0.5 µV over any 1 s), line noise (§1.3 test), motion artefact (raw power below 20 Hz
 * > 30 % of total, from up to 64 one-second spectra spread over the signal), low SNR (< 6 dB between the 95th and 5th percentile of the mean-removed 250 ms RMS), dropped samples
 * (gap annotations or a sample-count shortfall reported by the caller).
 */
export const QUALITY_ALGORITHM_VERSION = 'quality/1.0.0';

/** Factor from a channel unit to µV; undefined for units without a physical scale (counts). */
export function toMicrovolts(unit: Unit): number | undefined {
  return unit === 'uV' ? 1 : unit === 'mV' ? 1e3 : unit === 'V' ? 1e6 : undefined;
}

export interface EmgQuality {
  flags: QualityFlag[];
  clippedFraction: number;
  lineNoiseRatioDb: number;
  lowFrequencyShare: number;
  snrDb: number;
  /**
   * The live noise measure over the whole session: median over consecutive 2 s spans of the band-passed RMS
   * in the span's quietest 250 ms, µV (null for unscaled units).
   */
  noiseUv: number | null;
  /** RMS of consecutive 250 ms windows of the signal the SNR is taken from (`filtered` when given). */
  rms250: Float64Array;
  /** The Devices/Live verdict rules (./channel-verdict.ts) on the whole session's measures. */
  verdict: ChannelVerdict;
  verdictReasons: string[];
  /** Why the flags here go beyond the live verdict, in words; empty when they do not. */
  note: string;
}

/**
 * Quality of one raw EMG channel. `droppedSamples` = samples known to be missing; `filtered` (the band-passed
 * signal), when given, is used for the SNR so that baseline wander does not hide the bursts.
 */
export function emgQuality(
  raw: ArrayLike<number>,
  channel: ChannelDescriptor,
  sampleRateHz: number,
  mainsHz: 50 | 60 = 50,
  droppedSamples = 0,
  filtered?: ArrayLike<number>,
): EmgQuality {
  const flags: QualityFlag[] = [];
  const n = raw.length;
  let clipped = 0;
  if (Number.isFinite(channel.rangeMin) && Number.isFinite(channel.rangeMax))
    for (let i = 0; i < n; i++) {
      const v = raw[i] ?? 0;
      if (v <= channel.rangeMin || v >= channel.rangeMax) clipped++;
    }
  const clippedFraction = n > 0 ? clipped / n : 0;
  if (clippedFraction > 0.001) flags.push('clipping');
  const scale = toMicrovolts(channel.unit);
  const w1 = Math.round(sampleRateHz);
  const seconds = Math.floor(n / Math.max(1, w1));
  // Flat line: per-second SD below 0.5 µV, or exactly 0 for unscaled units (one pass per window).
  for (let w = 0; w < seconds; w++) {
    let sum = 0;
    let sum2 = 0;
    const first = raw[w * w1] ?? 0;
    for (let i = 0; i < w1; i++) {
      const v = (raw[w * w1 + i] ?? 0) - first;
      sum += v;
      sum2 += v * v;
    }
    const sd = Math.sqrt(Math.max(0, sum2 / w1 - (sum / w1) ** 2));
    if (scale !== undefined ? sd * scale < 0.5 : sd === 0) {
      flags.push('flatLine');
      break;
    }
  }
  let lineNoiseRatioDb = NaN;
  let lowFrequencyShare = NaN;
  if (n >= 64 && sampleRateHz > 2 * (mainsHz + 10)) {
    const line = detectLineNoise(raw, sampleRateHz, mainsHz);
    lineNoiseRatioDb = line.ratioDb;
    if (line.detected) flags.push('lineNoise');
    const spec = welch(raw, sampleRateHz, {
      nperseg: Math.min(n, 2 ** Math.ceil(Math.log2(sampleRateHz))),
      noverlap: 0,
      maxSegments: 64,
    });
    const total = bandPower(spec, 0.0001, sampleRateHz / 2);
    lowFrequencyShare = total > 0 ? bandPower(spec, 0.0001, 20) / total : NaN;
    if (lowFrequencyShare > 0.3) flags.push('motionArtefact');
  }
  let centred: ArrayLike<number> | undefined = filtered;
  if (!centred) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += raw[i] ?? 0;
    mean /= Math.max(1, n);
    centred = Float64Array.from({ length: n }, (_, i) => (raw[i] ?? 0) - mean);
  }
  const w250 = windowRms(centred, rms250WindowSamples(sampleRateHz));
  const snrDb = 20 * Math.log10(percentile(w250, 95) / percentile(w250, 5));
  if (!(snrDb >= 6)) flags.push('lowSnr');
  if (droppedSamples > 0) flags.push('droppedSamples');
  if (sampleRateHz < 1000) flags.push('reducedBandwidth');
  const quietest: number[] = [];
  for (let b = 0; b + 8 <= w250.length; b += 8) quietest.push(Math.min(...w250.subarray(b, b + 8)));
  if (quietest.length === 0 && w250.length > 0) quietest.push(Math.min(...w250));
  const noiseUv =
    filtered && scale !== undefined && quietest.length > 0 ? percentile(quietest, 50) * scale : null;
  const v = channelVerdict(
    {
      clippedFraction,
      isFlat: flags.includes('flatLine'),
      noiseUv,
      lineNoiseDb: Number.isFinite(lineNoiseRatioDb) ? lineNoiseRatioDb : null,
    },
    { mainsHz },
  );
  const notes: string[] = [];
  if (flags.includes('lowSnr'))
    notes.push(
      `Low SNR: the activity never rose 6 dB above the quietest level (${snrDb.toFixed(1)} dB), as for a muscle at rest all session; the live verdict judges contact and noise only.`,
    );
  if (flags.includes('motionArtefact'))
    notes.push(
      'Motion artefact: over 30 % of the raw power lies below 20 Hz; the live verdict does not test this.',
    );
  return {
    flags,
    clippedFraction,
    lineNoiseRatioDb,
    lowFrequencyShare,
    snrDb,
    noiseUv,
    rms250: w250,
    verdict: v.verdict,
    verdictReasons: v.reasons,
    note: notes.join(' '),
  };
}
