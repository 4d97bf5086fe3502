import type { EmgChannelOptions, EmgChannelResult } from '../indicators/emg-channel-analysis.js';
import type { StreamDescriptor } from '../shared/samples.js';

/** One EMG channel to analyse elsewhere: its raw samples are moved there and come back with the answer. */
export interface EmgChannelTask {
  descriptor: StreamDescriptor;
  channel: number;
  /** The channel's label, for people (error messages). */
  label: string;
  raw: Float32Array;
  options: EmgChannelOptions;
  keepFiltered: boolean;
}

/** An {@link EmgChannelTask} as posted to an EMG analysis worker thread. */
export interface EmgTaskMessage extends EmgChannelTask {
  id: number;
}

/**
 * The memory of a result's filtered signal (`filtered.y.buffer`), handed back to the worker thread that
 * made it once nothing reads it, for the next first channel's filtered signal (`KEPT_FILTERED_BUFFER`).
 */
export interface EmgGiveMessage {
  give: ArrayBuffer;
}

/** A worker's reply to one {@link EmgTaskMessage}: the raw samples back, and the result or why not. */
export type EmgWorkerMessage =
  | { id: number; raw: Float32Array; result: EmgChannelResult | undefined }
  | { id: number; raw: Float32Array; error: string };

/** A channel analysed: its raw samples (moved back) and what the analysis found. */
export interface EmgChannelDone {
  raw: Float32Array;
  result: EmgChannelResult | undefined;
}

/**
 * A channel that was not analysed. The message names the channel and says why; `raw` holds its samples
 * when they came back (not when the thread holding them died).
 */
export class EmgChannelError extends Error {
  constructor(
    message: string,
    readonly raw?: Float32Array,
  ) {
    super(message);
    this.name = 'EmgChannelError';
  }
}

/** Where EMG channels are analysed: a pool of worker threads, or a relay to one on another thread. */
export interface EmgChannelRunner {
  /**
   * EMG samples (all channels of a recording together) from which sending them here is faster than
   * analysing them on the calling thread.
   */
  readonly minEmgSamples: number;
  /**
   * Analyses one channel. `task.raw` is moved (not copied) when it owns its whole buffer, so it must not be
   * read until the promise settles; the samples come back in the answer. Rejects with an
   * {@link EmgChannelError}; after `signal` aborts, a task not yet started is withdrawn (rejects).
   */
  run(task: EmgChannelTask, signal?: AbortSignal): Promise<EmgChannelDone>;
  /**
   * Hands back the memory of a result's filtered signal (`filtered.y.buffer`, moved) once nothing reads it:
   * the thread that made it then fills the next first channel's filtered signal into it, sparing an
   * hour-long fresh allocation.
   */
  giveBack(filtered: ArrayBuffer): void;
}

/** A Float32Array that owns its whole buffer can be moved to another thread; any other is copied first. */
export const movable = (x: Float32Array): Float32Array =>
  x.byteOffset === 0 && x.byteLength === x.buffer.byteLength && x.buffer instanceof ArrayBuffer
    ? x
    : x.slice();

/** The buffers to move with an answer: the raw samples, and the filtered channel when it was kept. */
export function answerBuffers(raw: Float32Array, result?: EmgChannelResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>([raw.buffer as ArrayBuffer]);
  if (result?.filtered) {
    buffers.add(result.filtered.y.buffer as ArrayBuffer);
    buffers.add(result.filtered.kept.buffer as ArrayBuffer);
  }
  return [...buffers];
}
