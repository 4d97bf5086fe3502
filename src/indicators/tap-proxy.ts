import { butterworthSos } from '../dsp/butterworth.js';
import { sosfiltfilt } from '../dsp/sos-filter.js';
import { peakFrequencyHz, welch } from '../dsp/welch.js';
import type { ResultMeta } from './types.js';

/**
 * Wearable "tap" proxy (domain.md §5, research only): frequency F by the peak-interval method
 * 1/(t(a₃) − t(a₁)) and logarithmic decrement D = ln(a₁/a₃), where a₁, a₃ are the first two positive peaks
 * of the skin-normal acceleration after the tap (a₂ being the negative one between them). The FFT peak is
 * reported as a secondary frequency. Stiffness S is deliberately not computed.
 */
export const TAP_ALGORITHM_VERSION = 'tap-proxy/1.0.0';

export interface TapResult extends ResultMeta {
  frequencyHz: number;
  decrement: number;
  fftPeakHz: number;
  a1: number;
  a3: number;
}

function parabolicPeak(x: ArrayLike<number>, i: number): { index: number; value: number } {
  const a = x[i - 1] ?? 0;
  const b = x[i] ?? 0;
  const c = x[i + 1] ?? 0;
  const den = a - 2 * b + c;
  const d = den !== 0 ? (0.5 * (a - c)) / den : 0;
  return { index: i + d, value: b - 0.25 * (a - c) * d };
}

/**
 * Analyses one tap response `accel` (any unit) sampled at `sampleRateHz` (≥ 1 kHz). With `bandPass`
 * (default true) the signal is first band-passed 5–100 Hz (2nd order, zero-phase).
 * @throws RangeError if fewer than two positive peaks are found.
 */
export function analyzeTap(accel: ArrayLike<number>, sampleRateHz: number, bandPass = true): TapResult {
  const x = bandPass
    ? sosfiltfilt(butterworthSos(2, [5, 100], 'bandpass', sampleRateHz), accel)
    : Float64Array.from(accel);
  const peaks: { index: number; value: number }[] = [];
  let maxAbs = 0;
  for (const v of x) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (let i = 1; i < x.length - 1 && peaks.length < 2; i++) {
    const v = x[i] ?? 0;
    if (v > 0.05 * maxAbs && v >= (x[i - 1] ?? 0) && v > (x[i + 1] ?? 0)) peaks.push(parabolicPeak(x, i));
  }
  const [p1, p3] = peaks;
  if (!p1 || !p3) throw new RangeError('tap response needs at least two positive peaks');
  const n = 2 ** Math.ceil(Math.log2(Math.max(x.length, 2)));
  const padded = new Float64Array(n);
  padded.set(x);
  const spec = welch(padded, sampleRateHz, { nperseg: n });
  return {
    algorithmVersion: TAP_ALGORITHM_VERSION,
    parameters: { bandPass, bandHz: '5-100', sampleRateHz },
    quality: [],
    frequencyHz: sampleRateHz / (p3.index - p1.index),
    decrement: Math.log(p1.value / p3.value),
    fftPeakHz: peakFrequencyHz(spec, 1, sampleRateHz / 2),
    a1: p1.value,
    a3: p3.value,
  };
}
