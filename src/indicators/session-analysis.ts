import { derivative, integrateAngle, staticPeriods, trueStillPeriods } from '../dsp/imu.js';
import { SESSION_ONSET_METHOD, type OnsetMethod } from '../dsp/onset.js';
import { WorkBuffers } from '../dsp/work-buffers.js';
import {
  finiteOrNull,
  type AnalysisEvent,
  type EmgChannelSummary,
  type ImuChannelSummary,
  type IndicatorValue,
  type SessionAnalysis,
} from '../shared/analysis.js';
import { onNominalGrid, type RecordedStream, type Recording } from '../shared/recording.js';
import type { ChannelDescriptor, StreamDescriptor } from '../shared/samples.js';
import { axisTremor, type TremorResult } from './tremor.js';
import { smoothKinematics } from './passive-stretch.js';
import {
  analyzeEmgChannel,
  emgChannelAnalysable,
  ONSET_MERGE_GAP_MS,
  type EmgChannelOptions,
  type EmgChannelResult,
} from './emg-channel-analysis.js';
import { indicator } from './indicator-value.js';
import {
  firstEmgChannelOf,
  protocolIndicators,
  type FirstEmgChannel,
  type Kinematics,
  type ProtocolIndicators,
} from './protocol-indicators.js';
import { QUALITY_ALGORITHM_VERSION } from './quality.js';
import { REST_TONE_ALGORITHM_VERSION } from './rest-tone.js';
import { spliceOut } from './discontinuities.js';

export { spectrumSegmentLength } from './emg-channel-analysis.js';
import type { DiscontinuityS } from './types.js';

/**
 * Offline whole-session analysis of a {@link Recording} from any source (file import, stored session):
 * per EMG channel amplitude, spectrum, onsets, rest tone and quality; per IMU axis tremor peak; and the
 * protocol indicators (passive stretches + clonus, or pendulum drops) where a kinematic signal exists.
 */
export const SESSION_ANALYSIS_VERSION = 'session-analysis/1.2.0';

export type ProtocolChoice = 'auto' | 'stretch' | 'pendulum' | 'none';

export interface AnalysisOptions {
  /** Site mains frequency for the line-noise test and notch (default 50). */
  mainsHz?: 50 | 60;
  /** Which protocol the kinematics come from; 'auto' = passive stretches + clonus (default). */
  protocol?: ProtocolChoice;
  onsetMethod?: OnsetMethod;
  bodyMassKg?: number;
  shankLengthM?: number;
  /** Quiet-rest window in s for the rest tone; default the whole recording. */
  restWindowS?: readonly [number, number];
  /** Samples known to be missing (e.g. sessions.dropped_samples); > 0 flags `droppedSamples` on EMG. */
  droppedSamples?: number;
  /**
   * Spans without real data because the recording was paused, s from the start. No stretch and no pendulum
   * drop is taken across, inside or right after one (their quiet lead-in must be real data).
   */
  discontinuitiesS?: readonly DiscontinuityS[];
  /**
   * Hears how far the analysis is: after each channel (0..0.8, by channels done) and before the protocol
   * indicators (0.8); fractions only increase. For progress bars; the result does not depend on it.
   */
  onProgress?: (fraction: number, stage: string) => void;
}

/** The parts of sample span `[a, b)` outside every break, each at least `minLength` samples long. */
function outsideBreaks(
  [a, b]: [number, number],
  kept: readonly (readonly [number, number])[],
  minLength: number,
): [number, number][] {
  return kept
    .map(([x, y]): [number, number] => [Math.max(a, x), Math.min(b, y)])
    .filter(([x, y]) => y - x >= minLength);
}

/**
 * The integrated angle after each break (pause, gap) is unknown: the joint may have moved meanwhile. Each
 * piece after a break is shifted so that its longest still period sits at the angle of the longest still
 * period before the first break, i.e. the start posture, which the protocol keeps the same for every
 * repetition (domain.md §2.2). A piece without a still period keeps the angle it was integrated to.
 */
