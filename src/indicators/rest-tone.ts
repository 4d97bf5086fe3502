import { centeredRms } from '../dsp/envelope.js';
import type { ResultMeta } from './types.js';
import { median, percentile } from './types.js';

/**
 * Resting EMG tone (domain.md §1.3, [P]): RMS_rest, noise floor, SNR_rest and the active-at-rest share,
 * from 250 ms RMS windows (non-overlapping) of a band-passed EMG signal. Values in the signal's unit.
 */
export const REST_TONE_ALGORITHM_VERSION = 'rest-tone/1.0.0';

export interface RestToneResult extends ResultMeta {
  rmsRest: number;
  noiseFloor: number;
  snrRestDb: number;
  /** Share of rest windows with RMS > 2·noiseFloor, %. */
  activeAtRestFraction: number;
  windows: number;
}

/** RMS of consecutive non-overlapping windows of `windowSamples` within [start, end). */
export function windowRms(
  x: ArrayLike<number>,
  windowSamples: number,
  start = 0,
  end = x.length,
): Float64Array {
  const n = Math.max(0, Math.floor((end - start) / windowSamples));
  const out = new Float64Array(n);
  for (let w = 0; w < n; w++) {
    let s = 0;
    const o = start + w * windowSamples;
    for (let i = 0; i < windowSamples; i++) s += (x[o + i] ?? 0) ** 2;
    out[w] = Math.sqrt(s / windowSamples);
  }
  return out;
}

/** Samples per 250 ms RMS window at `sampleRateHz` (at least 1). */
export const rms250WindowSamples = (sampleRateHz: number): number =>
  Math.max(1, Math.round(0.25 * sampleRateHz));

/**
 * Rest tone of band-passed EMG `x`. `rest` = [start, end) samples of the quiet-rest window (default: the
 * whole signal); the noise floor is the 5th percentile of 250 ms RMS over the whole signal unless given.
 * `rms250`, if the caller has it, is `windowRms(x, rms250WindowSamples(sampleRateHz))` (not computed again).
 */
export function analyzeRestTone(
  x: ArrayLike<number>,
  sampleRateHz: number,
  rest: readonly [number, number] = [0, x.length],
  noiseFloorOverride?: number,
  rms250?: Float64Array,
): RestToneResult {
  const w = rms250WindowSamples(sampleRateHz);
  const all = rms250 ?? windowRms(x, w);
  const restW = rest[0] === 0 && rest[1] === x.length ? all : windowRms(x, w, rest[0], rest[1]);
  const noiseFloor = noiseFloorOverride ?? percentile(all, 5);
  const rmsRest = median(restW);
  let active = 0;
  for (const v of restW) if (v > 2 * noiseFloor) active++;
  return {
    algorithmVersion: REST_TONE_ALGORITHM_VERSION,
    parameters: { windowMs: 250, noisePercentile: 5, activeFactor: 2, sampleRateHz },
    quality: (rest[1] - rest[0]) / sampleRateHz < 20 ? ['shortRecording'] : [],
    rmsRest,
    noiseFloor,
    snrRestDb: 20 * Math.log10(rmsRest / noiseFloor),
    activeAtRestFraction: restW.length > 0 ? (100 * active) / restW.length : NaN,
    windows: restW.length,
  };
}

/** 50 ms RMS envelope statistics (mean, SD) over a rest window: μ_rest and σ_rest for reflex tests. */
export function restEnvelopeStats(
  x: ArrayLike<number>,
  sampleRateHz: number,
  rest: readonly [number, number],
): { mean: number; sd: number } {
  const env = centeredRms(
    Float64Array.from({ length: rest[1] - rest[0] }, (_, i) => x[rest[0] + i] ?? 0),
    Math.max(1, Math.round(0.05 * sampleRateHz)),
  );
  let s = 0;
  let s2 = 0;
  for (const v of env) {
    s += v;
    s2 += v * v;
  }
  const mean = s / Math.max(1, env.length);
  return { mean, sd: Math.sqrt(Math.max(0, s2 / Math.max(1, env.length) - mean * mean)) };
}
