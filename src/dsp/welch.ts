import FFT from 'fft.js';
import { accumulateHannPower } from './wasm/welch-kernel.js';

/**
 * Welch power spectral density matching scipy.signal.welch defaults (scipy 1.10): periodic Hann window,
 * `nperseg` = 256 (or the signal length if shorter), 50 % overlap, `nfft` = nperseg, constant (mean)
 * detrend per segment, one-sided, scaling 'density' (units²/Hz), mean over segments. FFTs of power-of-two
 * length use fft.js; other lengths use an exact DFT.
 */
export interface WelchOptions {
  /** Segment length in samples (default min(256, signal length)). */
  nperseg?: number;
  /** Overlap in samples (default nperseg/2, floored). */
  noverlap?: number;
  /**
   * Average at most this many segments, evenly spaced over the signal (default: all, as scipy). A cheaper
   * estimate for long signals where only band ratios matter.
   */
  maxSegments?: number;
  /**
   * Only the bins with loHz ≤ f ≤ hiHz are wanted: they are exact, every other bin is 0. For callers that read
   * one band; it saves most of the work where the exact DFT runs (segments that are not a power of two long).
   */
  bandHz?: readonly [number, number];
}

export interface Spectrum {
  /** Bin frequencies, Hz, ascending from 0 to Nyquist. */
  freqHz: Float64Array;
  /** Power spectral density per bin, (signal unit)²/Hz. */
  psd: Float64Array;
}

/** Whether n is a power of two of at least 2 (the lengths fft.js transforms). */
const isPowerOfTwo = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** fft.js instance and its (reused) complex output array per power-of-two length. */
const fftCache = new Map<number, { fft: FFT; spec: number[] }>();

function fftOf(n: number): { fft: FFT; spec: number[] } {
  let f = fftCache.get(n);
  if (!f) {
    const fft = new FFT(n);
    f = { fft, spec: fft.createComplexArray() as number[] };
    fftCache.set(n, f);
  }
  return f;
}
/** A reusable interleaved complex array for {@link segmentSpectrum} of length-n segments. */
function specOf(n: number): number[] {
  if (isPowerOfTwo(n)) return fftOf(n).spec;
  return new Array<number>(2 * (Math.floor(n / 2) + 1)).fill(0);
}
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

const hannCache = new Map<number, { win: Float64Array; winPower: number }>();

/** Periodic Hann window of length n and its power Σw² (cached per length; treat as read-only). */
function hann(n: number): { win: Float64Array; winPower: number } {
  let h = hannCache.get(n);
  if (!h) {
    const win = new Float64Array(n);
    let winPower = 0;
    for (let i = 0; i < n; i++) {
      // scipy's windows are all ones at length 1.
      const w = n === 1 ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
      win[i] = w;
      winPower += w * w;
    }
    h = { win, winPower };
    hannCache.set(n, h);
  }
  return h;
}

/** cos/sin(2π·i/n) tables for the exact DFT of non-power-of-two lengths. */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (!t) {
    t = {
      cos: Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n)),
      sin: Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n)),
    };
    twiddleCache.set(n, t);
  }
  return t;
}

/**
 * The half spectrum X_k, k = 0…⌊n/2⌋, of `x[start … start + n)` as interleaved re/im pairs in `spec` (fft.js for
 * powers of two, an exact DFT otherwise, then only of the bins `kFrom…kTo`).
 */
function segmentSpectrum(
  x: Float64Array | Float32Array,
  start: number,
  n: number,
  spec: number[],
  [kFrom, kTo]: readonly [number, number] = [0, Math.floor(n / 2)],
): void {
  if (isPowerOfTwo(n)) {
    fftOf(n).fft.realTransform(spec, x.subarray(start, start + n));
    return;
  }
  const { cos, sin } = twiddles(n);
  for (let k = kFrom; k <= kTo; k++) {
    let re = 0;
    let im = 0;
    // idx = i·k mod n, stepped without a division.
    for (let i = 0, idx = 0; i < n; i++) {
      const v = x[start + i] ?? 0;
      re += v * (cos[idx] ?? 0);
      im -= v * (sin[idx] ?? 0);
      idx += k;
      if (idx >= n) idx -= n;
    }
    spec[2 * k] = re;
    spec[2 * k + 1] = im;
  }
}

/**
 * Adds |Y_k|², k = 0…⌊n/2⌋, to acc[k], where Y is the spectrum of the mean-removed, periodic-Hann-windowed
 * segment whose plain spectrum X is in `spec` (as {@link segmentSpectrum} leaves it; spec[0..1] are cleared).
 * Both steps are exact in the frequency domain: removing the mean zeroes X_0, and the periodic Hann window
 * 0.5 − 0.5·cos(2πi/n) makes Y_k = 0.5·X_k − 0.25·(X_{k−1} + X_{k+1}) with X_{−j} = X_{n−j} = conj(X_j). So the
 * segment is transformed where it lies, without a copy, a mean pass or a window pass.
 */
