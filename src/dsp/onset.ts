import { butterworthSos } from './butterworth.js';
import { biosppyBursts, biosppyEnvelope, biosppyThreshold } from './onset-biosppy.js';
import { defaultPadLength, sosfilt, sosfiltfiltPadded } from './sos-filter.js';
import type { WorkBuffers } from './work-buffers.js';

/**
 * EMG onset detection (domain.md §1.3): Teager–Kaiser energy operator (Li, Zhou & Aruin 2007; Solnik 2010),
 * Hodges & Bui 1996 threshold, Bonato 1998 double threshold, and BioSPPy's `find_onsets`
 * (./onset-biosppy.ts). All work on a band-passed signal and return bursts as sample index ranges.
 *
 * Which method for what: TKEO, threshold and double need a quiet baseline and suit short windows around a
 * stretch with a known rest lead-in (the default of this function, domain.md §2.3). For whole recordings
 * the session analysis uses {@link SESSION_ONSET_METHOD}.
 */

export type OnsetMethod = 'tkeo' | 'threshold' | 'double' | 'biosppy';

/**
 * Default onset method of the whole-session analysis, chosen by agreement with the reference on real
 * recordings (test/src/dsp/onset-agreement.test.ts, docs/validation.md). Reference: BioSPPy `find_onsets`
 * run with scipy (test/reference/emg_onsets.py) on the 2 BioSPPy examples and the 24 UCI lower-limb EMG
 * channels, 360 bursts; a burst agrees if its onset is within 20 ms and its offset within 50 ms. On its own
 * input ({@link sessionOnsetInput}) 'biosppy' agrees on 360 with no extra burst (emg_1: 4/4); TKEO (j = 8,
 * quietest 500 ms as baseline) on 35 with 605 extra (emg_1: 0/4, 44–67 ms early, 11 extra); Hodges–Bui
 * threshold on 12 (817 extra); double threshold on 14 (1506 extra). Without a known quiet baseline the
 * SD-above-baseline methods take the quietest stretch of a whole recording as rest, which sits below the
 * real rest level, so every small rise counts; BioSPPy's one threshold over the whole recording does not.
 */
export const SESSION_ONSET_METHOD: OnsetMethod = 'biosppy';

/**
 * The signal each method is given in the session analysis and the validation report (one rule for both):
 * 'biosppy' gets the raw channel, as BioSPPy's `emg()` does before `find_onsets` (its own 100 Hz zero-phase
 * high-pass is the only filter); the others get the session's 20–450 Hz band-passed channel. On the raw signal
 * the port agrees with the reference on all 360 bursts of the 26 real channels with no extra burst; after the
 * band-pass it agreed on 357 with 7 extra, because the band-pass moves the whole-recording threshold and
 * envelope peaks lying at it come and go (docs/validation.md).
 */
export function sessionOnsetInput(
  method: OnsetMethod,
  raw: ArrayLike<number>,
  bandPassed: ArrayLike<number>,
): ArrayLike<number> {
  return method === 'biosppy' ? raw : bandPassed;
}

export interface OnsetOptions {
  method?: OnsetMethod;
  /** Quiet baseline [start, end) in samples; default: the quietest 500 ms of the detection envelope. */
  baseline?: readonly [number, number];
  /** Threshold in baseline SDs above the baseline mean (default 8 for TKEO, 3 otherwise). */
  thresholdSd?: number;
  /** Minimum time above threshold to accept an onset and below it to end a burst, ms (default 25). */
  minDurationMs?: number;
  /** Envelope low-pass cut-off, Hz (default 50; 2nd-order Butterworth). */
  lowpassHz?: number;
  /** Zero-phase (offline, default) or causal (live) envelope filter. */
  zeroPhase?: boolean;
  /** Merge bursts separated by less than this gap, ms (default 0: no merging). */
  mergeGapMs?: number;
  /** Double threshold: share of samples in each `minDurationMs` window that must exceed (default 0.6). */
  fraction?: number;
}

/** One detected burst: onset and end sample indices (end exclusive; the signal end if the burst runs on). */
export interface Burst {
  start: number;
  end: number;
}