function reanchorAfterBreaks(
  thetaDeg: Float64Array,
  still: readonly [number, number][],
  fs: number,
  breaks: readonly DiscontinuityS[],
): Float64Array {
  const ends = [...breaks].map((d) => Math.round(d.endS * fs)).sort((a, b) => a - b);
  if (ends.length === 0) return thetaDeg;
  const longestIn = (from: number, to: number): [number, number] | undefined =>
    still
      .filter(([a, b]) => a >= from && b <= to)
      .reduce<[number, number] | undefined>((l, p) => (!l || p[1] - p[0] > l[1] - l[0] ? p : l), undefined);
  const meanOf = ([a, b]: [number, number]): number => {
    let sum = 0;
    for (let i = a; i < b; i++) sum += thetaDeg[i] ?? 0;
    return sum / (b - a);
  };
  const first = Math.round(Math.min(...breaks.map((d) => d.startS)) * fs);
  const reference = longestIn(0, first);
  if (!reference) return thetaDeg;
  const restDeg = meanOf(reference);
  ends.forEach((from, k) => {
    const to = ends[k + 1] ?? thetaDeg.length;
    const anchor = longestIn(from, to);
    if (!anchor) return;
    const shift = restDeg - meanOf(anchor);
    for (let i = from; i < thetaDeg.length; i++) thetaDeg[i] = (thetaDeg[i] ?? 0) + shift;
  });
  return thetaDeg;
}

/** The channel the kinematics come from: an angle channel (preferred) or the gyro axis with the most variance. */
function kinematicSource(
  rec: Recording,
): { s: RecordedStream; k: number; kind: 'angle' | 'gyro' } | undefined {
  for (const s of rec.streams) {
    const k = s.descriptor.channels.findIndex((ch) => ch.kind === 'angle' && ch.unit === 'deg');
    if (k < 0) continue;
    if ((s.data[k]?.length ?? 0) > 30) return { s, k, kind: 'angle' };
    break;
  }
  let best: { s: RecordedStream; k: number; v: number } | undefined;
  for (const s of rec.streams)
    s.descriptor.channels.forEach((ch, k) => {
      const d = s.data[k];
      if (ch.kind !== 'gyro' || !d || d.length < 30) return;
      let m = 0;
      for (const v of d) m += v;
      m /= d.length;
      let v2 = 0;
      for (const v of d) v2 += (v - m) ** 2;
      if (!best || v2 > best.v) best = { s, k, v: v2 };
    });
  const g = best as { s: RecordedStream; k: number; v: number } | undefined;
  return g ? { s: g.s, k: g.k, kind: 'gyro' } : undefined;
}

/** θ/ω from {@link kinematicSource}: the angle smoothed, or the gyro integrated (bias-free). */
function kinematicsOf(rec: Recording, breaks: readonly DiscontinuityS[] = []): Kinematics | undefined {
  const g = kinematicSource(rec);
  if (!g) return undefined;
  const fs = g.s.descriptor.sampleRateHz;
  if (g.kind === 'angle') {
    const theta = smoothKinematics(g.s.data[g.k] ?? new Float32Array(0), fs);
    return {
      thetaDeg: theta,
      omegaDegS: derivative(theta, fs),
      sampleRateHz: fs,
      site: `${g.s.descriptor.id}/${g.s.descriptor.channels[g.k]?.id ?? ''}`,
    };
  }
  const ch = g.s.descriptor.channels[g.k];
  const toDeg = ch?.unit === 'rad/s' ? 180 / Math.PI : 1;
  const omega = Float64Array.from(g.s.data[g.k] ?? [], (v) => v * toDeg);
  // Still periods of real data: the filler of a pause or gap is cut out (it is exactly still, and no evidence).
  const kept = spliceOut(omega.length, fs, breaks)?.kept ?? [[0, omega.length]];
  const still = staticPeriods(omega, fs).flatMap((p) => outsideBreaks(p, kept, Math.round(0.5 * fs)));
  // Bias from truly still periods only (a settling tail under 5 °/s is movement); all still periods if none.
  const rest = trueStillPeriods(omega, still, fs);
  let bias = 0;
  let nb = 0;
  for (const [a, b] of rest.length > 0 ? rest : still)
    for (let i = a; i < b; i++) {
      bias += omega[i] ?? 0;
      nb++;
    }
  if (nb > 0) for (let i = 0; i < omega.length; i++) omega[i] = (omega[i] ?? 0) - bias / nb;
  for (const d of breaks) {
    const from = Math.round(d.startS * fs);
    const to = Math.min(omega.length, Math.round(d.endS * fs));
    for (let i = Math.max(0, from); i < to; i++) omega[i] = 0;
  }
  return {
    thetaDeg: reanchorAfterBreaks(integrateAngle(omega, fs, 0), still, fs, breaks),
    omegaDegS: omega,
    sampleRateHz: fs,
    site: `${g.s.descriptor.id}/${ch?.id ?? ''}`,
  };
}

