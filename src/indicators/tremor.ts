import { bandPower, peakFrequencyHz, welch } from '../dsp/welch.js';
import { finiteOrNull } from '../shared/analysis.js';
import type { Recording } from '../shared/recording.js';
import { spliceOut } from './discontinuities.js';
import type { DiscontinuityS } from './types.js';
import { concatFloat64 } from '../shared/float64-concat.js';

function toF64(x: Float32Array, removeMean: boolean): Float64Array {
  const out = new Float64Array(x.length);
  let mean = 0;
  if (removeMean) {
    for (const v of x) mean += v;
    mean /= Math.max(1, x.length);
  }
  for (let i = 0; i < x.length; i++) out[i] = (x[i] ?? 0) - mean;
  return out;
}

/** Shortest signal a tremor peak is looked for in, s. */
export const TREMOR_MIN_DURATION_S = 8;

/**
 * Tremor peak of one axis (domain.md §4; README: single axes, never the magnitude): Welch PSD of the
 * mean-removed axis; a peak counts [P] if its ±1 Hz band holds ≥ 22 % of the 1–20 Hz power and it lies in 3–12 Hz
 * (separates the mhealthtools rest-tremor axes, 0.24–0.50, from the kinetic ones, ≤ 0.18). Needs at least
 * {@link TREMOR_MIN_DURATION_S} of signal: shorter spectra average too few segments, and plain sensor noise
 * then passes 22 % in one run of twenty (measured on white noise: 5 s 5 %, 8 s 0.25 %, 12 s none in 400).
 */
export function tremorPeak(
  x: ArrayLike<number>,
  sampleRateHz: number,
): { peakHz: number | null; prominence: number | null } {
  if (x.length < TREMOR_MIN_DURATION_S * sampleRateHz || sampleRateHz < 25)
    return { peakHz: null, prominence: null };
  const nperseg = Math.min(x.length, 2 ** Math.floor(Math.log2(Math.max(64, 4 * sampleRateHz))));
  const spec = welch(x, sampleRateHz, { nperseg });
  const f0 = peakFrequencyHz(spec, 3, 12);
  const prominence = bandPower(spec, f0 - 1, f0 + 1) / bandPower(spec, 1, Math.min(20, sampleRateHz / 2));
  return { peakHz: prominence >= 0.22 ? f0 : null, prominence: finiteOrNull(prominence) };
}

/** Tremor peak of one IMU axis (see {@link tremorPeak}). */
export type TremorResult = ReturnType<typeof tremorPeak>;

/** Signal before each clonus episode's first beat kept out of the tremor spectrum, s (the oscillation builds up). */
export const CLONUS_TREMOR_LEAD_S = 1;

/**
 * The spans of the clonus episodes, from {@link CLONUS_TREMOR_LEAD_S} before the first beat to the end of the
 * decaying oscillation. Clonus is a stretch-triggered reflex oscillation at 3–8 Hz, tremor is not (domain.md
 * §4 step 3): an axis that swings only during clonus has no tremor, so the tremor peak is looked for without
 * these spans.
 */
export function clonusSpansS(
  episodes: readonly { startS: number; oscillationEndS: number }[],
): DiscontinuityS[] {
  return episodes.map((e) => ({
    startS: Math.max(0, e.startS - CLONUS_TREMOR_LEAD_S),
    endS: e.oscillationEndS,
  }));
}

/**
 * Tremor peak of every accelerometer and gyroscope axis, keyed `stream index/channel index`, over the
 * recording without `excludedS` (pauses, gaps, clonus episodes): each remaining piece is centred, so the
 * spliced-out filler adds no movement.
 */
export function axisTremor(rec: Recording, excludedS: readonly DiscontinuityS[]): Map<string, TremorResult> {
  const tremor = new Map<string, TremorResult>();
  for (const [i, s] of rec.streams.entries()) {
    const fs = s.descriptor.sampleRateHz;
    s.descriptor.channels.forEach((ch, k) => {
      const raw = s.data[k];
      if ((ch.kind !== 'accel' && ch.kind !== 'gyro') || !raw) return;
      const pieces = spliceOut(raw.length, fs, excludedS)?.kept ?? [[0, raw.length]];
      tremor.set(
        `${i}/${k}`,
        tremorPeak(concatFloat64(pieces.map(([a, b]) => toF64(raw.subarray(a, b), true))), fs),
      );
    });
  }
  return tremor;
}