/** ψ[n] = x[n]² − x[n−1]·x[n+1] (or |ψ[n]| with `absolute`), with ψ at both ends copied from their neighbours. */
export function tkeo(x: ArrayLike<number>, absolute = false): Float64Array {
  const out = new Float64Array(x.length);
  tkeoInto(x, absolute, out, 0);
  return out;
}

/** {@link tkeo} of x written to out[offset…offset + x.length). */
function tkeoInto(x: ArrayLike<number>, absolute: boolean, out: Float64Array, offset: number): void {
  const n = x.length;
  let prev = x[0] ?? 0;
  let cur = x[1] ?? 0;
  if (absolute)
    for (let i = 1; i < n - 1; i++) {
      const next = x[i + 1] ?? 0;
      out[offset + i] = Math.abs(cur * cur - prev * next);
      prev = cur;
      cur = next;
    }
  else
    for (let i = 1; i < n - 1; i++) {
      const next = x[i + 1] ?? 0;
      out[offset + i] = cur * cur - prev * next;
      prev = cur;
      cur = next;
    }
  if (n > 1) {
    out[offset] = out[offset + 1] ?? 0;
    out[offset + n - 1] = out[offset + n - 2] ?? 0;
  }
}

/** The detection envelope each method thresholds: |ψ| or |x|, low-passed. */
export function onsetEnvelope(
  x: ArrayLike<number>,
  sampleRateHz: number,
  options: OnsetOptions = {},
): Float64Array {
  const method = options.method ?? 'tkeo';
  const cutoff = Math.min(options.lowpassHz ?? 50, sampleRateHz * 0.45);
  const sos = butterworthSos(2, cutoff, 'lowpass', sampleRateHz);
  const n = x.length;
  const zeroPhase = options.zeroPhase !== false && n > 15;
  // The detection source goes straight into the zero-phase work buffer (no intermediate copy).
  const pad = zeroPhase ? defaultPadLength(sos) : 0;
  const buf = new Float64Array(n + 2 * pad);
  if (method === 'tkeo') tkeoInto(x, true, buf, pad);
  else for (let i = 0; i < n; i++) buf[pad + i] = Math.abs(x[i] ?? 0);
  return zeroPhase ? sosfiltfiltPadded(sos, buf, pad) : sosfilt(sos, buf);
}

/** Mean and SD (population) of env over [start, end). */
export function meanSd(env: ArrayLike<number>, start: number, end: number): { mean: number; sd: number } {
  let s = 0;
  let s2 = 0;
  const n = Math.max(0, end - start);
  for (let i = start; i < end; i++) {
    const v = env[i] ?? 0;
    s += v;
    s2 += v * v;
  }
  const mean = n > 0 ? s / n : NaN;
  return { mean, sd: n > 0 ? Math.sqrt(Math.max(0, s2 / n - mean * mean)) : NaN };
}

/** [start, end) of the `windowSamples`-long stretch with the lowest mean of env (step windowSamples/4). */
export function quietestWindow(env: ArrayLike<number>, windowSamples: number): [number, number] {
  const n = env.length;
  const w = Math.min(windowSamples, n);
  const step = Math.max(1, Math.floor(w / 4));
  const blocks = Math.floor(n / step);
  const perWindow = Math.floor(w / step);
  const blockSum = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let s = 0;
    const o = b * step;
    for (let i = 0; i < step; i++) s += env[o + i] ?? 0;
    blockSum[b] = s;
  }
  let best = 0;
  let bestSum = Infinity;
  let sum = 0;
  for (let b = 0; b < blocks; b++) {
    sum += blockSum[b] ?? 0;
    if (b >= perWindow) sum -= blockSum[b - perWindow] ?? 0;
    if (b >= perWindow - 1 && sum < bestSum) {
      bestSum = sum;
      best = (b - perWindow + 1) * step;
    }
  }
  return [best, Math.min(n, best + w)];
}

/**
 * Bursts where `env` exceeds `threshold` for at least `minSamples` consecutive samples; a burst ends at the
 * first sample of a run of ≥ `minSamples` samples below threshold. With `fraction` < 1 (double threshold),
 * an onset needs ≥ fraction·minSamples samples above threshold in the window starting at it.
 */