/** A recording and its options as the analysis sees them (see {@link onAnalysisGrid}). */
export interface AnalysisInput {
  recording: Recording;
  options: AnalysisOptions;
}

/**
 * The recording on its nominal grid: a recording with breaks in its sample times is analysed on its nominal
 * grid, each break added to the options as a discontinuity.
 */
export function onAnalysisGrid(file: Recording, fileOptions: AnalysisOptions = {}): AnalysisInput {
  const { recording, breaksS } = onNominalGrid(file);
  const options: AnalysisOptions =
    breaksS.length === 0
      ? fileOptions
      : { ...fileOptions, discontinuitiesS: [...(fileOptions.discontinuitiesS ?? []), ...breaksS] };
  return { recording, options };
}

/** Where the first analysed EMG channel is (its filtered signal feeds the protocol indicators). */
export interface FirstEmg {
  stream: number;
  channel: number;
}

/** The first EMG channel the analysis analyses. */
export function firstAnalysableEmg(rec: Recording): FirstEmg | undefined {
  for (const [i, s] of rec.streams.entries()) {
    const k = s.descriptor.channels.findIndex(
      (ch, j) => ch.kind === 'emg' && emgChannelAnalysable(s.descriptor, s.data[j]),
    );
    if (k >= 0) return { stream: i, channel: k };
  }
  return undefined;
}

/**
 * What the analysis needs besides the EMG channels' results: the tremor peak of every IMU axis and the
 * kinematics. Reads no EMG samples, so it can run while other threads hold them.
 */
export interface AssemblyPreparation {
  tremor: Map<string, TremorResult>;
  kinematics: Kinematics | undefined;
}

/** The {@link AssemblyPreparation} of a recording on its analysis grid. */
export function prepareAssembly(rec: Recording, options: AnalysisOptions): AssemblyPreparation {
  const tremor = axisTremor(rec, options.discontinuitiesS ?? []);
  const protocol = options.protocol ?? 'auto';
  const kinematics = protocol === 'none' ? undefined : kinematicsOf(rec, options.discontinuitiesS);
  return { tremor, kinematics };
}

/**
 * The options every EMG channel of a recording on its analysis grid is analysed with (plain data, so they can
 * be posted to a worker thread): the analysis options the channel depends on, and the kinematic grid when
 * the protocol indicators will want the first channel's clonus envelope.
 */
export function emgChannelOptionsOf(rec: Recording, options: AnalysisOptions): EmgChannelOptions {
  const protocol = options.protocol ?? 'auto';
  const source = protocol === 'auto' || protocol === 'stretch' ? kinematicSource(rec) : undefined;
  return {
    ...(options.mainsHz !== undefined ? { mainsHz: options.mainsHz } : {}),
    ...(options.onsetMethod !== undefined ? { onsetMethod: options.onsetMethod } : {}),
    ...(options.restWindowS !== undefined ? { restWindowS: options.restWindowS } : {}),
    ...(options.droppedSamples !== undefined ? { droppedSamples: options.droppedSamples } : {}),
    ...(options.discontinuitiesS !== undefined ? { discontinuitiesS: options.discontinuitiesS } : {}),
    ...(source
      ? {
          clonusGrid: {
            sampleRateHz: source.s.descriptor.sampleRateHz,
            samples: source.s.data[source.k]?.length ?? 0,
          },
        }
      : {}),
  };
}

