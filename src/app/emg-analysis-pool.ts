import {
  analyzeRecording,
  assembleAnalysis,
  emgChannelOptionsOf,
  firstAnalysableEmg,
  onAnalysisGrid,
  prepareAssembly,
  type AnalysisOptions,
  type AssemblyPreparation,
} from '../indicators/session-analysis.js';
import type { EmgChannelResult } from '../indicators/emg-channel-analysis.js';
import {
  firstEmgChannelOf,
  protocolIndicators,
  type ProtocolIndicators,
} from '../indicators/protocol-indicators.js';
import type { SessionAnalysis } from '../shared/analysis.js';
import type { Recording } from '../shared/recording.js';
import { EmgChannelError, type EmgChannelRunner } from './emg-channel-tasks.js';
import {
  EmgWorkerPool,
  PARALLEL_MIN_EMG_SAMPLES,
  PARALLEL_MIN_EMG_SAMPLES_WARM,
  processEmgPool,
} from './emg-worker-pool.js';

export { PARALLEL_MIN_EMG_SAMPLES, PARALLEL_MIN_EMG_SAMPLES_WARM };

let routed: EmgChannelRunner | undefined;

/**
 * Sends this thread's EMG channel analyses to `runner` instead of this thread's own pool: a job worker
 * routes them to the main thread's pool, which stays warm between jobs.
 */
export function routeEmgChannels(runner: EmgChannelRunner): void {
  routed = runner;
}

/** Where this thread's analyses send their EMG channels: as routed, else {@link processEmgPool}. */
export const emgChannelsOfThisThread = (): EmgChannelRunner => routed ?? processEmgPool();

/**
 * Whole-session analysis with the EMG channels analysed by `channels` (worker threads), while this thread
 * prepares the rest: the result equals `analyzeRecording`'s exactly (the same pure per-channel function
 * runs in each worker; the assembly runs here). Each channel's samples are moved to a worker and back, not
 * copied, so the recording's EMG arrays are replaced by new arrays over the same memory when the analysis
 * ends (the values are unchanged); do not read them while it runs.
 * @throws EmgChannelError naming the channel if one could not be analysed (its worker failed or died); the
 *   analysis's channels not yet started are then withdrawn.
 */
export async function analyzeRecordingWith(
  file: Recording,
  fileOptions: AnalysisOptions,
  channels: EmgChannelRunner,
): Promise<SessionAnalysis> {
  const { recording, options } = onAnalysisGrid(file, fileOptions);
  const first = firstAnalysableEmg(recording);
  const channelCount = recording.streams.reduce((n, s) => n + s.descriptor.channels.length, 0);
  // Progress never goes back: channels report as they finish, the assembly then from where they left off.
  let reported = 0;
  const report = (fraction: number, stage: string): void => {
    reported = Math.max(reported, fraction);
    fileOptions.onProgress?.(reported, stage);
  };
  const results = new Map<string, EmgChannelResult | undefined>();
  const perChannel = emgChannelOptionsOf(recording, options);
  const withdraw = new AbortController();
  let failure: unknown;
  let done = 0;
  const runs = recording.streams.flatMap((stream, i) =>
    stream.descriptor.channels.map(async (ch, k) => {
      const raw = stream.data[k];
      if (ch.kind !== 'emg' || !raw) return;
      try {
        const answer = await channels.run(
          {
            descriptor: stream.descriptor,
            channel: k,
            label: ch.label,
            raw,
            options: perChannel,
            keepFiltered: first?.stream === i && first.channel === k,
          },
          withdraw.signal,
        );
        stream.data[k] = answer.raw;
        results.set(`${i}/${k}`, answer.result);
        report((0.8 * ++done) / Math.max(1, channelCount), `Channel ${ch.label}`);
      } catch (err) {
        if (err instanceof EmgChannelError && err.raw) stream.data[k] = err.raw;
        if (!withdraw.signal.aborted) failure = err;
        withdraw.abort();
      }
    }),
  );
  // Meanwhile this thread prepares what needs no EMG result (IMU, kinematics), then works out the protocol
  // indicators as soon as the first channel is back, while the threads still analyse the others.
  let prep: AssemblyPreparation;
  let protocolPart: ProtocolIndicators | undefined;
  try {
    prep = prepareAssembly(recording, options);
    if (first) {
      const before = recording.streams.slice(0, first.stream);
      await runs[before.reduce((n, s) => n + s.descriptor.channels.length, first.channel)];
      const r = results.get(`${first.stream}/${first.channel}`);
      const fs = recording.streams[first.stream]?.descriptor.sampleRateHz;
      if (r && fs !== undefined && failure === undefined)
        protocolPart = protocolIndicators(options, prep.kinematics, firstEmgChannelOf(r, fs));
    }
  } finally {
    await Promise.all(runs);
  }
  if (failure !== undefined) throw failure;
  const analysis = assembleAnalysis(
    recording,
    { ...options, onProgress: report },
    (i, k) => results.get(`${i}/${k}`),
    prep,
    protocolPart,
  );
  // The analysis keeps nothing of the first channel's filtered signal: its memory goes back for the next one.
  const filtered = first && results.get(`${first.stream}/${first.channel}`)?.filtered;
  if (filtered) channels.giveBack(filtered.y.buffer as ArrayBuffer);
  return analysis;
}

/**
 * {@link analyzeRecordingWith} on this thread's warm pool ({@link emgChannelsOfThisThread}), or, given
 * `threads` or `workerUrl`, on a pool of its own that is stopped when the analysis ends.
 * @throws Error if the worker entry (build/node/src/app/emg-channel-worker.js) is missing or a worker fails.
 */
export async function analyzeRecordingInParallel(
  file: Recording,
  fileOptions: AnalysisOptions = {},
  threads?: number,
  workerUrl?: URL,
): Promise<SessionAnalysis> {
  if (threads === undefined && workerUrl === undefined)
    return analyzeRecordingWith(file, fileOptions, emgChannelsOfThisThread());
  const pool = new EmgWorkerPool({
    ...(threads === undefined ? {} : { threads }),
    ...(workerUrl === undefined ? {} : { workerUrl }),
  });
  try {
    return await analyzeRecordingWith(file, fileOptions, pool);
  } finally {
    await pool.close();
  }
}

/**
 * Whether {@link analyzeSessionRecording} analyses `file` with worker threads: from `minEmgSamples` EMG
 * samples (all channels together) on.
 */
export function analysedInParallel(
  file: Recording,
  minEmgSamples = emgChannelsOfThisThread().minEmgSamples,
): boolean {
  let samples = 0;
  for (const s of file.streams)
    s.descriptor.channels.forEach((ch, k) => {
      if (ch.kind === 'emg') samples += s.data[k]?.length ?? 0;
    });
  return samples >= minEmgSamples;
}

/**
 * The whole-session analysis the app and `tonus analyze` run: {@link analyzeRecordingWith} `channels` (by
 * default this thread's warm pool, or the main thread's for a job worker) for a recording long enough for
 * it ({@link analysedInParallel}), `analyzeRecording` on this thread otherwise; the result is the same.
 */
export async function analyzeSessionRecording(
  file: Recording,
  options: AnalysisOptions = {},
  channels: EmgChannelRunner = emgChannelsOfThisThread(),
): Promise<SessionAnalysis> {
  return analysedInParallel(file, channels.minEmgSamples)
    ? analyzeRecordingWith(file, options, channels)
    : analyzeRecording(file, options);
}
