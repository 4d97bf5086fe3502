import { butterworthSos } from '../dsp/butterworth.js';
import { sosfiltfilt } from '../dsp/sos-filter.js';
import { bandPower, coherence, peakFrequencyHz, welch } from '../dsp/welch.js';
import type { ResultMeta } from './types.js';

/**
 * Clonus detection from the joint angular velocity (domain.md §4, IMU primary): 3–12 Hz zero-phase
 * band-pass, 2 s Welch windows (step 0.5 s) for candidate regions, beats as local maxima above 10 °/s,
 * episodes as runs of beats with inter-beat interval ≤ 1.5/f₀. With the stretches given, peaks inside a stretch
 * are its imposed movement ringing in the band, not beats (1.1.0: before, such a peak opened the episode before
 * the stretch ended, and the episode was then dropped as not following a stretch).
 */
export const CLONUS_ALGORITHM_VERSION = 'clonus/1.1.0';

/**
 * Peak ω (°/s, band-passed) down to which an episode's oscillation is followed after its last beat: above
 * MEMS gyroscope noise (typically well under 1 °/s RMS), far below the 10 °/s beat threshold.
 */
export const CLONUS_TAIL_DEG_S = 2;

export interface ClonusEpisode {
  startS: number;
  endS: number;
  beats: number;
  /** 1 / mean inter-beat interval, Hz. */
  f0Hz: number;
  /** SD / mean of the inter-beat intervals (regular clonus < 0.25). */
  ibiCv: number;
  durationS: number;
  /**
   * Where the decaying oscillation ends, s: the last peak above {@link CLONUS_TAIL_DEG_S} that keeps the beat
   * rhythm (each within 1.5/f₀ of the one before) after the last beat. Tremor is looked for without it.
   */
  oscillationEndS: number;
  /** Mean amplitude of the last 3 beats over the first 3. */
  decayRatio: number;
  /** Suggestion only (MTS 3-like < 10 s, MTS 4-like ≥ 10 s); the clinician confirms. */
  grade: 'fatigable' | 'infatigable';
  /** Whether the episode starts within 2 s after a stretch end (null when no stretches were given). */
  stretchTriggered: boolean | null;
  /** Coherence of ω and the EMG envelope at f₀ over the episode (null without EMG). */
  emgCoherence: number | null;
  /** EMG confirmation of §4 step 5: coherence ≥ 0.5 at f₀ (null without EMG). */
  emgConfirmed: boolean | null;
}

export interface ClonusResult extends ResultMeta {
  episodes: ClonusEpisode[];
}

export interface ClonusOptions {
  /**
   * The stretches (s); when given, peaks inside one are not beats, and only episodes starting within 2 s after a
   * stretch end are reported.
   */
  stretchesS?: readonly { startS: number; endS: number }[];
  beatThresholdDegS?: number;
  minProminence?: number;
  minPeakToPeakDegS?: number;
  /** Fewest beats that make an episode (default 5, [P]). */
  minBeats?: number;
  /** EMG envelope (LP 20 Hz) of the stretched muscle at the same rate and length as ω, for confirmation. */
  emgEnvelope?: ArrayLike<number>;
}