/** The EMG channel result of channel `channel` of stream `stream` (undefined if it was not analysable). */
export type EmgResultOf = (stream: number, channel: number) => EmgChannelResult | undefined;

/**
 * Analyses a whole recording offline. Deterministic: the same recording and options give the same result.
 * The result is JSON-safe (see src/shared/analysis.ts) and independent of where the recording came from.
 */
export function analyzeRecording(file: Recording, fileOptions: AnalysisOptions = {}): SessionAnalysis {
  const { recording, options } = onAnalysisGrid(file, fileOptions);
  // One set of work buffers for all channels: long scratch signals are mapped once, not per channel.
  const work = new WorkBuffers();
  const first = firstAnalysableEmg(recording);
  const perChannel = emgChannelOptionsOf(recording, options);
  return assembleAnalysis(recording, options, (i, k) => {
    const s = recording.streams[i];
    if (!s) return undefined;
    const keep = first?.stream === i && first.channel === k;
    return analyzeEmgChannel(s.descriptor, k, s.data[k], perChannel, keep, work);
  });
}

/**
 * {@link analyzeRecording} of a recording already on its analysis grid ({@link onAnalysisGrid}), with the EMG
 * channels analysed by `emgResultOf` (called once per EMG channel, in stream and channel order; the first
 * analysable channel's result must carry `filtered`). Whoever analyses the channels elsewhere (other threads)
 * gets exactly {@link analyzeRecording}'s result as long as `emgResultOf` answers what
 * {@link analyzeEmgChannel} answers. `protocolPart`, if given, is {@link protocolIndicators} of `prep`'s
 * kinematics and the first analysed channel, computed beforehand (e.g. while other channels were analysed).
 */