function addHannDetrendedPower(spec: number[], n: number, acc: Float64Array): void {
  const half = Math.floor(n / 2);
  if (n < 2) return;
  spec[0] = 0;
  spec[1] = 0;
  // X'_{k−1}, X'_k slide along; X'_{−1} = conj(X'_1) (X'_{n−1} of a 2-sample segment is X'_1 itself, real).
  let pr = spec[2] ?? 0;
  let pi = -(spec[3] ?? 0);
  let cr = 0;
  let ci = 0;
  for (let k = 0; k < half; k++) {
    const nr = spec[2 * k + 2] ?? 0;
    const ni = spec[2 * k + 3] ?? 0;
    const yr = 0.5 * cr - 0.25 * (pr + nr);
    const yi = 0.5 * ci - 0.25 * (pi + ni);
    acc[k] = (acc[k] ?? 0) + (yr * yr + yi * yi);
    pr = cr;
    pi = ci;
    cr = nr;
    ci = ni;
  }
  // X'_{half+1} = conj(X'_{n−half−1}): X'_{half−1} for even n, X'_half for odd n.
  const m = n - half - 1;
  const nr = m === 0 ? 0 : (spec[2 * m] ?? 0);
  const ni = m === 0 ? 0 : -(spec[2 * m + 1] ?? 0);
  const yr = 0.5 * cr - 0.25 * (pr + nr);
  const yi = 0.5 * ci - 0.25 * (pi + ni);
  acc[half] = (acc[half] ?? 0) + (yr * yr + yi * yi);
}

/**
 * Welch PSD of `x` sampled at `sampleRateHz`.
 * @throws RangeError for an empty signal or invalid segment/overlap lengths.
 */
export function welch(x: ArrayLike<number>, sampleRateHz: number, options: WelchOptions = {}): Spectrum {
  const len = x.length;
  if (len === 0) throw new RangeError('welch needs a non-empty signal');
  const nperseg = Math.min(options.nperseg ?? 256, len);
  const noverlap = options.noverlap ?? Math.floor(nperseg / 2);
  if (!(nperseg >= 1 && noverlap >= 0 && noverlap < nperseg))
    throw new RangeError('invalid nperseg/noverlap');
  const { winPower } = hann(nperseg);
  const step = nperseg - noverlap;
  const available = Math.floor((len - noverlap) / step);
  const nSeg = Math.min(available, options.maxSegments ?? Infinity);
  const half = Math.floor(nperseg / 2);
  const acc = new Float64Array(half + 1);
  const signal = x instanceof Float64Array || x instanceof Float32Array ? x : Float64Array.from(x);
  // The wanted bins, and the plain spectrum one bin wider (the window mixes each bin with its neighbours).
  const wanted: [number, number] = options.bandHz
    ? [
        Math.max(0, Math.ceil((options.bandHz[0] * nperseg) / sampleRateHz)),
        Math.min(half, Math.floor((options.bandHz[1] * nperseg) / sampleRateHz)),
      ]
    : [0, half];
  const plain: [number, number] = [Math.max(0, wanted[0] - 1), Math.min(half, wanted[1] + 1)];
  const starts = Int32Array.from({ length: Math.max(0, nSeg) }, (_, s) =>
    nSeg === available ? s * step : Math.floor((s * (available - 1)) / Math.max(1, nSeg - 1)) * step,
  );
  if (isPowerOfTwo(nperseg)) accumulateHannPower(signal, starts, nperseg, acc);
  else {
    const spec = specOf(nperseg);
    if (options.bandHz) spec.fill(0);
    for (const start of starts) {
      segmentSpectrum(signal, start, nperseg, spec, plain);
      addHannDetrendedPower(spec, nperseg, acc);
    }
  }
  const scale = 1 / (sampleRateHz * winPower * Math.max(1, nSeg));
  const psd = new Float64Array(half + 1);
  const freqHz = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const doubled = k > 0 && !(nperseg % 2 === 0 && k === half);
    psd[k] = k >= wanted[0] && k <= wanted[1] ? (acc[k] ?? 0) * scale * (doubled ? 2 : 1) : 0;
    freqHz[k] = (k * sampleRateHz) / nperseg;
  }
  return { freqHz, psd };
}

/** Sum of PSD·Δf over bins with loHz ≤ f ≤ hiHz (rectangle rule), in (signal unit)². */
export function bandPower(s: Spectrum, loHz: number, hiHz: number): number {
  const df = (s.freqHz[1] ?? 0) - (s.freqHz[0] ?? 0);
  let p = 0;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f >= loHz && f <= hiHz) p += (s.psd[k] ?? 0) * df;
  }
  return p;
}

/** Mean of the PSD over bins with loHz ≤ f ≤ hiHz; NaN if no bin falls inside. */
export function meanPsd(s: Spectrum, loHz: number, hiHz: number): number {
  let p = 0;
  let n = 0;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f >= loHz && f <= hiHz) {
      p += s.psd[k] ?? 0;
      n++;
    }
  }
  return n > 0 ? p / n : NaN;
}