/** Detects clonus episodes in ω (°/s along the joint axis) sampled at `sampleRateHz` (≥ 40 Hz). */
export function detectClonus(
  omegaDegS: ArrayLike<number>,
  sampleRateHz: number,
  options: ClonusOptions = {},
): ClonusResult {
  const fs = sampleRateHz;
  const beatTh = options.beatThresholdDegS ?? 10;
  const minProm = options.minProminence ?? 0.5;
  const minP2p = options.minPeakToPeakDegS ?? 20;
  const minBeats = options.minBeats ?? 5;
  const parameters = {
    band: '3-12 Hz',
    windowS: 2,
    stepS: 0.5,
    beatThresholdDegS: beatTh,
    minProminence: minProm,
    minPeakToPeakDegS: minP2p,
    sampleRateHz: fs,
  };
  const win = Math.round(2 * fs);
  if (omegaDegS.length <= Math.max(win, 30))
    return {
      algorithmVersion: CLONUS_ALGORITHM_VERSION,
      parameters,
      quality: ['shortRecording'],
      episodes: [],
    };
  const y = sosfiltfilt(butterworthSos(2, [3, 12], 'bandpass', fs), omegaDegS);
  const step = Math.round(0.5 * fs);
  const candidate = new Uint8Array(y.length);
  const windowF0: number[] = [];
  for (let s = 0; s + win <= y.length; s += step) {
    const seg = y.subarray(s, s + win);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of seg) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo < minP2p) continue;
    // Read only in 3–12 Hz (with one bin either side for the peak's interpolation).
    const spec = welch(seg, fs, { nperseg: win, bandHz: [2, 13] });
    const f0 = peakFrequencyHz(spec, 3, 12);
    const prominence = bandPower(spec, f0 - 0.5, f0 + 0.5) / bandPower(spec, 3, 12);
    if (f0 >= 3 && f0 <= 8 && prominence >= minProm) {
      candidate.fill(1, s, s + win);
      windowF0.push(f0);
    }
  }
  const stretches = options.stretchesS ?? [];
  for (const st of stretches)
    candidate.fill(
      0,
      Math.max(0, Math.floor(st.startS * fs)),
      Math.min(y.length, Math.ceil(st.endS * fs) + 1),
    );
  const peaks: number[] = [];
  for (let i = 1; i < y.length - 1; i++)
    if (
      candidate[i] &&
      (y[i] ?? 0) > beatTh &&
      (y[i] ?? 0) >= (y[i - 1] ?? 0) &&
      (y[i] ?? 0) > (y[i + 1] ?? 0)
    )
      peaks.push(i);
  const f0Window = windowF0.length > 0 ? windowF0.reduce((a, b) => a + b, 0) / windowF0.length : 6;
  const maxGap = (1.5 / f0Window) * fs;
  const episodes: ClonusEpisode[] = [];
  let run: number[] = [];
  const flush = (): void => {
    if (run.length >= minBeats) {
      const ibis = run.slice(1).map((p, k) => (p - (run[k] ?? 0)) / fs);
      const mean = ibis.reduce((a, b) => a + b, 0) / ibis.length;
      const sd = Math.sqrt(ibis.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, ibis.length - 1));
      const amp = run.map((p) => y[p] ?? 0);
      const first = amp.slice(0, 3).reduce((a, b) => a + b, 0) / 3;
      const last = amp.slice(-3).reduce((a, b) => a + b, 0) / 3;
      const startS = (run[0] ?? 0) / fs;
      const endS = (run.at(-1) ?? 0) / fs;
      let tail = run.at(-1) ?? 0;
      for (let i = tail + 1; i < y.length - 1 && i - tail <= maxGap; i++)
        if (
          (y[i] ?? 0) > CLONUS_TAIL_DEG_S &&
          (y[i] ?? 0) >= (y[i - 1] ?? 0) &&
          (y[i] ?? 0) > (y[i + 1] ?? 0)
        )
          tail = i;
      const triggered = options.stretchesS
        ? stretches.some((st) => startS >= st.endS && startS - st.endS <= 2)
        : null;
      let emgCoherence: number | null = null;
      const envelope = options.emgEnvelope;
      if (envelope && envelope.length === y.length) {
        const a = Math.max(0, (run[0] ?? 0) - Math.round(0.25 * fs));
        const b = Math.min(y.length, (run.at(-1) ?? 0) + Math.round(0.25 * fs));
        const nper = 2 ** Math.floor(Math.log2(Math.max(16, Math.min(b - a, fs))));
        const c = coherence(
          y.subarray(a, b),
          Float64Array.from({ length: b - a }, (_, i) => envelope[a + i] ?? 0),
          fs,
          nper,
        );
        let bin = 0;
        for (let k = 1; k < c.freqHz.length; k++)
          if (Math.abs((c.freqHz[k] ?? 0) - 1 / mean) < Math.abs((c.freqHz[bin] ?? 0) - 1 / mean)) bin = k;
        emgCoherence = c.cxy[bin] ?? null;
      }
      if (triggered !== false)
        episodes.push({
          startS,
          endS,
          oscillationEndS: tail / fs,
          beats: run.length,
          f0Hz: 1 / mean,
          ibiCv: sd / mean,
          durationS: endS - startS,
          decayRatio: last / first,
          grade: endS - startS < 10 ? 'fatigable' : 'infatigable',
          stretchTriggered: triggered,
          emgCoherence,
          emgConfirmed: emgCoherence === null ? null : emgCoherence >= 0.5,
        });
    }
    run = [];
  };
  for (const p of peaks) {
    if (run.length > 0 && p - (run.at(-1) ?? 0) > maxGap) flush();
    run.push(p);
  }
  flush();
  return { algorithmVersion: CLONUS_ALGORITHM_VERSION, parameters, quality: [], episodes };
}
