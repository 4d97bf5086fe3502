import type { StreamDescriptor } from './samples.js';

/** File formats Tonus reads (and, for BDF/EDF and CSV, writes). */
export type RecordingFormat =
  'bdf' | 'edf' | 'openbci-txt' | 'brainflow-csv' | 'csv' | 'biosppy-txt' | 'tonus-capture';

/** A time-stamped note in a recording: marker, protocol step, dose, gap. Times relative to the start. */
export interface Annotation {
  onsetS: number;
  durationS?: number;
  text: string;
}

/** One stream of a recording held whole in memory: channel-major samples in the descriptor's units. */
export interface RecordedStream {
  descriptor: StreamDescriptor;
  /** `data[channel][sample]`; every channel has the same length. */
  data: Float32Array[];
  /**
   * Sample times, ms since the Unix epoch, one per sample, when they are not on the nominal grid (files with
   * gaps or dropped samples); absent when sample i is at `startTimeMs + i * 1000 / sampleRateHz`.
   */
  timestampsMs?: Float64Array;
}

/**
 * A whole recording as read from (or written to) a file. Sample i of a stream is at
 * `startTimeMs + i * 1000 / sampleRateHz` unless the stream carries explicit `timestampsMs`.
 */
export interface Recording {
  format: RecordingFormat;
  /** Where it came from, for messages and provenance (a path or a session id). */
  source: string;
  /** Start of the recording, ms since the Unix epoch; 0 when the file does not say. */
  startTimeMs: number;
  streams: RecordedStream[];
  annotations: Annotation[];
  /** Free-form facts from the file header (patient code, equipment, board id, …). */
  meta: Record<string, string>;
}