export function findBursts(
  env: ArrayLike<number>,
  threshold: number,
  minSamples: number,
  fraction = 1,
): Burst[] {
  const n = env.length;
  const m = Math.max(1, minSamples);
  const bursts: Burst[] = [];
  if (fraction >= 1) {
    // Run-length form of the rule: ≥ m samples above starts a burst, ≥ m samples below ends it. Each run is
    // found by a tight scan (NaN counts as below, as in `>`).
    let i = 0;
    while (i < n) {
      while (i < n && !((env[i] ?? 0) > threshold)) i++;
      let j = i;
      while (j < n && (env[j] ?? 0) > threshold) j++;
      if (j - i < m) {
        i = j;
        continue;
      }
      let end = n;
      let k = j;
      while (k < n) {
        let e = k;
        while (e < n && !((env[e] ?? 0) > threshold)) e++;
        if (e - k >= m) {
          end = k;
          break;
        }
        k = e;
        while (k < n && (env[k] ?? 0) > threshold) k++;
      }
      bursts.push({ start: i, end });
      i = end === n ? n : end + m;
    }
    return bursts;
  }
  const need = Math.ceil(fraction * m);
  const aboveCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) aboveCount[i + 1] = (aboveCount[i] ?? 0) + ((env[i] ?? 0) > threshold ? 1 : 0);
  const countAbove = (a: number, b: number): number =>
    (aboveCount[Math.min(b, n)] ?? 0) - (aboveCount[a] ?? 0);
  let i = 0;
  while (i < n) {
    if ((env[i] ?? 0) > threshold && i + m <= n && countAbove(i, i + m) >= need) {
      const start = i;
      let j = i + 1;
      while (j < n && !(countAbove(j, j + m) === 0 && j + m <= n)) j++;
      bursts.push({ start, end: j });
      i = j + m;
    } else i++;
  }
  return bursts;
}

export interface OnsetResult {
  bursts: Burst[];
  threshold: number;
  baseline: [number, number];
  baselineMean: number;
  baselineSd: number;
}

/**
 * Detects EMG bursts in a band-passed signal `x` with the chosen method (default TKEO, j = 8, 25 ms,
 * LP 50 Hz). Onset indices refer to `x`; the zero-phase envelope shifts onsets ≈ 5 ms early (spec
 * tolerance ± 15 ms). With `work`, BioSPPy's envelope is computed in its buffers instead of new ones.
 */
export function detectOnsets(
  x: ArrayLike<number>,
  sampleRateHz: number,
  options: OnsetOptions = {},
  work?: WorkBuffers,
): OnsetResult {
  const method = options.method ?? 'tkeo';
  if (method === 'biosppy') {
    const env = biosppyEnvelope(x, sampleRateHz, work);
    const threshold = biosppyThreshold(env);
    return {
      bursts: biosppyBursts(env, threshold),
      threshold,
      baseline: [0, x.length],
      baselineMean: NaN,
      baselineSd: NaN,
    };
  }
  const env = onsetEnvelope(x, sampleRateHz, options);
  const baseline = options.baseline
    ? ([options.baseline[0], options.baseline[1]] as [number, number])
    : quietestWindow(env, Math.round(0.5 * sampleRateHz));
  const { mean, sd } = meanSd(env, baseline[0], baseline[1]);
  const h = options.thresholdSd ?? (method === 'tkeo' ? 8 : 3);
  const threshold = mean + h * sd;
  const minSamples = Math.max(1, Math.round(((options.minDurationMs ?? 25) * sampleRateHz) / 1000));
  const fraction = method === 'double' ? (options.fraction ?? 0.6) : 1;
  const gap = Math.round(((options.mergeGapMs ?? 0) * sampleRateHz) / 1000);
  const bursts: Burst[] = [];
  for (const b of findBursts(env, threshold, minSamples, fraction)) {
    const last = bursts.at(-1);
    if (last && b.start - last.end < gap) last.end = b.end;
    else bursts.push({ ...b });
  }
  return {
    bursts,
    threshold,
    baseline,
    baselineMean: mean,
    baselineSd: sd,
  };
}
