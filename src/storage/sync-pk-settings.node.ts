import type pg from 'pg';
import type { Db } from './database.node.js';
import type { SyncPeer } from './sync-push.node.js';
import { applyingLocally } from './sync-push.node.js';

/** Columns of a patient's PK settings that cross unchanged (local `patient_pk_settings`, migration 0003). */
const columns = [
  'age_group',
  'half_life_h',
  'tmax_h',
  'time_zone',
  'absolute_mode',
  'ke0_per_h',
  'updated_at',
] as const;

type Settings = Record<(typeof columns)[number], unknown>;
/** PK settings as the server holds them. */
export type ServerPkSettings = Settings & {
  patient_uuid: string;
  workstation_id: string;
  change_seq: number;
};

const same = (a: Settings, b: Settings): boolean => columns.every((c) => (a[c] ?? null) === (b[c] ?? null));

/** Writes settings into the local store for patient `patientId` (insert or replace). */
function writeLocal(db: Db, patientId: number, s: Settings): void {
  db.prepare(
    `INSERT OR REPLACE INTO patient_pk_settings (patient_id, ${columns.join(', ')})
     VALUES (?, ${columns.map(() => '?').join(', ')})`,
  ).run(patientId, ...columns.map((c) => s[c] ?? null));
}

/**
 * Pushes a patient's PK settings, inside the caller's server transaction: last writer wins on `updated_at`,
 * then workstation id (the rule of patient fields). When the server holds a later version, this workstation
 * takes it.
 */
export async function pushPkSettings(peer: SyncPeer, patientId: number): Promise<void> {
  const row = peer.db
    .prepare(
      `SELECT ${columns.join(', ')}, (SELECT uuid FROM patients WHERE id = s.patient_id) AS patient_uuid
         FROM patient_pk_settings s WHERE patient_id = ?`,
    )
    .get(patientId) as (Settings & { patient_uuid: string | null }) | undefined;
  if (!row?.patient_uuid) return;
  const existing = (
    await peer.client.query(
      `SELECT workstation_id, ${columns.join(', ')} FROM tonus.patient_pk_settings WHERE patient_uuid = $1 FOR UPDATE`,
      [row.patient_uuid],
    )
  ).rows[0] as (Settings & { workstation_id: string }) | undefined;
  const values = columns.map((c) => row[c] ?? null);
  if (!existing) {
    await peer.client.query(
      `INSERT INTO tonus.patient_pk_settings (patient_uuid, site_id, workstation_id, ${columns.join(', ')})
       VALUES ($1, $2, $3, ${columns.map((_, i) => `$${i + 4}`).join(', ')})`,
      [row.patient_uuid, peer.siteId, peer.workstationId, ...values],
    );
    return;
  }
  if (same(row, existing)) return;
  const a = String(row.updated_at);
  const b = String(existing.updated_at);
  const newer = a !== b ? a > b : peer.workstationId > existing.workstation_id;
  if (newer)
    await peer.client.query(
      `UPDATE tonus.patient_pk_settings SET workstation_id = $2, ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')},
         change_seq = nextval('tonus.change_seq') WHERE patient_uuid = $1`,
      [row.patient_uuid, peer.workstationId, ...values],
    );
  else applyingLocally(peer.db, () => writeLocal(peer.db, patientId, existing));
}

/** PK settings other workstations wrote since `cursor` (read in the caller's transaction). */
export async function readPkSettings(
  client: pg.Client,
  cursor: number,
  workstationId: string,
): Promise<ServerPkSettings[]> {
  const r = await client.query(
    `SELECT patient_uuid, workstation_id, change_seq, ${columns.join(', ')} FROM tonus.patient_pk_settings
      WHERE change_seq > $1 AND workstation_id <> $2 ORDER BY change_seq`,
    [cursor, workstationId],
  );
  return r.rows as ServerPkSettings[];
}

/**
 * Writes pulled PK settings into the local store, inside the pull's transaction, after its patients. Settings
 * with an unsent local change are left alone (that change is pushed next and settled on the server), and so are
 * those of a patient purged here (patients are pulled before them, so no other patient is missing). Returns
 * the local ids of the patients whose settings changed (their sessions' dose context is stale).
 */
export function applyPkSettings(db: Db, rows: readonly ServerPkSettings[]): number[] {
  const changed: number[] = [];
  for (const r of rows) {
    const patientId = db.prepare('SELECT id FROM patients WHERE uuid = ?').pluck().get(r.patient_uuid) as
      number | undefined;
    if (patientId === undefined) continue;
    const pending = db
      .prepare("SELECT 1 FROM sync_outbox WHERE entity = 'patient_pk_settings' AND local_id = ?")
      .get(patientId);
    if (pending) continue;
    writeLocal(db, patientId, r);
    changed.push(patientId);
  }
  return changed;
}
