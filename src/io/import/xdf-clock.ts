/**
 * XDF time-stamp processing exactly as pyxdf's `load_xdf` does it with its defaults (xdf-modules/pyxdf
 * `_truncate_corrupted_offsets`, `_clock_sync`, `_detect_clock_resets`, `_robust_fit`, `_jitter_removal`):
 *
 * 1. Clock sync: each stream's ClockOffset chunks (collection time, recorder clock − stream clock) are split
 *    at clock resets (a backwards step in collection time, or a collection-time gap and an offset jump that
 *    are both > 5 MAD-standardised units and > 5 s, resp. > 10 units and > 1 s); in each range a robust
 *    linear fit (Huber loss by ADMM, 1000 iterations, values scaled by the 0.1 ms winsor threshold) maps
 *    stream time t to t + a + b·t. Samples go to the range whose collection times they are nearest.
 * 2. Dejittering of regular streams (nominal rate > 0): split at steps longer than max(1 s, 500 periods),
 *    then replace the time stamps of each segment by their least-squares line over the sample index. The
 *    effective rate is Σ(n − 1)/Σ duration over the segments. Streams whose `desc/synchronization/
 *    can_drop_samples` is true keep their stamps. Irregular streams (markers) are never dejittered.
 *
 * Segments are inclusive `[first, last]` sample indices, as pyxdf reports them.
 */
import type { XmlElement } from './xml-lite.js';
import { xmlText } from './xml-lite.js';

export type Segment = [first: number, last: number];

const WINSOR_S = 0.0001;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const diff = (v: ArrayLike<number>): number[] =>
  Array.from({ length: Math.max(0, v.length - 1) }, (_, k) => (v[k + 1] as number) - (v[k] as number));

/** Time stamps corrected in place: a plain or a typed array. */
export type MutableTimes = { length: number; [k: number]: number };

/** pyxdf `_segment_clock_diff`: true where a step is an outlier in both MAD units and seconds. */
function glitches(d: readonly number[], threshStds: number, threshS: number): boolean[] {
  const med = median(d);
  const mad = median(d.map((x) => Math.abs(x - med))) + Number.EPSILON;
  return d.map((x) => Math.abs((x - med) / mad) > threshStds && Math.abs(x - med) > threshS);
}

/** Inclusive index ranges between breaks (`breaks[k]` is a break between items k and k + 1). */
export function segmentsBetween(breaks: readonly boolean[]): Segment[] {
  const out: Segment[] = [];
  let start = 0;
  breaks.forEach((b, k) => {
    if (b) {
      out.push([start, k]);
      start = k + 1;
    }
  });
  out.push([start, breaks.length]);
  return out;
}

/** pyxdf `_detect_clock_resets` with its default thresholds; needs two or more offsets. */
export function clockResetRanges(clockTimesS: readonly number[], clockValuesS: readonly number[]): Segment[] {
  const dt = diff(clockTimesS);
  const dv = diff(clockValuesS);
  const timeGlitch = glitches(dt, 5, 5);
  const valueGlitch = glitches(dv, 10, 1);
  return segmentsBetween(dt.map((d, k) => d < 0 || (timeGlitch[k] === true && valueGlitch[k] === true)));
}

/**
 * pyxdf `_robust_fit`: minimises ½·Σ huber(A·x − y) by ADMM (ρ = 1) for A = [1, t], returning
 * [intercept, slope]; undefined when AᵀA is singular (pyxdf then uses no correction).
 */
export function robustLineFit(
  t: readonly number[],
  y: readonly number[],
  iterations = 1000,
): [number, number] | undefined {
  const n = t.length;
  const offset = Math.min(...t);
  const a1 = t.map((v) => v - offset);
  // AᵀA = [[n, Σa], [Σa, Σa²]]; solve with its inverse (the 2×2 Cholesky solve pyxdf does, in closed form).
  const s1 = a1.reduce((s, v) => s + v, 0);
  const s2 = a1.reduce((s, v) => s + v * v, 0);
  const det = n * s2 - s1 * s1;
  if (!(det > 0) || !(n > 0)) return undefined;
  const solve = (b0: number, b1: number): [number, number] => [
    (s2 * b0 - s1 * b1) / det,
    (n * b1 - s1 * b0) / det,
  ];
  const aty0 = y.reduce((s, v) => s + v, 0);
  const aty1 = y.reduce((s, v, k) => s + v * (a1[k] as number), 0);
  const z = new Float64Array(n);
  const u = new Float64Array(n);
  let x: [number, number] = [0, 0];
  for (let it = 0; it < iterations; it++) {
    let r0 = aty0;
    let r1 = aty1;
    for (let k = 0; k < n; k++) {
      const w = (z[k] as number) - (u[k] as number);
      r0 += w;
      r1 += (a1[k] as number) * w;
    }
    x = solve(r0, r1);
    // Each element's update reads only its own old z and u, so they are updated in place.
    for (let k = 0; k < n; k++) {
      const d = x[0] + x[1] * (a1[k] as number) - (y[k] as number) + (u[k] as number);
      const inv = d !== 0 ? 1 / d : 0;
      const shrink = Math.max(0, 1 - 2 * Math.abs(inv));
      const zk = 0.5 * d + 0.5 * shrink * d;
      z[k] = zk;
      u[k] = d - zk;
    }
  }
  return [x[0] - x[1] * offset, x[1]];
}