export function assembleAnalysis(
  rec: Recording,
  options: AnalysisOptions,
  emgResultOf: EmgResultOf,
  prep: AssemblyPreparation = prepareAssembly(rec, options),
  protocolPart?: ProtocolIndicators,
): SessionAnalysis {
  const events: AnalysisEvent[] = [];
  const indicators: (IndicatorValue | undefined)[] = [];
  const emg: EmgChannelSummary[] = [];
  const imu: ImuChannelSummary[] = [];
  let firstEmg: FirstEmgChannel | undefined;
  let durationS = 0;
  const channelCount = rec.streams.reduce((n, s) => n + s.descriptor.channels.length, 0);
  let channelsDone = 0;
  // Onset events are numbered across channels.
  let onsetIndex = 0;
  // IMU axes are summarised once clonus is known: its episodes are kept out of the tremor spectrum.
  const imuAxes: {
    key: string;
    stream: StreamDescriptor;
    channel: ChannelDescriptor;
    kind: 'accel' | 'gyro';
  }[] = [];
  for (const [streamIndex, s] of rec.streams.entries()) {
    const fs = s.descriptor.sampleRateHz;
    durationS = Math.max(durationS, (s.data[0]?.length ?? 0) / fs);
    s.descriptor.channels.forEach((ch, k) => {
      options.onProgress?.((0.8 * channelsDone++) / Math.max(1, channelCount), `Channel ${ch.label}`);
      if (ch.kind === 'emg') {
        const r = emgResultOf(streamIndex, k);
        if (!r) return;
        emg.push(r.summary);
        firstEmg ??= firstEmgChannelOf(r, fs);
        const site = `${s.descriptor.id}/${ch.id}`;
        r.summary.onsets.forEach((b, j) =>
          events.push({
            kind: 'onset',
            index: onsetIndex++,
            startS: b.startS,
            endS: b.endS,
            values: { site, channelIndex: k, burstRms: r.burstRms[j] ?? null, unit: ch.unit },
          }),
        );
        const p = {
          bandLowHz: r.summary.bandHz[0],
          bandHighHz: r.summary.bandHz[1],
          sampleRateHz: fs,
          notchApplied: r.summary.notchApplied,
        };
        indicators.push(
          indicator(
            r.summary.rmsUv !== null ? 'rmsUv' : 'rms',
            r.summary.rmsUv ?? r.summary.rms,
            r.summary.rmsUv !== null ? 'uV' : ch.unit,
            site,
            QUALITY_ALGORITHM_VERSION,
            p,
            { quality: r.summary.quality },
          ),
          indicator(
            'medianFrequencyHz',
            r.summary.medianFrequencyHz,
            'Hz',
            site,
            SESSION_ANALYSIS_VERSION,
            p,
          ),
          indicator('meanFrequencyHz', r.summary.meanFrequencyHz, 'Hz', site, SESSION_ANALYSIS_VERSION, p),
          indicator('rmsRest', r.summary.rest.rmsRest, ch.unit, site, REST_TONE_ALGORITHM_VERSION, p),
          indicator('snrRestDb', r.summary.rest.snrRestDb, 'dB', site, REST_TONE_ALGORITHM_VERSION, p),
          indicator(
            'activeAtRestFraction',
            r.summary.rest.activeAtRestFraction,
            '%',
            site,
            REST_TONE_ALGORITHM_VERSION,
            p,
          ),
        );
      } else if ((ch.kind === 'accel' || ch.kind === 'gyro') && s.data[k]) {
        imuAxes.push({ key: `${streamIndex}/${k}`, stream: s.descriptor, channel: ch, kind: ch.kind });
      }
    });
  }
  options.onProgress?.(0.8, 'Stretches, drops and clonus');
  const part = protocolPart ?? protocolIndicators(options, prep.kinematics, firstEmg);
  const { protocols, clonusExcludedS } = part;
  events.push(...part.stretchAndClonus.events);
  indicators.push(...part.stretchAndClonus.indicators);
  const tremor =
    clonusExcludedS.length > 0
      ? axisTremor(rec, [...(options.discontinuitiesS ?? []), ...clonusExcludedS])
      : prep.tremor;
  for (const { key, stream, channel, kind } of imuAxes) {
    const t = tremor.get(key);
    if (!t) continue;
    imu.push({
      stream: stream.id,
      channel: channel.id,
      label: channel.label,
      kind,
      unit: channel.unit,
      sampleRateHz: stream.sampleRateHz,
      tremorPeakHz: finiteOrNull(t.peakHz),
      tremorProminence: t.prominence,
    });
    indicators.push(
      indicator('tremorPeakHz', t.peakHz, 'Hz', `${stream.id}/${channel.id}`, SESSION_ANALYSIS_VERSION, {
        sampleRateHz: stream.sampleRateHz,
        bandHz: '3-12',
        clonusEpisodesExcluded: clonusExcludedS.length,
      }),
    );
  }
  events.push(...part.pendulum.events);
  indicators.push(...part.pendulum.indicators);
  const protocol = options.protocol ?? 'auto';
  return {
    algorithmVersion: SESSION_ANALYSIS_VERSION,
    params: {
      mainsHz: options.mainsHz ?? 50,
      droppedSamples: options.droppedSamples ?? 0,
      protocol,
      onsetMethod: options.onsetMethod ?? SESSION_ONSET_METHOD,
      onsetMergeGapMs: (options.onsetMethod ?? SESSION_ONSET_METHOD) === 'biosppy' ? 0 : ONSET_MERGE_GAP_MS,
      bodyMassKg: options.bodyMassKg ?? null,
      shankLengthM: options.shankLengthM ?? null,
    },
    summary: {
      source: rec.source,
      durationS,
      emg,
      imu,
      protocols,
      indicators: indicators.filter((x): x is IndicatorValue => x !== undefined),
    },
    events,
  };
}
