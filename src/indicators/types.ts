/** Shared shapes of indicator results (domain.md §0 "general rules": version, parameters, quality). */

/** Quality problems an indicator can carry; the UI explains each one. */
export type QualityFlag =
  | 'clipping'
  | 'flatLine'
  | 'lineNoise'
  | 'motionArtefact'
  | 'lowSnr'
  | 'droppedSamples'
  | 'reducedBandwidth'
  | 'notRelaxed'
  | 'slowStretchTooFast'
  | 'nonOscillatory'
  | 'shortRecording'
  | 'fitFailed'
  | 'noAnthropometrics'
  | 'tooFewStretches';

/** Parameter values used to compute a result, stored with it so results can be reproduced and compared. */
export type Parameters = Record<string, number | string | boolean>;

/** What every indicator result carries besides its values. */
export interface ResultMeta {
  algorithmVersion: string;
  parameters: Parameters;
  quality: QualityFlag[];
}

/** The finite values in ascending order (a typed array: sorted natively, without a comparator call per step). */
function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}

/** Median of finite values; NaN if none. */
export function median(values: ArrayLike<number>): number {
  const v = sortedFinite(values);
  if (v.length === 0) return NaN;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? (v[m] ?? NaN) : ((v[m - 1] ?? 0) + (v[m] ?? 0)) / 2;
}

/** Coefficient of variation SD/|mean| (sample SD) of finite values; NaN for fewer than 2. */
export function coefficientOfVariation(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return NaN;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return mean !== 0 ? sd / Math.abs(mean) : NaN;
}

/** p-th percentile (0–100) by linear interpolation between order statistics (numpy default). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const v = sortedFinite(values);
  if (v.length === 0) return NaN;
  const pos = ((v.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return (v[lo] ?? 0) + ((v[hi] ?? 0) - (v[lo] ?? 0)) * (pos - lo);
}

/** A span of a recording without real data (the recording was paused), seconds from the start. */
export interface DiscontinuityS {
  startS: number;
  endS: number;
}

/** Whether `[fromS, toS]` meets any of `spans` (touching counts: data next to a pause is cut short). */
export function touchesDiscontinuity(
  spans: readonly DiscontinuityS[] | undefined,
  fromS: number,
  toS: number,
): boolean {
  return (spans ?? []).some((d) => fromS <= d.endS && toS >= d.startS);
}
