import { butterworthSos } from './butterworth.js';
import { sosfiltfilt } from './sos-filter.js';

/** Amplitude envelopes of a (band-passed) EMG signal: rectification, sliding RMS/MAV, linear envelope. */

/** Full-wave rectification |x| into a new float64 array. */
export function rectify(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i] ?? 0);
  return out;
}

/**
 * Stateful trailing-window RMS for live use: sample i of the output is the RMS of the last `windowSamples`
 * inputs up to and including i (fewer at the very start). Block splits do not change the output; a running
 * sum of squares is recomputed exactly every window to keep rounding drift bounded.
 */
export class SlidingRms {
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private sum = 0;

  constructor(
    readonly windowSamples: number,
    private readonly squared = true,
  ) {
    if (!Number.isInteger(windowSamples) || windowSamples < 1)
      throw new RangeError('window must be ≥ 1 sample');
    this.ring = new Float64Array(windowSamples);
  }

  /** Envelope of one block: returns a new array (or fills the first `x.length` samples of `out`). */
  process(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
    const w = this.windowSamples;
    const ring = this.ring;
    const squared = this.squared;
    let pos = this.pos;
    let filled = this.filled;
    let sum = this.sum;
    let scale = filled > 0 ? 1 / filled : 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] ?? 0;
      const e = squared ? v * v : Math.abs(v);
      sum += e - (ring[pos] ?? 0);
      ring[pos] = e;
      pos++;
      if (pos === w) {
        pos = 0;
        let s = 0;
        for (let k = 0; k < w; k++) s += ring[k] ?? 0;
        sum = s;
      }
      if (filled < w) {
        filled++;
        scale = 1 / filled;
      }
      const m = (sum > 0 ? sum : 0) * scale;
      out[i] = squared ? Math.sqrt(m) : m;
    }
    this.pos = pos;
    this.filled = filled;
    this.sum = sum;
    return out;
  }

  reset(): void {
    this.ring.fill(0);
    this.pos = 0;
    this.filled = 0;
    this.sum = 0;
  }
}

/** Stateful trailing-window mean absolute value (ARV/MAV); same guarantees as {@link SlidingRms}. */
export class SlidingMav extends SlidingRms {
  constructor(windowSamples: number) {
    super(windowSamples, false);
  }
}

/**
 * Per sample i: mean of e(x) over [lo, hi), lo = max(0, i − ⌊w/2⌋), hi = min(n, lo + w), e = x² (then the
 * square root of the mean) or |x|. One pass with a running sum; an exact re-sum every 4096 samples bounds
 * the rounding drift.
 */
function centered(
  input: ArrayLike<number>,
  windowSamples: number,
  squared: boolean,
  out: Float64Array = new Float64Array(input.length),
): Float64Array {
  // One element kind in the loops below keeps them monomorphic.
  const x = input instanceof Float64Array ? input : new Float64Array(input);
  const n = x.length;
  const w = windowSamples;
  const half = Math.floor(w / 2);
  const e = (v: number): number => (squared ? v * v : Math.abs(v));
  const f = (m: number): number => (squared ? Math.sqrt(m) : m);
  // Head: every window is [0, min(n, w)).
  const headHi = Math.min(n, w);
  let sum = 0;
  for (let k = 0; k < headHi; k++) sum += e(x[k] ?? 0);
  const headEnd = Math.min(n, half + 1);
  const headValue = f((sum > 0 ? sum : 0) / headHi);
  for (let i = 0; i < headEnd; i++) out[i] = headValue;
  // Body: full windows [i − half, i − half + w), one sample in and one out per step.
  const inv = 1 / w;
  let i = headEnd;
  const bodyEnd = Math.max(i, Math.min(n, n - w + half + 1));
  while (i < bodyEnd) {
    const stop = Math.min(bodyEnd, i + 4096);
    sum = 0;
    for (let k = i - half; k < i - half + w; k++) sum += e(x[k] ?? 0);
    out[i] = f((sum > 0 ? sum : 0) * inv);
    if (squared)
      for (i++; i < stop; i++) {
        const a = x[i - half + w - 1] ?? 0;
        const b = x[i - half - 1] ?? 0;
        sum += a * a - b * b;
        out[i] = Math.sqrt((sum > 0 ? sum : 0) * inv);
      }
    else
      for (i++; i < stop; i++) {
        sum += Math.abs(x[i - half + w - 1] ?? 0) - Math.abs(x[i - half - 1] ?? 0);
        out[i] = (sum > 0 ? sum : 0) * inv;
      }
  }
  // Tail: windows [i − half, n), shrinking.
  if (i < n) {
    sum = 0;
    for (let k = i - half; k < n; k++) sum += e(x[k] ?? 0);
    out[i] = f((sum > 0 ? sum : 0) / (n - i + half));
    for (i++; i < n; i++) {
      sum -= e(x[i - half - 1] ?? 0);
      out[i] = f((sum > 0 ? sum : 0) / (n - i + half));
    }
  }
  return out;
}

/**
 * Offline sliding RMS with a window centred on each sample (window [i − ⌊w/2⌋, i − ⌊w/2⌋ + w), clipped at
 * the ends): no delay, so envelope events line up with the raw signal. Written to `out` if given (as long as
 * x, not x itself), else to a new array.
 */
export const centeredRms = (x: ArrayLike<number>, windowSamples: number, out?: Float64Array): Float64Array =>
  centered(x, windowSamples, true, out);

/** Offline centred mean absolute value; same windows as {@link centeredRms}. */
export const centeredMav = (x: ArrayLike<number>, windowSamples: number): Float64Array =>
  centered(x, windowSamples, false);

/** RMS of a whole signal (or of [start, end)). */
export function rms(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += (x[i] ?? 0) ** 2;
  return end > start ? Math.sqrt(s / (end - start)) : NaN;
}

/**
 * Linear envelope for display (domain.md §1.3): rectify, then zero-phase 2nd-order Butterworth low-pass
 * at `cutoffHz` (default 6 Hz).
 */
export function linearEnvelope(x: ArrayLike<number>, sampleRateHz: number, cutoffHz = 6): Float64Array {
  return sosfiltfilt(butterworthSos(2, cutoffHz, 'lowpass', sampleRateHz), rectify(x));
}
