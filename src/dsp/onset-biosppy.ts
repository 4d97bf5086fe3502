import { butterworthSos } from './butterworth.js';
import { sosfiltfilt } from './sos-filter.js';

/**
 * EMG burst detection of BioSPPy (`biosppy.signals.emg.emg` + `find_onsets`, PIA-Group/BioSPPy, BSD-3),
 * re-implemented from its published source:
 * 1. high-pass 100 Hz, 4th-order Butterworth, zero-phase (the filter `emg()` applies before `find_onsets`);
 * 2. full-wave rectification;
 * 3. "boxzen" smoothing with a 50 ms kernel: a boxcar pass, then a Parzen-window pass, each a normalised
 *    convolution centred as numpy's `convolve(…, mode='same')`, the signal extended by its edge values;
 * 4. one threshold for the whole recording: 1.2·mean + 2·SD (ddof 1) of the smoothed envelope;
 * 5. a burst runs from the last sample at or below the threshold before an upward crossing to the first
 *    sample at or below it after the downward crossing (BioSPPy returns these crossings as alternating
 *    onset/offset indices).
 */
export const BIOSPPY_HIGHPASS_HZ = 100;
export const BIOSPPY_WINDOW_S = 0.05;

/** Symmetric Parzen window of length m (scipy.signal.windows.parzen). */
export function parzenWindow(m: number): Float64Array {
  const w = new Float64Array(m);
  const half = m / 2;
  for (let i = 0; i < m; i++) {
    const n = Math.abs(i - (m - 1) / 2);
    const r = n / half;
    w[i] = n <= (m - 1) / 4 ? 1 - 6 * r * r + 6 * r * r * r : 2 * (1 - r) ** 3;
  }
  return w;
}

/**
 * numpy `convolve(w / Σw, pad(x), 'same')` with x extended by `w.length` edge values on each side, cropped
 * back to x's length (BioSPPy `tools.smoother(mirror=True)`).
 */
function smoothEdgePadded(x: Float64Array, w: Float64Array): Float64Array {
  const n = x.length;
  const m = w.length;
  let sum = 0;
  for (const v of w) sum += v;
  const shift = Math.floor((m - 1) / 2);
  const out = new Float64Array(n);
  const first = x[0] ?? 0;
  const last = x[n - 1] ?? 0;
  const boxcar = w.every((v) => v === w[0]);
  if (boxcar) {
    // Running sum over x[t + shift − m + 1 … t + shift] with edge clamping.
    const at = (j: number): number => (j < 0 ? first : j >= n ? last : (x[j] ?? 0));
    let s = 0;
    for (let j = shift - m + 1; j <= shift; j++) s += at(j);
    for (let t = 0; t < n; t++) {
      out[t] = s / m;
      s += at(t + shift + 1) - at(t + shift - m + 1);
    }
    return out;
  }
  const wn = Float64Array.from(w, (v) => v / sum);
  for (let t = 0; t < n; t++) {
    const base = t + shift;
    let acc = 0;
    if (base - m + 1 >= 0 && base < n) for (let i = 0; i < m; i++) acc += (wn[i] ?? 0) * (x[base - i] ?? 0);
    else
      for (let i = 0; i < m; i++) {
        const j = base - i;
        acc += (wn[i] ?? 0) * (j < 0 ? first : j >= n ? last : (x[j] ?? 0));
      }
    out[t] = acc;
  }
  return out;
}

/** Steps 1–3: the smoothed envelope BioSPPy thresholds. */
export function biosppyEnvelope(x: ArrayLike<number>, sampleRateHz: number): Float64Array {
  const hp =
    sampleRateHz > 2.2 * BIOSPPY_HIGHPASS_HZ && x.length > 27
      ? sosfiltfilt(butterworthSos(4, BIOSPPY_HIGHPASS_HZ, 'highpass', sampleRateHz), x)
      : Float64Array.from(x);
  for (let i = 0; i < hp.length; i++) hp[i] = Math.abs(hp[i] ?? 0);
  const size = Math.max(1, Math.min(hp.length - 1, Math.trunc(sampleRateHz * BIOSPPY_WINDOW_S)));
  const box = smoothEdgePadded(hp, new Float64Array(size).fill(1));
  return smoothEdgePadded(box, parzenWindow(size));
}

/** Step 4: 1.2·mean + 2·SD (ddof 1) of the envelope. */
export function biosppyThreshold(env: ArrayLike<number>): number {
  const n = env.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(env[i] ?? 0);
  const mean = s / n;
  let s2 = 0;
  for (let i = 0; i < n; i++) s2 += (Math.abs(env[i] ?? 0) - mean) ** 2;
  return 1.2 * mean + 2 * Math.sqrt(s2 / Math.max(1, n - 1));
}

/**
 * Step 5: bursts [start, end) from the crossings of `threshold`; start = last sample ≤ threshold before the
 * rise, end = first sample ≤ threshold after the fall (the signal end if the burst runs on). A burst already
 * running at the first sample has no onset crossing and is left out, as in BioSPPy.
 */
export function biosppyBursts(env: ArrayLike<number>, threshold: number): { start: number; end: number }[] {
  const n = env.length;
  const bursts: { start: number; end: number }[] = [];
  let i = 0;
  while (i < n && (env[i] ?? 0) > threshold) i++;
  while (i < n - 1) {
    if (!((env[i + 1] ?? 0) > threshold)) {
      i++;
      continue;
    }
    const start = i;
    let j = i + 1;
    while (j < n && (env[j] ?? 0) > threshold) j++;
    bursts.push({ start, end: Math.min(j, n - 1) });
    i = j;
  }
  return bursts;
}