/**
 * pyxdf `_detect_corrupted_clock_offset` + `_truncate_corrupted_offsets` (pylsl #67, liblsl #246): when a
 * stream has more samples than its footer's `sample_count` and its last clock offset is anomalous, drop both
 * the extra samples and that offset. Returns the number of samples to keep.
 */
export function samplesToKeep(
  sampleCount: number,
  clockTimesS: number[],
  clockValuesS: number[],
  footer: XmlElement | undefined,
): number {
  const declared = Number(xmlText(footer, 'sample_count'));
  if (!Number.isFinite(declared) || xmlText(footer, 'sample_count') === undefined) return sampleCount;
  const footerCount = Math.trunc(declared);
  if (sampleCount <= footerCount || clockTimesS.length < 3) return sampleCount;
  const intervals = diff(clockTimesS);
  const medianInterval = median(intervals.slice(0, -1));
  const lastInterval = Math.abs(intervals.at(-1) as number);
  const timeRatio = medianInterval > 0 ? lastInterval / medianInterval : lastInterval > 0 ? Infinity : 1;
  const head = clockValuesS.slice(0, -1);
  const medianValue = median(head);
  const mad = median(head.map((v) => Math.abs(v - medianValue)));
  const z =
    mad > Number.EPSILON ? Math.abs((clockValuesS.at(-1) as number) - medianValue) / (1.4826 * mad) : 0;
  if (!(timeRatio > 10 || z > 10)) return sampleCount;
  clockTimesS.pop();
  clockValuesS.pop();
  return footerCount;
}

/**
 * pyxdf `_clock_sync` (with clock-reset handling): corrects `timesS` in place to the recorder's clock and
 * returns the clock segments (empty when the stream has no offsets or no samples).
 */
export function synchronizeClock(
  timesS: MutableTimes,
  clockTimesS: readonly number[],
  clockValuesS: readonly number[],
): Segment[] {
  if (timesS.length === 0 || clockTimesS.length === 0) return [];
  const ranges: Segment[] =
    clockTimesS.length > 1 ? clockResetRanges(clockTimesS, clockValuesS) : [[0, clockTimesS.length - 1]];
  const coefs = ranges.map(([a, b]): [number, number] => {
    if (a === b) return [clockValuesS[a] as number, 0];
    const t = clockTimesS.slice(a, b + 1).map((v) => v / WINSOR_S);
    const y = clockValuesS.slice(a, b + 1).map((v) => v / WINSOR_S);
    const fit = robustLineFit(t, y);
    return fit ? [fit[0] * WINSOR_S, fit[1]] : [0, 0];
  });
  const apply = (from: number, to: number, [c0, c1]: [number, number]): void => {
    for (let k = from; k < to; k++) timesS[k] = (timesS[k] as number) + c0 + c1 * (timesS[k] as number);
  };
  if (ranges.length === 1) {
    apply(0, timesS.length, coefs[0] as [number, number]);
    return [[0, timesS.length - 1]];
  }
  const segments: Segment[] = [];
  let start = 0;
  ranges.forEach(([, last], r) => {
    let stop: number;
    if (last + 1 < clockTimesS.length) {
      const endT = clockTimesS[last] as number;
      const nextT = clockTimesS[last + 1] as number;
      stop = start;
      while (
        stop < timesS.length &&
        Math.abs((timesS[stop] as number) - endT) < Math.abs((timesS[stop] as number) - nextT)
      )
        stop++;
    } else stop = timesS.length;
    if (stop > start) {
      segments.push([start, stop - 1]);
      apply(start, stop, coefs[r] as [number, number]);
      start = stop;
    }
  });
  return segments;
}

/** Whether the stream header says `desc/synchronization/can_drop_samples` is true. */
export const canDropSamples = (header: XmlElement): boolean =>
  (xmlText(header, 'desc', 'synchronization', 'can_drop_samples') ?? '').toLowerCase() === 'true';

/**
 * pyxdf `_jitter_removal` for one regular stream (default thresholds 1 s and 500 samples): replaces `timesS`
 * in place and returns the segments and the effective rate (0 when no segment has two samples).
 */
export function dejitter(
  timesS: MutableTimes,
  nominalRateHz: number,
): { segments: Segment[]; effectiveRateHz: number } {
  const n = timesS.length;
  if (n === 0) return { segments: [], effectiveRateHz: 0 };
  const threshold = Math.max(1, 500 / nominalRateHz);
  const segments = segmentsBetween(diff(timesS).map((d) => Math.abs(d) > threshold));
  let counts = 0;
  let durations = 0;
  for (const [a, b] of segments) {
    const m = b - a + 1;
    if (m > 1) {
      const meanI = (a + b) / 2;
      let meanT = 0;
      for (let k = a; k <= b; k++) meanT += timesS[k] as number;
      meanT /= m;
      let sxy = 0;
      let sxx = 0;
      for (let k = a; k <= b; k++) {
        sxy += (k - meanI) * ((timesS[k] as number) - meanT);
        sxx += (k - meanI) ** 2;
      }
      const slope = sxy / sxx;
      for (let k = a; k <= b; k++) timesS[k] = meanT + slope * (k - meanI);
    }
    counts += m - 1;
    durations += (timesS[b] as number) - (timesS[a] as number);
  }
  return { segments, effectiveRateHz: counts > 0 && durations > 0 ? counts / durations : 0 };
}
