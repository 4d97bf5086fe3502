import { butterworthSos } from './butterworth.js';
import { defaultPadLength, sosfiltfiltPadded } from './sos-filter.js';
import { parzenChunkKernel, type StencilGroup } from './wasm/smoother-kernel.js';
import { ENVELOPE_SCRATCH, type WorkBuffers } from './work-buffers.js';

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
 * Restart length of the difference recurrence in {@link smoothEdgePadded} (bounds rounding growth; the
 * WebAssembly kernel, assembly/smoother-kernel.ts, uses the same).
 */
const RECURRENCE_BLOCK = 64;
/** Samples per chunk of {@link smoothEdgePadded} (a whole number of recurrence blocks). */
const CHUNK = RECURRENCE_BLOCK * RECURRENCE_BLOCK;

/**
 * numpy `convolve(w / Σw, pad(x), 'same')` with x extended by `w.length` edge values on each side, cropped
 * back to x's length (BioSPPy `tools.smoother(mirror=True)`): y[t] = Σ_j k[j]·x̃[t + j], k[j] = w[shift − j]/Σw,
 * shift = ⌊(m − 1)/2⌋, x̃ the edge-extended signal. Written to `out` (default a new array), which may be `x`
 * itself: the output is then computed in place.
 *
 * Cost O(n) for kernels that are piecewise cubic (boxcar, Parzen): the 4th difference of such a kernel, d,
 * is zero inside its pieces, so y obeys y[t] = 4y[t−1] − 6y[t−2] + 4y[t−3] − y[t−4] + Σ_j d[j]·x̃[t + j]
 * with only the few non-zero d[j] near the knots. Every {@link RECURRENCE_BLOCK} samples the recurrence
 * restarts from 4 directly convolved values, which keeps the rounding error near 1e-10 of the signal
 * (dropped rounding-level differences grow as t⁴). The tap sums, restarts and recurrence run in a WebAssembly
 * SIMD kernel (src/dsp/wasm/smoother-kernel.ts) whose results equal this scalar description bit for bit.
 * A boxcar is a plain running sum, re-summed exactly every {@link CHUNK} samples. Other kernels fall back to
 * the direct sum.
 *
 * The signal is read chunk by chunk through a small window holding x̃ around the chunk (no edge-padded copy
 * of the whole signal).
 */
export function smoothEdgePadded(
  x: Float64Array,
  w: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const n = x.length;
  const m = w.length;
  if (n === 0) return out;
  let sum = 0;
  for (const v of w) sum += v;
  const shift = Math.floor((m - 1) / 2);
  // k over offsets j = shift − m + 1 … shift, stored at k[j − jMin].
  const jMin = shift - m + 1;
  const k = new Float64Array(m);
  for (let i = 0; i < m; i++) k[shift - i - jMin] = (w[i] ?? 0) / sum;
  // The window of a chunk [c0, c1) holds x̃ over [c0 + jMin − 4, c1 + shift + 1): win[i] = x̃[c0 + jMin − 4 + i].
  // So x̃[t + jMin + q] = win[t − c0 + 4 + q]. Consecutive windows overlap by m + 4 samples.
  const lo = jMin - 4;
  const overlap = m + 4;
  const boxcar = w.every((v) => v === w[0]);
  // 4th difference of k (zero-padded), offsets jMin − 4 … shift: d[q] at window position q.
  const c = [1, -4, 6, -4, 1];
  const scale = Math.max(...k);
  const taps: { at: number; weight: number }[] = [];
  if (!boxcar)
    for (let q = 0; q < m + 4; q++) {
      let d = 0;
      for (let s = 0; s < 5; s++) d += (c[s] ?? 0) * (k[q - 4 + s] ?? 0);
      if (Math.abs(d) > 1e-13 * scale) taps.push({ at: q, weight: d });
    }
  const direct = !boxcar && taps.length > m / 2;
  const kernel = boxcar || direct ? undefined : parzenChunkKernel(k, stencilGroups(taps), CHUNK);
  const win = kernel?.win ?? new Float64Array(CHUNK + overlap);
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const len = Math.min(n, c0 + CHUNK) - c0;
    // Fill the window: its first `overlap` samples from the previous window (x there may be overwritten).
    let from = 0;
    if (c0 > 0) {
      win.copyWithin(0, CHUNK, CHUNK + overlap);
      from = overlap;
    }
    const winLen = len + overlap;
    // Inside the signal a plain copy; the edge extension sample by sample.
    const inFrom = Math.max(from, -(c0 + lo));
    const inTo = Math.min(winLen, n - (c0 + lo));
    if (inTo > inFrom) win.set(x.subarray(c0 + lo + inFrom, c0 + lo + inTo), inFrom);
    for (let i = from; i < winLen; i++) {
      if (i === inFrom && inTo > inFrom) i = inTo;
      if (i >= winLen) break;
      const p = c0 + lo + i;
      win[i] = x[p < 0 ? 0 : p >= n ? n - 1 : p] ?? 0;
    }
    if (boxcar) {
      let acc = 0;
      for (let q = 0; q < m; q++) acc += win[4 + q] ?? 0;
      out[c0] = acc / m;
      for (let i = 1; i < len; i++) {
        acc += (win[i + m + 3] ?? 0) - (win[i + 3] ?? 0);
        out[c0 + i] = acc / m;
      }
      continue;
    }
    if (kernel) out.set(kernel.run(len).subarray(0, len), c0);
    else for (let i = 0; i < len; i++) out[c0 + i] = directSum(win, k, i + 4);
  }
  return out;
}

