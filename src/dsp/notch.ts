import type { Sos } from './butterworth.js';
import { meanPsd, welch } from './welch.js';

/**
 * Power-line notch filters (scipy.signal.iirnotch, scipy 1.10) and the line-interference test of
 * domain.md §1.3.
 */

/**
 * One second-order IIR notch at `freqHz` with quality factor `q` (−3 dB width = freqHz / q), as a single
 * section equal to scipy's `iirnotch(freqHz, q, fs)` (b, a).
 * @throws RangeError if the frequency is not strictly inside (0, Nyquist) or q is not positive.
 */
export function notchSos(freqHz: number, q: number, sampleRateHz: number): Sos {
  if (!(freqHz > 0 && freqHz < sampleRateHz / 2))
    throw new RangeError(`notch ${freqHz} Hz must lie inside (0, Nyquist)`);
  if (!(q > 0)) throw new RangeError('notch quality factor must be positive');
  const w0 = (2 * freqHz) / sampleRateHz;
  const bw = (w0 / q) * Math.PI;
  const beta = Math.tan(bw / 2);
  const gain = 1 / (1 + beta);
  const cosW = Math.cos(w0 * Math.PI);
  return Float64Array.from([gain, -2 * gain * cosW, gain, 1, -2 * gain * cosW, 2 * gain - 1]);
}

/**
 * Cascade of notches at the mains frequency and each harmonic strictly below Nyquist (one section each,
 * fundamental first), default Q = 30 (domain.md §1.3).
 */
export function lineNotchSos(mainsHz: 50 | 60, sampleRateHz: number, q = 30): Sos {
  const sections: number[] = [];
  for (let f = mainsHz; f < sampleRateHz / 2; f += mainsHz) sections.push(...notchSos(f, q, sampleRateHz));
  return Float64Array.from(sections);
}

export interface LineNoiseResult {
  /** PSD at mains ±1 Hz over the reference bands' mean PSD, dB. */
  ratioDb: number;
  /** ratioDb > thresholdDb: apply the notch. */
  detected: boolean;
  mainsHz: 50 | 60;
}

/**
 * Line interference test of domain.md §1.3: mean Welch PSD within mains ± 1 Hz more than `thresholdDb`
 * (default 10 dB) above the mean PSD of the reference bands (40–45 & 55–60 Hz for 50 Hz mains,
 * 50–55 & 65–70 Hz for 60 Hz). Uses ≈ 1 s Welch segments (≈ 1 Hz bins) without overlap, at most 16
 * of them evenly spread over the signal (a long recording is sampled, not read whole).
 */
export function detectLineNoise(
  x: ArrayLike<number>,
  sampleRateHz: number,
  mainsHz: 50 | 60,
  thresholdDb = 10,
): LineNoiseResult {
  const nperseg = Math.min(x.length, 2 ** Math.ceil(Math.log2(sampleRateHz)));
  const s = welch(x, sampleRateHz, { nperseg, noverlap: 0, maxSegments: 16 });
  const line = meanPsd(s, mainsHz - 1, mainsHz + 1);
  const refBands: [number, number][] =
    mainsHz === 50
      ? [
          [40, 45],
          [55, 60],
        ]
      : [
          [50, 55],
          [65, 70],
        ];
  const ref = refBands.map(([lo, hi]) => meanPsd(s, lo, hi)).reduce((a, b) => a + b, 0) / refBands.length;
  const ratioDb = ref > 0 && line > 0 ? 10 * Math.log10(line / ref) : line > 0 ? Infinity : 0;
  return { ratioDb, detected: ratioDb > thresholdDb, mainsHz };
}
