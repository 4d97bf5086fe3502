import type pg from 'pg';
import type { Db } from './database.node.js';
import type { SyncPeer } from './sync-push.node.js';
import { applyingLocally } from './sync-push.node.js';

/** A session's note as edited after recording, on the server. */
export interface ServerSessionNote {
  session_uuid: string;
  workstation_id: string;
  note: string | null;
  updated_at: string;
  change_seq: number;
}

/**
 * Pushes the note of a session edited here, inside the caller's server transaction: last writer wins on
 * `updated_at`, then workstation id. When the server holds a later edit, this workstation takes it.
 */
export async function pushSessionNote(peer: SyncPeer, sessionId: number, sessionUuid: string): Promise<void> {
  const local = peer.db.prepare('SELECT note, note_updated_at FROM sessions WHERE id = ?').get(sessionId) as
    { note: string | null; note_updated_at: string | null } | undefined;
  if (!local?.note_updated_at) return;
  const stored = (
    await peer.client.query(
      `INSERT INTO tonus.session_notes (session_uuid, site_id, workstation_id, note, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (session_uuid) DO UPDATE
         SET workstation_id = EXCLUDED.workstation_id, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at,
             change_seq = nextval('tonus.change_seq')
         WHERE (EXCLUDED.updated_at, EXCLUDED.workstation_id) > (session_notes.updated_at, session_notes.workstation_id)
       RETURNING session_uuid`,
      [sessionUuid, peer.siteId, peer.workstationId, local.note, local.note_updated_at],
    )
  ).rowCount;
  if (stored) return;
  const winner = (
    await peer.client.query('SELECT note, updated_at FROM tonus.session_notes WHERE session_uuid = $1', [
      sessionUuid,
    ])
  ).rows[0] as { note: string | null; updated_at: string };
  applyingLocally(peer.db, () =>
    peer.db
      .prepare('UPDATE sessions SET note = ?, note_updated_at = ? WHERE id = ?')
      .run(winner.note, winner.updated_at, sessionId),
  );
}

/** Session notes other workstations edited since `cursor` (read in the caller's transaction). */
export async function readSessionNotes(
  client: pg.Client,
  cursor: number,
  workstationId: string,
): Promise<ServerSessionNote[]> {
  const r = await client.query(
    `SELECT session_uuid, workstation_id, note, updated_at, change_seq FROM tonus.session_notes
      WHERE change_seq > $1 AND workstation_id <> $2 ORDER BY change_seq`,
    [cursor, workstationId],
  );
  return r.rows as ServerSessionNote[];
}

/**
 * Writes pulled session notes, inside the pull's transaction, after its sessions; a session with an unsent
 * local change keeps its note (pushed next and settled on the server), one not in this store is skipped.
 */
export function applySessionNotes(db: Db, notes: readonly ServerSessionNote[]): void {
  for (const n of notes) {
    const id = db.prepare('SELECT id FROM sessions WHERE uuid = ?').pluck().get(n.session_uuid) as
      number | undefined;
    if (id === undefined) continue;
    if (db.prepare("SELECT 1 FROM sync_outbox WHERE entity = 'sessions' AND local_id = ?").get(id)) continue;
    db.prepare('UPDATE sessions SET note = ?, note_updated_at = ? WHERE id = ?').run(
      n.note,
      n.updated_at,
      id,
    );
  }
}
