import type { StreamDescriptor } from './samples.js';

/** File formats Tonus reads (and, for BDF/EDF and CSV, writes). */
export type RecordingFormat =
  | 'bdf'
  | 'edf'
  | 'openbci-txt'
  | 'brainflow-csv'
  | 'csv'
  | 'biosppy-txt'
  | 'tonus-capture'
  | 'xdf'
  | 'opensignals-txt'
  | 'c3d';

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

/** A run of consecutive samples of a stream: `count` samples from `index`, placed at sequence number `seq`. */
export interface SampleRun {
  index: number;
  seq: number;
  count: number;
}

/**
 * Splits a stream's samples into runs without breaks and places each run on the nominal grid of
 * `startTimeMs`: a run whose first sample is at time t starts at sequence number round((t − start) · rate),
 * never overlapping the run before. A break is a step of 1.5 sample periods or more between two sample
 * times. Without `timestampsMs` the whole stream is one run at 0. Runs are in order; `seq` only grows.
 */
export function sampleRuns(
  length: number,
  sampleRateHz: number,
  startTimeMs: number,
  timestampsMs?: Float64Array,
): SampleRun[] {
  if (!timestampsMs) return length > 0 ? [{ index: 0, seq: 0, count: length }] : [];
  const periodMs = 1000 / sampleRateHz;
  const runs: SampleRun[] = [];
  for (let i = 0; i < length;) {
    let j = i + 1;
    while (j < length && (timestampsMs[j] ?? 0) - (timestampsMs[j - 1] ?? 0) < 1.5 * periodMs) j++;
    const last = runs.at(-1);
    const gridSeq = Math.round((((timestampsMs[i] ?? 0) - startTimeMs) * sampleRateHz) / 1000);
    runs.push({
      index: i,
      seq: last ? Math.max(last.seq + last.count, gridSeq) : Math.max(0, gridSeq),
      count: j - i,
    });
    i = j;
  }
  return runs;
}

/**
 * The recording with every stream on its nominal grid (no `timestampsMs`): breaks are filled with zeros, so
 * sample i is at `startTimeMs + i * 1000 / sampleRateHz` again, and listed as spans in s from the start (the
 * union over streams, in time order). The same recording and no spans when no stream has breaks.
 */
export function onNominalGrid(rec: Recording): {
  recording: Recording;
  breaksS: { startS: number; endS: number }[];
} {
  if (rec.streams.every((s) => s.timestampsMs === undefined)) return { recording: rec, breaksS: [] };
  const breaksS: { startS: number; endS: number }[] = [];
  const streams = rec.streams.map((s): RecordedStream => {
    const n = s.data[0]?.length ?? 0;
    const fs = s.descriptor.sampleRateHz;
    const runs = sampleRuns(n, fs, rec.startTimeMs, s.timestampsMs);
    const last = runs.at(-1);
    const length = last ? last.seq + last.count : 0;
    const data = s.data.map((ch) => {
      const out = new Float32Array(length);
      for (const r of runs) out.set(ch.subarray(r.index, r.index + r.count), r.seq);
      return out;
    });
    runs.forEach((r, k) => {
      const before = runs[k - 1];
      if (before && r.seq > before.seq + before.count)
        breaksS.push({ startS: (before.seq + before.count) / fs, endS: r.seq / fs });
    });
    return { descriptor: s.descriptor, data };
  });
  breaksS.sort((a, b) => a.startS - b.startS);
  return { recording: { ...rec, streams }, breaksS };
}
