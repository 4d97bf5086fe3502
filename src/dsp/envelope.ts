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

  process(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
    const w = this.windowSamples;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] ?? 0;
      const e = this.squared ? v * v : Math.abs(v);
      this.sum += e - (this.ring[this.pos] ?? 0);
      this.ring[this.pos] = e;
      this.pos++;
      if (this.pos === w) {
        this.pos = 0;
        let s = 0;
        for (let k = 0; k < w; k++) s += this.ring[k] ?? 0;
        this.sum = s;
      }
      if (this.filled < w) this.filled++;
      const m = Math.max(0, this.sum) / this.filled;
      out[i] = this.squared ? Math.sqrt(m) : m;
    }
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

function centered(x: ArrayLike<number>, windowSamples: number, squared: boolean): Float64Array {
  const n = x.length;
  const half = Math.floor(windowSamples / 2);
  const out = new Float64Array(n);
  // Running sum over [lo, hi), lo = max(0, i − half), hi = min(n, lo + w); exact re-sum every 4096 samples
  // bounds the rounding drift.
  let sum = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const wantLo = i > half ? i - half : 0;
    const wantHi = Math.min(n, wantLo + windowSamples);
    if ((i & 4095) === 0) {
      lo = wantLo;
      hi = wantHi;
      sum = 0;
      for (let k = lo; k < hi; k++) {
        const v = x[k] ?? 0;
        sum += squared ? v * v : v < 0 ? -v : v;
      }
    }
    while (hi < wantHi) {
      const v = x[hi++] ?? 0;
      sum += squared ? v * v : v < 0 ? -v : v;
    }
    while (lo < wantLo) {
      const v = x[lo++] ?? 0;
      sum -= squared ? v * v : v < 0 ? -v : v;
    }
    const m = (sum > 0 ? sum : 0) / (hi - lo);
    out[i] = squared ? Math.sqrt(m) : m;
  }
  return out;
}

/**
 * Offline sliding RMS with a window centred on each sample (window [i − ⌊w/2⌋, i − ⌊w/2⌋ + w), clipped at
 * the ends): no delay, so envelope events line up with the raw signal.
 */
export const centeredRms = (x: ArrayLike<number>, windowSamples: number): Float64Array =>
  centered(x, windowSamples, true);

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
