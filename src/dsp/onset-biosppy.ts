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

/** Restart length of the difference recurrence in {@link smoothEdgePadded} (bounds rounding growth). */
const RECURRENCE_BLOCK = 64;

/**
 * numpy `convolve(w / Σw, pad(x), 'same')` with x extended by `w.length` edge values on each side, cropped
 * back to x's length (BioSPPy `tools.smoother(mirror=True)`): y[t] = Σ_j k[j]·x̃[t + j], k[j] = w[shift − j]/Σw,
 * shift = ⌊(m − 1)/2⌋, x̃ the edge-extended signal.
 *
 * Cost O(n) for kernels that are piecewise cubic (boxcar, Parzen): the 4th difference of such a kernel, d,
 * is zero inside its pieces, so y obeys y[t] = 4y[t−1] − 6y[t−2] + 4y[t−3] − y[t−4] + Σ_j d[j]·x̃[t + j]
 * with only the few non-zero d[j] near the knots. Every {@link RECURRENCE_BLOCK} samples the recurrence
 * restarts from 4 directly convolved values, which keeps the rounding error near 1e-10 of the signal
 * (dropped rounding-level differences grow as t⁴). A boxcar is a plain running sum. Other kernels fall back to
 * the direct sum.
 */
export function smoothEdgePadded(x: Float64Array, w: Float64Array): Float64Array {
  const n = x.length;
  const m = w.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let sum = 0;
  for (const v of w) sum += v;
  const shift = Math.floor((m - 1) / 2);
  // Edge-extended signal: xp[t + m] = x̃[t].
  const xp = new Float64Array(n + 2 * m);
  xp.fill(x[0] ?? 0, 0, m);
  xp.set(x, m);
  xp.fill(x[n - 1] ?? 0, m + n);
  // k over offsets j = shift − m + 1 … shift, stored at k[j − jMin].
  const jMin = shift - m + 1;
  const k = new Float64Array(m);
  for (let i = 0; i < m; i++) k[shift - i - jMin] = (w[i] ?? 0) / sum;
  const o = jMin + m;
  if (w.every((v) => v === w[0])) {
    // Boxcar: a running sum, re-summed exactly every RECURRENCE_BLOCK² samples against rounding drift.
    const block = RECURRENCE_BLOCK * RECURRENCE_BLOCK;
    for (let t0 = 0; t0 < n; t0 += block) {
      const end = Math.min(n, t0 + block);
      let acc = 0;
      for (let q = 0; q < m; q++) acc += xp[t0 + o + q] ?? 0;
      out[t0] = acc / m;
      for (let t = t0 + 1; t < end; t++) {
        acc += (xp[t + o + m - 1] ?? 0) - (xp[t + o - 1] ?? 0);
        out[t] = acc / m;
      }
    }
    return out;
  }
  // 4th difference of k (zero-padded), offsets jMin − 4 … shift: d[q] at offset jMin − 4 + q.
  const c = [1, -4, 6, -4, 1];
  const scale = Math.max(...k);
  const taps: { offset: number; weight: number }[] = [];
  for (let q = 0; q < m + 4; q++) {
    let d = 0;
    for (let s = 0; s < 5; s++) d += (c[s] ?? 0) * (k[q - 4 + s] ?? 0);
    if (Math.abs(d) > 1e-13 * scale) taps.push({ offset: jMin - 4 + q + m, weight: d });
  }
  if (taps.length > m / 2) {
    for (let t = 0; t < n; t++) out[t] = directSum(xp, k, t + o);
    return out;
  }
  const offsets = Int32Array.from(taps, (tp) => tp.offset);
  const weights = Float64Array.from(taps, (tp) => tp.weight);
  // The tap sums e[t] = Σ_q d[q]·x̃[t + offset_q] are formed tap by tap over a chunk of samples (each e[t] still
  // adds its taps in order q = 0, 1, …, so the values are those of the per-sample sum), then the recurrence
  // runs over the chunk.
  const chunk = RECURRENCE_BLOCK * RECURRENCE_BLOCK;
  const e = new Float64Array(chunk);
  for (let c0 = 0; c0 < n; c0 += chunk) {
    const cEnd = Math.min(n, c0 + chunk);
    e.fill(0);
    for (let q = 0; q < offsets.length; q++) {
      const wq = weights[q] ?? 0;
      const base = c0 + (offsets[q] ?? 0);
      for (let i = 0; i < cEnd - c0; i++) e[i] = (e[i] ?? 0) + wq * (xp[base + i] ?? 0);
    }
    for (let t0 = c0; t0 < cEnd; t0 += RECURRENCE_BLOCK) {
      const end = Math.min(cEnd, t0 + RECURRENCE_BLOCK);
      const head = Math.min(end, t0 + 4);
      for (let t = t0; t < head; t++) out[t] = directSum(xp, k, t + o);
      if (head < t0 + 4) continue;
      let y1 = out[t0 + 3] ?? 0;
      let y2 = out[t0 + 2] ?? 0;
      let y3 = out[t0 + 1] ?? 0;
      let y4 = out[t0] ?? 0;
      for (let t = t0 + 4; t < end; t++) {
        const y = 4 * y1 - 6 * y2 + 4 * y3 - y4 + (e[t - c0] ?? 0);
        out[t] = y;
        y4 = y3;
        y3 = y2;
        y2 = y1;
        y1 = y;
      }
    }
  }
  return out;
}

/** Σ_q k[q]·xp[from + q], summed in order q = 0, 1, … (the direct convolution at one sample). */
function directSum(xp: Float64Array, k: Float64Array, from: number): number {
  let acc = 0;
  for (let q = 0; q < k.length; q++) acc += (k[q] ?? 0) * (xp[from + q] ?? 0);
  return acc;
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