/** Power-weighted mean frequency Σf·P/ΣP over [loHz, hiHz], Hz; NaN if there is no power. */
export function meanFrequencyHz(s: Spectrum, loHz = 0, hiHz = Infinity): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f < loHz || f > hiHz) continue;
    num += f * (s.psd[k] ?? 0);
    den += s.psd[k] ?? 0;
  }
  return den > 0 ? num / den : NaN;
}

/**
 * Frequency that splits the power in [loHz, hiHz] in half, Hz, interpolated linearly inside the bin
 * where the cumulative power crosses 50 %; NaN if there is no power.
 */
export function medianFrequencyHz(s: Spectrum, loHz = 0, hiHz = Infinity): number {
  let total = 0;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f >= loHz && f <= hiHz) total += s.psd[k] ?? 0;
  }
  if (!(total > 0)) return NaN;
  let cum = 0;
  let prevF = NaN;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f < loHz || f > hiHz) continue;
    const p = s.psd[k] ?? 0;
    if (cum + p >= total / 2) {
      if (Number.isNaN(prevF) || p === 0) return f;
      return prevF + ((total / 2 - cum) / p) * (f - prevF);
    }
    cum += p;
    prevF = f;
  }
  return NaN;
}

/** Frequency of the largest PSD bin in [loHz, hiHz], refined by parabolic interpolation; NaN if none. */
export function peakFrequencyHz(s: Spectrum, loHz: number, hiHz: number): number {
  let best = -1;
  for (let k = 0; k < s.psd.length; k++) {
    const f = s.freqHz[k] ?? 0;
    if (f >= loHz && f <= hiHz && (best < 0 || (s.psd[k] ?? 0) > (s.psd[best] ?? 0))) best = k;
  }
  if (best < 0) return NaN;
  const df = (s.freqHz[1] ?? 0) - (s.freqHz[0] ?? 0);
  const a = s.psd[best - 1];
  const b = s.psd[best] ?? 0;
  const c = s.psd[best + 1];
  if (a === undefined || c === undefined) return s.freqHz[best] ?? NaN;
  const den = a - 2 * b + c;
  const shift = den !== 0 ? (0.5 * (a - c)) / den : 0;
  return (s.freqHz[best] ?? 0) + shift * df;
}

/** Complex half spectrum X_k, k = 0…n/2, of a real segment (as {@link segmentSpectrum}). */
function complexSpectrum(seg: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = seg.length;
  const half = Math.floor(n / 2);
  const spec = specOf(n);
  segmentSpectrum(seg, 0, n, spec);
  const re = new Float64Array(half + 1);
  const im = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    re[k] = spec[2 * k] ?? 0;
    im[k] = spec[2 * k + 1] ?? 0;
  }
  return { re, im };
}

/**
 * Magnitude-squared coherence |Pxy|²/(Pxx·Pyy) of two equally long signals (scipy.signal.coherence
 * defaults: Hann, 50 % overlap, constant detrend), per frequency bin; values in [0, 1].
 * @throws RangeError if the signals differ in length or are empty.
 */
export function coherence(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  sampleRateHz: number,
  nperseg = 256,
): { freqHz: Float64Array; cxy: Float64Array } {
  if (x.length !== y.length || x.length === 0)
    throw new RangeError('coherence needs two non-empty signals of equal length');
  const n = Math.min(nperseg, x.length);
  const step = n - Math.floor(n / 2);
  const nSeg = Math.floor((x.length - Math.floor(n / 2)) / step);
  const half = Math.floor(n / 2);
  const pxx = new Float64Array(half + 1);
  const pyy = new Float64Array(half + 1);
  const pr = new Float64Array(half + 1);
  const pi = new Float64Array(half + 1);
  const { win } = hann(n);
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  for (let s = 0; s < nSeg; s++) {
    const o = s * step;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += x[o + i] ?? 0;
      my += y[o + i] ?? 0;
    }
    mx /= n;
    my /= n;
    for (let i = 0; i < n; i++) {
      sx[i] = ((x[o + i] ?? 0) - mx) * (win[i] ?? 0);
      sy[i] = ((y[o + i] ?? 0) - my) * (win[i] ?? 0);
    }
    const X = complexSpectrum(sx);
    const Y = complexSpectrum(sy);
    for (let k = 0; k <= half; k++) {
      const xr = X.re[k] ?? 0;
      const xi = X.im[k] ?? 0;
      const yr = Y.re[k] ?? 0;
      const yi = Y.im[k] ?? 0;
      pxx[k] = (pxx[k] ?? 0) + xr * xr + xi * xi;
      pyy[k] = (pyy[k] ?? 0) + yr * yr + yi * yi;
      pr[k] = (pr[k] ?? 0) + xr * yr + xi * yi;
      pi[k] = (pi[k] ?? 0) + xi * yr - xr * yi;
    }
  }
  const cxy = new Float64Array(half + 1);
  const freqHz = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const d = (pxx[k] ?? 0) * (pyy[k] ?? 0);
    cxy[k] = d > 0 ? ((pr[k] ?? 0) ** 2 + (pi[k] ?? 0) ** 2) / d : 0;
    freqHz[k] = (k * sampleRateHz) / n;
  }
  return { freqHz, cxy };
}
