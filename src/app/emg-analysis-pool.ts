import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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
import type { EmgChannelOptions, EmgChannelResult } from '../indicators/emg-channel-analysis.js';
import type { SessionAnalysis } from '../shared/analysis.js';
import type { Recording } from '../shared/recording.js';
import type { StreamDescriptor } from '../shared/samples.js';
import { appWorkerUrl } from './job-runner.js';

/** One EMG channel sent to a worker: its raw samples are moved there and come back with the reply. */
export interface EmgTaskMessage {
  id: number;
  descriptor: StreamDescriptor;
  channel: number;
  raw: Float32Array;
  options: EmgChannelOptions;
  keepFiltered: boolean;
}

/** A worker's reply to one {@link EmgTaskMessage}: the raw samples back, and the result or why not. */
export type EmgWorkerMessage =
  | { id: number; raw: Float32Array; result: EmgChannelResult | undefined }
  | { id: number; raw: Float32Array; error: string };

/** A Float32Array that owns its whole buffer can be moved to another thread; any other is copied first. */
const movable = (x: Float32Array): Float32Array =>
  x.byteOffset === 0 && x.byteLength === x.buffer.byteLength && x.buffer instanceof ArrayBuffer
    ? x
    : x.slice();

/**
 * Whole-session analysis with the EMG channels analysed side by side on worker threads, one per core by
 * default: the result equals `analyzeRecording`'s exactly (the same pure per-channel function runs in each
 * worker; the assembly runs here). Each channel's samples are moved to a worker and back, not copied, so
 * the recording's EMG arrays are replaced by new arrays over the same memory when the analysis ends (the
 * values are unchanged); do not read them while it runs. The workers are stopped when the analysis ends.
 * @throws Error if the worker entry (build/node/src/app/emg-channel-worker.js) is missing or a worker fails.
 */
export async function analyzeRecordingInParallel(
  file: Recording,
  fileOptions: AnalysisOptions = {},
  threads = availableParallelism(),
  workerUrl: URL = appWorkerUrl('emg-channel-worker.js'),
): Promise<SessionAnalysis> {
  if (!existsSync(fileURLToPath(workerUrl)))
    throw new Error(
      `The EMG analysis worker ${fileURLToPath(workerUrl)} is missing: build Tonus (npx tsc -b).`,
    );
  const { recording, options } = onAnalysisGrid(file, fileOptions);
  const first = firstAnalysableEmg(recording);
  const tasks: { stream: number; channel: number; label: string }[] = [];
  recording.streams.forEach((s, i) =>
    s.descriptor.channels.forEach((ch, k) => {
      if (ch.kind === 'emg' && s.data[k]) tasks.push({ stream: i, channel: k, label: ch.label });
    }),
  );
  const channelCount = recording.streams.reduce((n, s) => n + s.descriptor.channels.length, 0);
  // Progress never goes back: channels report as they finish, the assembly then from where they left off.
  let reported = 0;
  const report = (fraction: number, stage: string): void => {
    reported = Math.max(reported, fraction);
    fileOptions.onProgress?.(reported, stage);
  };
  const results = new Map<string, EmgChannelResult | undefined>();
  const perChannel = emgChannelOptionsOf(recording, options);
  let prep: AssemblyPreparation | undefined;
  const workers = Array.from(
    { length: Math.max(0, Math.min(threads, tasks.length)) },
    () => new Worker(workerUrl),
  );
  try {
    let next = 0;
    let done = 0;
    const channelsDone = Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const send = (): void => {
              const task = tasks[next];
              if (!task) {
                if (inFlight === 0) resolve();
                return;
              }
              const id = next++;
              const stream = recording.streams[task.stream];
              const raw = stream?.data[task.channel];
              if (!stream || !raw) return send();
              const message: EmgTaskMessage = {
                id,
                descriptor: stream.descriptor,
                channel: task.channel,
                raw: movable(raw),
                options: perChannel,
                keepFiltered: first?.stream === task.stream && first.channel === task.channel,
              };
              worker.postMessage(message, [message.raw.buffer as ArrayBuffer]);
              inFlight++;
            };
            worker.on('message', (m: EmgWorkerMessage) => {
              const task = tasks[m.id];
              const stream = task && recording.streams[task.stream];
              if (!task || !stream)
                return reject(new Error(`An EMG worker answered an unknown task ${m.id}.`));
              inFlight--;
              stream.data[task.channel] = m.raw;
              if ('error' in m) return reject(new Error(`EMG analysis of ${task.label} failed: ${m.error}`));
              results.set(`${task.stream}/${task.channel}`, m.result);
              report((0.8 * ++done) / Math.max(1, channelCount), `Channel ${task.label}`);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`An EMG worker stopped (exit code ${code}).`)));
            // Two channels queued per worker, so none waits for this thread between channels.
            send();
            send();
          }),
      ),
    );
    // Should the preparation throw, the workers' ends must not become an unhandled rejection.
    channelsDone.catch(() => undefined);
    // Meanwhile this thread prepares what needs no EMG result (IMU, kinematics, scratch memory).
    prep = prepareAssembly(recording, options);
    await channelsDone;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleAnalysis(
    recording,
    { ...options, onProgress: report },
    (i, k) => results.get(`${i}/${k}`),
    prep,
  );
}

/**
 * EMG samples (all channels together) from which a session's analysis spreads its channels over worker
 * threads. Below it, starting the workers and warming their code costs more than it saves. Measured on the
 * 2-core development machine, 8 channels at 2 kHz, median of 3–4: 1 min 0.10 s on this thread against 0.56 s
 * with workers; 10 min 0.9 s against 1.1 s; 20 min 1.6 s against 1.7 s; 30 min 2.4 s against 2.2 s; 1 h 5.8 s
 * against 4.0 s (`npm run bench analysis-session`).
 */
export const PARALLEL_MIN_EMG_SAMPLES = 8 * 2000 * 20 * 60;

/** Whether {@link analyzeSessionRecording} analyses `file` with worker threads. */
export function analysedInParallel(file: Recording): boolean {
  let samples = 0;
  for (const s of file.streams)
    s.descriptor.channels.forEach((ch, k) => {
      if (ch.kind === 'emg') samples += s.data[k]?.length ?? 0;
    });
  return samples >= PARALLEL_MIN_EMG_SAMPLES;
}

/**
 * The whole-session analysis the app and `tonus analyze` run: {@link analyzeRecordingInParallel} for a long
 * recording ({@link analysedInParallel}), `analyzeRecording` on this thread otherwise; the result is the same.
 */
export async function analyzeSessionRecording(
  file: Recording,
  options: AnalysisOptions = {},
): Promise<SessionAnalysis> {
  return analysedInParallel(file)
    ? analyzeRecordingInParallel(file, options)
    : analyzeRecording(file, options);
}
