import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database.node.js';
import { chunkDigest } from './chunk-digest.node.js';
import { isoNow } from './statements.node.js';
import type { SyncPeer } from './sync-push.node.js';
import { chunkColumns } from './sync-tables.js';

/** Chunks fetched and stored per local transaction (about 1 s of one stream each, ≤ 2 MB of data here). */
const chunksPerBatch = 200;

/** What a chunk pull brought. */
export interface ChunkPullResult {
  /** Chunks stored here by this pull. */
  chunks: number;
  /** Sessions recorded elsewhere whose signals are now all here. */
  sessionsComplete: number;
  /** Chunks refused because they arrived damaged, in words (they are fetched again at the next sync). */
  refused: string[];
}

type ServerChunk = Record<(typeof chunkColumns)[number], unknown> & {
  data: Buffer;
  timestamps: Buffer | null;
  digest: string | null;
  sample_count: number;
  channel_count: number;
  stream_id: string;
  first_seq: number;
};

/**
 * Why a pulled chunk cannot be stored, or undefined when it is intact: its data must hold `channel_count ×
 * sample_count` float32 values, its timestamps (if any) one float64 per sample, and both must match the
 * SHA-256 the recording workstation computed (chunks sent before server migration 0005 carry none).
 */
export function chunkDamage(c: ServerChunk): string | undefined {
  const where = `stream ${c.stream_id} from sample ${c.first_seq}`;
  if (c.data.byteLength !== 4 * c.channel_count * c.sample_count)
    return `${where}: ${c.data.byteLength} bytes of samples, expected ${4 * c.channel_count * c.sample_count}`;
  if (c.timestamps && c.timestamps.byteLength !== 8 * c.sample_count)
    return `${where}: ${c.timestamps.byteLength} bytes of sample times, expected ${8 * c.sample_count}`;
  if (c.digest !== null && chunkDigest(c.data, c.timestamps) !== c.digest)
    return `${where}: its content differs from what the recording workstation sent (checksum)`;
  return undefined;
}

const key = (streamId: unknown, firstSeq: unknown): string => `${String(streamId)}\u0000${String(firstSeq)}`;

/**
 * Downloads the raw sample chunks of sessions recorded on other workstations of this site, when the site
 * syncs raw data: for each such session, the chunks the server holds and this store lacks (compared by stream
 * and first sample), in batches that each commit locally, so a broken pull resumes where it stopped and a
 * repeated one adds nothing. Every chunk is checked ({@link chunkDamage}) before it is stored; a damaged one
 * is left out and named. Records per session how many chunks the server held, for the review's words.
 */
export async function pullChunks(peer: SyncPeer): Promise<ChunkPullResult> {
  const result: ChunkPullResult = { chunks: 0, sessionsComplete: 0, refused: [] };
  if (!peer.syncChunks) return result;
  const sessions = peer.db
    .prepare(
      `SELECT s.id, s.uuid, (SELECT count(*) FROM sample_chunks c WHERE c.session_id = s.id) AS have
         FROM sessions s WHERE s.workstation_id <> ? AND s.status <> 'recording'`,
    )
    .all(peer.workstationId) as { id: number; uuid: string; have: number }[];
  if (sessions.length === 0) return result;
  const counts = new Map(
    (
      await peer.client.query(
        `SELECT session_uuid::text AS uuid, count(*)::int AS n FROM tonus.sample_chunks
          WHERE session_uuid = ANY($1::uuid[]) GROUP BY session_uuid`,
        [sessions.map((s) => s.uuid)],
      )
    ).rows.map((r: { uuid: string; n: number }) => [r.uuid, r.n]),
  );
  const noteCount = peer.db.prepare(
    `INSERT INTO remote_chunk_counts (session_id, server_chunks, checked_at) VALUES (?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET server_chunks = excluded.server_chunks, checked_at = excluded.checked_at`,
  );
  for (const s of sessions) {
    const onServer = counts.get(s.uuid) ?? 0;
    noteCount.run(s.id, onServer, isoNow());
    if (s.have >= onServer) continue;
    const stored = await pullSessionChunks(peer, s.id, s.uuid, result);
    result.chunks += stored;
    if (s.have + stored >= onServer) result.sessionsComplete++;
  }
  return result;
}

async function pullSessionChunks(
  peer: SyncPeer,
  sessionId: number,
  sessionUuid: string,
  result: ChunkPullResult,
): Promise<number> {
  const have = new Set(
    (
      peer.db
        .prepare('SELECT stream_id, first_seq FROM sample_chunks WHERE session_id = ?')
        .all(sessionId) as {
        stream_id: string;
        first_seq: number;
      }[]
    ).map((c) => key(c.stream_id, c.first_seq)),
  );
  const keys = (
    await peer.client.query(
      `SELECT stream_id, first_seq FROM tonus.sample_chunks WHERE session_uuid = $1 ORDER BY stream_id, first_seq`,
      [sessionUuid],
    )
  ).rows as { stream_id: string; first_seq: string }[];
  const missing = keys.filter((k) => !have.has(key(k.stream_id, Number(k.first_seq))));
  const insert = peer.db.prepare(
    `INSERT INTO sample_chunks (session_id, ${chunkColumns.join(', ')})
     VALUES (?, ${chunkColumns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
  );
  let stored = 0;
  for (let i = 0; i < missing.length; i += chunksPerBatch) {
    const batch = missing.slice(i, i + chunksPerBatch);
    const wanted = new Set(batch.map((k) => key(k.stream_id, Number(k.first_seq))));
    const from = batch[0]!;
    const to = batch.at(-1)!;
    // One range scan of the primary key from the batch's first to its last missing piece (pieces already
    // here inside that range, after an earlier broken pull, are read and left out).
    const rows = (
      await peer.client.query(
        `SELECT ${chunkColumns.join(', ')}, digest FROM tonus.sample_chunks
          WHERE session_uuid = $1 AND (stream_id, first_seq) >= ($2, $3) AND (stream_id, first_seq) <= ($4, $5)
          ORDER BY stream_id, first_seq`,
        [sessionUuid, from.stream_id, from.first_seq, to.stream_id, to.first_seq],
      )
    ).rows as ServerChunk[];
    const fresh = rows.filter((c) => wanted.has(key(c.stream_id, Number(c.first_seq))));
    stored += storeBatch(peer.db, insert, sessionId, fresh, result.refused);
  }
  return stored;
}

function storeBatch(
  db: Db,
  insert: Statement,
  sessionId: number,
  rows: readonly ServerChunk[],
  refused: string[],
): number {
  return db
    .transaction(() => {
      let n = 0;
      for (const c of rows) {
        const chunk = { ...c, first_seq: Number(c.first_seq) };
        const damage = chunkDamage(chunk);
        if (damage) {
          refused.push(damage);
          continue;
        }
        n += insert.run(sessionId, ...chunkColumns.map((k) => chunk[k] ?? null)).changes;
      }
      return n;
    })
    .immediate();
}
