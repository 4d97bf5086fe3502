import type { StreamDescriptor } from '../shared/samples.js';
import {
  decodeChunkDataInto,
  decodeTimestamps,
  encodeChunkData,
  encodeTimestamps,
  timestampsAreIrregular,
} from './chunk-codec.js';
import type { Db } from './database.node.js';
import { statement } from './statements.node.js';

/**
 * One contiguous run of samples of one stream: `[start, start + count)` of `data` and `timestampsMs`,
 * whose first sample has sequence number `firstSeq` (samples since the recording started).
 */
export interface ChunkToWrite {
  sessionId: number;
  streamId: string;
  sampleRateHz: number;
  firstSeq: number;
  data: readonly Float32Array[];
  timestampsMs: Float64Array;
  start: number;
  count: number;
}

const INSERT = `INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count,
  first_time_ms, last_time_ms, data, timestamps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Inserts one chunk; its times are stored only when irregular. Not wrapped in a transaction: batch callers
 * wrap many calls in one `db.transaction()`. Throws on a duplicate `(session, stream, firstSeq)`.
 */
export function insertChunk(db: Db, c: ChunkToWrite): void {
  if (c.count <= 0) throw new RangeError(`A chunk needs at least one sample (stream ${c.streamId}).`);
  const irregular = timestampsAreIrregular(c.timestampsMs, c.start, c.count, c.sampleRateHz);
  statement(db, INSERT).run(
    c.sessionId,
    c.streamId,
    c.firstSeq,
    c.count,
    c.data.length,
    c.timestampsMs[c.start] ?? 0,
    c.timestampsMs[c.start + c.count - 1] ?? 0,
    encodeChunkData(c.data, c.start, c.count),
    irregular ? encodeTimestamps(c.timestampsMs, c.start, c.count) : null,
  );
}

/** A chunk on the nominal grid: sample i of it is at `firstTimeMs + i * 1000 / sampleRateHz`. */
export interface RegularChunkToWrite {
  sessionId: number;
  streamId: string;
  sampleRateHz: number;
  firstSeq: number;
  firstTimeMs: number;
  data: readonly Float32Array[];
  start: number;
  count: number;
}

/** Inserts one chunk whose samples sit on the nominal grid (no timestamp blob). Same rules as insertChunk. */
export function insertRegularChunk(db: Db, c: RegularChunkToWrite): void {
  if (c.count <= 0) throw new RangeError(`A chunk needs at least one sample (stream ${c.streamId}).`);
  statement(db, INSERT).run(
    c.sessionId,
    c.streamId,
    c.firstSeq,
    c.count,
    c.data.length,
    c.firstTimeMs,
    c.firstTimeMs + ((c.count - 1) * 1000) / c.sampleRateHz,
    encodeChunkData(c.data, c.start, c.count),
    null,
  );
}

/** Inserts many chunks in one transaction: all or none. */
export function insertChunks(db: Db, chunks: readonly ChunkToWrite[]): void {
  db.transaction(() => {
    for (const c of chunks) insertChunk(db, c);
  }).immediate();
}

/** A stream read back whole: samples `[0, length)` in sequence order, gaps filled. */
export interface StoredStream {
  descriptor: StreamDescriptor;
  /** `data[channel][seq]`, length = last stored seq + 1. Dropped samples hold `fill`. */
  data: Float32Array[];
  /** Time of each sample, ms since the Unix epoch; interpolated on the nominal grid across gaps. */
  timestampsMs: Float64Array;
  /** Samples actually stored (length minus the dropped ones). */
  storedSamples: number;
  /** Ranges `[firstSeq, endSeq)` of samples that were never received. */
  missing: Array<{ firstSeq: number; endSeq: number }>;
}

interface ChunkRow {
  first_seq: number;
  sample_count: number;
  channel_count: number;
  first_time_ms: number;
  data: Uint8Array;
  timestamps: Uint8Array | null;
}

/** Total stored samples per stream of a session (sample instants, not multiplied by channels). */
export function storedSampleCounts(db: Db, sessionId: number): Record<string, number> {
  const rows = statement(
    db,
    'SELECT stream_id, sum(sample_count) AS n FROM sample_chunks WHERE session_id = ? GROUP BY stream_id',
  ).all(sessionId) as Array<{ stream_id: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.stream_id, r.n]));
}

/** Time of the last stored sample of a session, or undefined when it has no chunk. */
export function lastChunkTimeMs(db: Db, sessionId: number): number | undefined {
  const t = statement(db, 'SELECT max(last_time_ms) FROM sample_chunks WHERE session_id = ?')
    .pluck()
    .get(sessionId) as number | null;
  return t ?? undefined;
}

/**
 * Reads one stream of a session as contiguous arrays, in sequence order. Samples the device never delivered
 * (sequence gaps) hold `fill` and are listed in `missing`. Throws naming the chunk when a blob is damaged.
 */
export function readStream(db: Db, sessionId: number, descriptor: StreamDescriptor, fill = 0): StoredStream {
  const { id: streamId, sampleRateHz } = descriptor;
  const end = statement(
    db,
    'SELECT max(first_seq + sample_count) FROM sample_chunks WHERE session_id = ? AND stream_id = ?',
  )
    .pluck()
    .get(sessionId, streamId) as number | null;
  const length = end ?? 0;
  const channels = descriptor.channels.length;
  const data = Array.from({ length: channels }, () => new Float32Array(length));
  const timestampsMs = new Float64Array(length);
  if (fill !== 0) for (const ch of data) ch.fill(fill);
  const periodMs = 1000 / sampleRateHz;
  const missing: StoredStream['missing'] = [];
  let next = 0;
  let stored = 0;
  let anchor: { seq: number; timeMs: number } | undefined;
  const rows = statement(
    db,
    `SELECT first_seq, sample_count, channel_count, first_time_ms, data, timestamps FROM sample_chunks
     WHERE session_id = ? AND stream_id = ? ORDER BY first_seq`,
  ).iterate(sessionId, streamId) as IterableIterator<ChunkRow>;
  for (const r of rows) {
    const where = `session ${sessionId}, stream ${streamId}, chunk at seq ${r.first_seq}`;
    if (r.first_seq < next) throw new RangeError(`${where}: overlaps the previous chunk (ends at ${next}).`);
    if (r.first_seq > next) {
      missing.push({ firstSeq: next, endSeq: r.first_seq });
      for (let s = next; s < r.first_seq; s++)
        timestampsMs[s] = anchor
          ? anchor.timeMs + (s - anchor.seq) * periodMs
          : r.first_time_ms - (r.first_seq - s) * periodMs;
    }
    if (r.channel_count !== channels)
      throw new RangeError(`${where}: ${r.channel_count} channels stored, descriptor has ${channels}.`);
    decodeChunkDataInto(r.data, channels, r.sample_count, data, r.first_seq, where);
    if (r.timestamps) {
      timestampsMs.set(decodeTimestamps(r.timestamps, r.sample_count, where), r.first_seq);
    } else {
      for (let i = 0; i < r.sample_count; i++) timestampsMs[r.first_seq + i] = r.first_time_ms + i * periodMs;
    }
    const lastSeq = r.first_seq + r.sample_count - 1;
    anchor = { seq: lastSeq, timeMs: timestampsMs[lastSeq] ?? 0 };
    stored += r.sample_count;
    next = r.first_seq + r.sample_count;
  }
  return { descriptor, data, timestampsMs, storedSamples: stored, missing };
}
