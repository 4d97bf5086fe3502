import type pg from 'pg';
import type { Db } from './database.node.js';
import type { SyncPeer } from './sync-push.node.js';

/** Local table of the item a deletion event is about. */
const entityTable = { patient: 'patients', session: 'sessions' } as const;
type Entity = keyof typeof entityTable;

/** One delete or undo as it crosses to and from the server. */
export interface DeletionEvent {
  uuid: string;
  workstation_id: string;
  entity: Entity;
  entity_uuid: string;
  action: 'delete' | 'undo';
  at_ms: number;
  description: string;
}

/** Server columns of a deletion event (besides `site_id` and `change_seq`). */
const columns = [
  'uuid',
  'workstation_id',
  'entity',
  'entity_uuid',
  'action',
  'at_ms',
  'description',
] as const;

/**
 * Pushes one local delete or undo (a `deletion_audit` row) as an event, inside the caller's server
 * transaction; added once by UUID, never rewritten. An event about an item purged here meanwhile has nothing
 * left to name and is skipped.
 */
export async function pushDeletionEvent(peer: SyncPeer, localId: number): Promise<void> {
  const row = peer.db
    .prepare(
      `SELECT a.uuid, a.workstation_id, a.entity, a.action, a.at_ms, a.description,
         CASE a.entity WHEN 'patient' THEN (SELECT uuid FROM patients WHERE id = a.entity_id)
                       ELSE (SELECT uuid FROM sessions WHERE id = a.entity_id) END AS entity_uuid
         FROM deletion_audit a WHERE a.id = ? AND a.action IN ('delete', 'undo')`,
    )
    .get(localId) as DeletionEvent | undefined;
  if (!row?.entity_uuid) return;
  await peer.client.query(
    `INSERT INTO tonus.deletion_events (site_id, ${columns.join(', ')})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (uuid) DO NOTHING`,
    [peer.siteId, ...columns.map((c) => row[c])],
  );
}

/**
 * Deletion events other workstations made since `cursor`, and every event about the patients and sessions
 * the same pull brings (`pulledUuids`): one purged here 30 days after its deletion may come back with a part
 * another workstation added, and must come back deleted. Read in the caller's transaction.
 */
export async function readDeletionEvents(
  client: pg.Client,
  cursor: number,
  workstationId: string,
  pulledUuids: readonly string[],
): Promise<(DeletionEvent & { change_seq: number })[]> {
  const r = await client.query(
    `SELECT ${columns.join(', ')}, change_seq FROM tonus.deletion_events
      WHERE (change_seq > $1 AND workstation_id <> $2) OR entity_uuid = ANY($3::uuid[]) ORDER BY change_seq`,
    [cursor, workstationId, pulledUuids],
  );
  return r.rows as (DeletionEvent & { change_seq: number })[];
}

/**
 * Sets whether a local patient or session is deleted from its latest delete or undo event (by time, then
 * workstation id, then UUID: the rule of docs/server.md, "Deletions"): deleted at that event's time, or in use
 * when the latest is an undo or there is none.
 */
export function settleVisibility(db: Db, entity: Entity, localId: number): void {
  const latest = db
    .prepare(
      `SELECT action, at_ms FROM deletion_audit
        WHERE entity = ? AND entity_id = ? AND action IN ('delete', 'undo')
        ORDER BY at_ms DESC, workstation_id DESC, uuid DESC LIMIT 1`,
    )
    .get(entity, localId) as { action: string; at_ms: number } | undefined;
  const deletedAtMs = latest?.action === 'delete' ? latest.at_ms : null;
  db.prepare(
    `UPDATE ${entityTable[entity]} SET deleted_at_ms = ? WHERE id = ? AND deleted_at_ms IS NOT ?`,
  ).run(deletedAtMs, localId, deletedAtMs);
}

/**
 * Writes pulled deletion events into the local audit (once each, by UUID; an event already here is linked
 * again to the item's current local row, which differs after a purge and a new pull) and settles the
 * visibility of each item they name. Runs inside the pull's local transaction, after its patients and sessions. An event about
 * an item this store does not hold (purged here) is skipped. Returns how many events were applied.
 */
export function applyDeletionEvents(db: Db, events: readonly DeletionEvent[]): number {
  const insert = db.prepare(
    `INSERT INTO deletion_audit (uuid, workstation_id, entity, entity_id, action, at_ms, description)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET entity_id = excluded.entity_id`,
  );
  const touched = new Map<string, { entity: Entity; id: number }>();
  let applied = 0;
  for (const e of events) {
    const id = db
      .prepare(`SELECT id FROM ${entityTable[e.entity]} WHERE uuid = ?`)
      .pluck()
      .get(e.entity_uuid) as number | undefined;
    if (id === undefined) continue;
    insert.run(e.uuid, e.workstation_id, e.entity, id, e.action, e.at_ms, e.description);
    touched.set(`${e.entity}:${id}`, { entity: e.entity, id });
    applied++;
  }
  for (const t of touched.values()) settleVisibility(db, t.entity, t.id);
  return applied;
}