/**
 * The taps as 4-tap stencils (a piecewise-cubic kernel's 4th difference is non-zero only in runs of up to 4
 * samples at each knot: 5 stencils for the Parzen window), missing taps as zero weights.
 */
function stencilGroups(taps: readonly { at: number; weight: number }[]): StencilGroup[] {
  const groups: StencilGroup[] = [];
  const weights: number[] = [];
  let start = -1;
  const close = (): void => {
    if (start >= 0)
      groups.push({
        at: start,
        w0: weights[0] ?? 0,
        w1: weights[1] ?? 0,
        w2: weights[2] ?? 0,
        w3: weights[3] ?? 0,
      });
  };
  for (const tp of taps) {
    if (start < 0 || tp.at >= start + 4) {
      close();
      start = tp.at;
      weights.length = 0;
    }
    weights[tp.at - start] = tp.weight;
  }
  close();
  return groups;
}

/** Σ_q k[q]·win[from + q], summed in order q = 0, 1, … (the direct convolution at one sample). */
function directSum(win: Float64Array, k: Float64Array, from: number): number {
  let acc = 0;
  for (let q = 0; q < k.length; q++) acc += (k[q] ?? 0) * (win[from + q] ?? 0);
  return acc;
}

/**
 * Steps 1–3: the smoothed envelope BioSPPy thresholds. With `work`, the envelope is a view of its buffer
 * {@link ENVELOPE_SCRATCH} (valid until that is taken again); without, a new array.
 */
export function biosppyEnvelope(
  x: ArrayLike<number>,
  sampleRateHz: number,
  work?: WorkBuffers,
): Float64Array {
  const n = x.length;
  let env: Float64Array;
  if (sampleRateHz > 2.2 * BIOSPPY_HIGHPASS_HZ && n > 27) {
    const sos = butterworthSos(4, BIOSPPY_HIGHPASS_HZ, 'highpass', sampleRateHz);
    const pad = defaultPadLength(sos);
    const ext = work ? work.take(ENVELOPE_SCRATCH, n + 2 * pad) : new Float64Array(n + 2 * pad);
    ext.set(x, pad);
    env = sosfiltfiltPadded(sos, ext, pad);
  } else {
    env = work ? work.take(ENVELOPE_SCRATCH, n) : new Float64Array(n);
    env.set(x);
  }
  for (let i = 0; i < n; i++) env[i] = Math.abs(env[i] ?? 0);
  const size = Math.max(1, Math.min(n - 1, Math.trunc(sampleRateHz * BIOSPPY_WINDOW_S)));
  smoothEdgePadded(env, new Float64Array(size).fill(1), env);
  return smoothEdgePadded(env, parzenWindow(size), env);
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
