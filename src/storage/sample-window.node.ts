import type { StreamDescriptor } from '../shared/samples.js';
import { decodeChunkDataInto } from './chunk-codec.js';
import type { Db } from './database.node.js';
import { statement } from './statements.node.js';

/** Samples `[firstSeq, firstSeq + length)` of one stream, `data[channel][i]` is sample `firstSeq + i`. */
export interface StreamWindow {
  firstSeq: number;
  data: Float32Array[];
}

interface WindowRow {
  first_seq: number;
  sample_count: number;
  channel_count: number;
  data: Uint8Array;
}

/**
 * Reads samples `[firstSeq, endSeq)` of one stream of a session, decoding only the chunks that overlap the
 * window (same sequence numbering as `readStream`). The window is cut to the stored samples; samples the
 * device never delivered hold `fill`. Throws a RangeError naming the chunk when a blob is damaged.
 */
export function readStreamWindow(
  db: Db,
  sessionId: number,
  descriptor: StreamDescriptor,
  firstSeq: number,
  endSeq: number,
  fill = 0,
): StreamWindow {
  const end = statement(
    db,
    'SELECT max(first_seq + sample_count) FROM sample_chunks WHERE session_id = ? AND stream_id = ?',
  )
    .pluck()
    .get(sessionId, descriptor.id) as number | null;
  const from = Math.max(0, Math.floor(firstSeq));
  const to = Math.max(from, Math.min(end ?? 0, Math.ceil(endSeq)));
  const channels = descriptor.channels.length;
  const data = Array.from({ length: channels }, () => new Float32Array(to - from).fill(fill));
  if (to === from) return { firstSeq: from, data };
  const rows = statement(
    db,
    `SELECT first_seq, sample_count, channel_count, data FROM sample_chunks
     WHERE session_id = ? AND stream_id = ? AND first_seq < ? AND first_seq + sample_count > ?
     ORDER BY first_seq`,
  ).iterate(sessionId, descriptor.id, to, from) as IterableIterator<WindowRow>;
  for (const r of rows) {
    const where = `session ${sessionId}, stream ${descriptor.id}, chunk at seq ${r.first_seq}`;
    if (r.channel_count !== channels)
      throw new RangeError(`${where}: ${r.channel_count} channels stored, descriptor has ${channels}.`);
    const chunk = Array.from({ length: channels }, () => new Float32Array(r.sample_count));
    decodeChunkDataInto(r.data, channels, r.sample_count, chunk, 0, where);
    const a = Math.max(from, r.first_seq);
    const b = Math.min(to, r.first_seq + r.sample_count);
    chunk.forEach((ch, c) => data[c]?.set(ch.subarray(a - r.first_seq, b - r.first_seq), a - from));
  }
  return { firstSeq: from, data };
}
