import type { Db } from './database.node.js';
import type { SyncedTable } from './sync-tables.js';
import type { DeletionEvent } from './sync-deletions.node.js';
import { applyDeletionEvents, readDeletionEvents } from './sync-deletions.node.js';
import type { ServerPkSettings } from './sync-pk-settings.node.js';
import { applyPkSettings, readPkSettings } from './sync-pk-settings.node.js';
import type { ServerSessionNote } from './sync-session-notes.node.js';
import { applySessionNotes, readSessionNotes } from './sync-session-notes.node.js';
import {
  analysisEventColumns,
  sessionDerived,
  sessionEvents,
  sessionTable,
  syncedTables,
} from './sync-tables.js';
import type { SyncPeer } from './sync-push.node.js';
import { applyingLocally, serverTransaction } from './sync-push.node.js';

type ServerRow = Record<string, unknown> & { uuid: string; workstation_id: string; change_seq: number };

/** Everything changed on the server since a cursor, read under the shared sync lock. */
interface PulledChanges {
  tables: Map<string, ServerRow[]>;
  pkSettings: ServerPkSettings[];
  sessions: ServerRow[];
  parts: Map<string, Record<string, unknown>[]>;
  /** Per-event rows of the pulled sessions' analyses. */
  analysisEvents: Record<string, unknown>[];
  deletions: (DeletionEvent & { change_seq: number })[];
  notes: ServerSessionNote[];
  /** UUIDs of the patients and sessions whose latest deletion event is a delete. */
  deletedOnServer: Set<string>;
}

function selectSql(t: SyncedTable): string {
  const cols = [...t.columns, ...t.refs.map((r) => r.serverColumn)];
  return `SELECT uuid, workstation_id, change_seq, ${cols.join(', ')} FROM tonus.${t.table}`;
}

async function readChanges(peer: SyncPeer, cursor: number): Promise<PulledChanges> {
  return serverTransaction(peer.client, 'shared', async () => {
    const tables = new Map<string, ServerRow[]>();
    for (const t of syncedTables) {
      const r = await peer.client.query(`${selectSql(t)} WHERE change_seq > $1 ORDER BY change_seq`, [
        cursor,
      ]);
      tables.set(t.table, r.rows as ServerRow[]);
    }
    const sessions = (
      await peer.client.query(`${selectSql(sessionTable)} WHERE change_seq > $1 ORDER BY change_seq`, [
        cursor,
      ])
    ).rows as ServerRow[];
    const uuids = sessions.map((s) => s.uuid);
    const parts = new Map<string, Record<string, unknown>[]>();
    const partCols: Record<string, readonly string[]> = { ...sessionEvents, ...sessionDerived };
    for (const [table, cols] of Object.entries(partCols)) {
      const extra = [
        ...(table in sessionEvents ? ['uuid'] : []),
        ...(table === 'session_indicators' ? ['patient_uuid'] : []),
      ];
      const r = await peer.client.query(
        `SELECT session_uuid, ${[...extra, ...cols].join(', ')} FROM tonus.${table}
         WHERE session_uuid = ANY($1::uuid[])`,
        [uuids],
      );
      parts.set(table, r.rows);
    }
    const analysisUuids = (parts.get('analyses') ?? []).map((a) => a.uuid);
    const analysisEvents = (
      await peer.client.query(
        `SELECT analysis_uuid, ${analysisEventColumns.join(', ')} FROM tonus.analysis_events
          WHERE analysis_uuid = ANY($1::uuid[])`,
        [analysisUuids],
      )
    ).rows as Record<string, unknown>[];
    const pkSettings = await readPkSettings(peer.client, cursor, peer.workstationId);
    const pulledUuids = [...(tables.get('patients') ?? []), ...sessions].map((r) => r.uuid);
    const deletions = await readDeletionEvents(peer.client, cursor, peer.workstationId, pulledUuids);
    const notes = await readSessionNotes(peer.client, cursor, peer.workstationId);
    const deletedOnServer = new Set(
      (
        await peer.client.query('SELECT entity_uuid::text AS uuid FROM tonus.entity_visibility WHERE deleted')
      ).rows.map((r: { uuid: string }) => r.uuid),
    );
    return { tables, pkSettings, sessions, parts, analysisEvents, deletions, notes, deletedOnServer };
  });
}

/** A pulled record refers to a row this store does not hold. */
class MissingReference extends Error {
  constructor(
    readonly table: string,
    readonly uuid: string,
  ) {
    super(`A pulled record refers to ${table} ${uuid}, not in this store.`);
  }
}

/** The local id of the row with `uuid` in `table`; throws {@link MissingReference} when this store lacks it. */
function localId(db: Db, table: string, uuid: unknown): number | null {
  if (uuid === null || uuid === undefined) return null;
  const id = db.prepare(`SELECT id FROM ${table} WHERE uuid = ?`).pluck().get(uuid) as number | undefined;
  if (id === undefined) throw new MissingReference(table, String(uuid));
  return id;
}

/**
 * Applies one pulled record `row`; skips it when it misses a reference and it is, or belongs to, a patient or
 * session deleted on the server's record (every workstation purges such an item 30 days after its deletion,
 * and one that was offline meanwhile may still have added to it). Any other missing reference is an error.
 */
function unlessPurgedHere(
  deleted: ReadonlySet<string>,
  row: Record<string, unknown>,
  apply: () => void,
): void {
  try {
    apply();
  } catch (err) {
    const purged = [err instanceof MissingReference ? err.uuid : undefined, row.uuid, row.patient_uuid].some(
      (u) => typeof u === 'string' && deleted.has(u),
    );
    if (!(err instanceof MissingReference && purged)) throw err;
  }
}

const isPending = (db: Db, entity: string, id: number): boolean =>
  db.prepare('SELECT 1 FROM sync_outbox WHERE entity = ? AND local_id = ?').get(entity, id) !== undefined;

/**
 * Writes one pulled row into the local store by UUID. A row with an unsent local change is left alone: that
 * change is pushed next and settled on the server. A patient whose code this store already has under another
 * UUID is the same patient and takes the server's UUID.
 */
function applyRow(db: Db, t: SyncedTable, row: ServerRow): void {
  const names = [...t.columns, ...t.refs.map((r) => r.column)];
  const values = [
    ...t.columns.map((c) => row[c] ?? null),
    ...t.refs.map((r) => localId(db, r.table, row[r.serverColumn])),
  ];
  let id = db.prepare(`SELECT id FROM ${t.table} WHERE uuid = ?`).pluck().get(row.uuid) as number | undefined;
  if (id === undefined && t.table === 'patients')
    id = db.prepare('SELECT id FROM patients WHERE code = ?').pluck().get(row.code) as number | undefined;
  if (id !== undefined) {
    if (t.merge === 'append' || isPending(db, t.table, id)) return;
    db.prepare(
      `UPDATE ${t.table} SET uuid = ?, workstation_id = ?, ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`,
    ).run(row.uuid, row.workstation_id, ...values, id);
    return;
  }
  db.prepare(
    `INSERT INTO ${t.table} (uuid, workstation_id, ${names.join(', ')})
     VALUES (?, ?, ${names.map(() => '?').join(', ')})`,
  ).run(row.uuid, row.workstation_id, ...values);
}

/**
 * Writes a pulled session (once) and brings its parts up to the server's: markers, analyses and their events
 * that any workstation added (also to a session recorded here), and the latest dose context and indicators,
 * unless this store has an unsent change of the session (then its own are pushed next).
 */
function applySession(db: Db, row: ServerRow, changes: PulledChanges): void {
  const parts = changes.parts;
  let id = db.prepare('SELECT id FROM sessions WHERE uuid = ?').pluck().get(row.uuid) as number | undefined;
  if (id === undefined) {
    const cols = sessionTable.columns;
    id = Number(
      db
        .prepare(
          `INSERT INTO sessions (uuid, workstation_id, patient_id, ${cols.join(', ')})
           VALUES (?, ?, ?, ${cols.map(() => '?').join(', ')})`,
        )
        .run(
          row.uuid,
          row.workstation_id,
          localId(db, 'patients', row.patient_uuid),
          ...cols.map((c) => row[c] ?? null),
        ).lastInsertRowid,
    );
  }
  const sessionId = id;
  const mine = (table: string): Record<string, unknown>[] =>
    (parts.get(table) ?? []).filter((p) => p.session_uuid === row.uuid);
  for (const [table, cols] of Object.entries(sessionEvents)) {
    const insert = db.prepare(
      `INSERT INTO ${table} (uuid, workstation_id, session_id, ${cols.join(', ')})
       VALUES (?, ?, ?, ${cols.map(() => '?').join(', ')}) ON CONFLICT (uuid) DO NOTHING`,
    );
    for (const p of mine(table))
      insert.run(p.uuid, row.workstation_id, sessionId, ...cols.map((c) => p[c] ?? null));
  }
  const analysisIds = new Map(
    mine('analyses').map((a) => [
      a.uuid,
      db.prepare('SELECT id FROM analyses WHERE uuid = ?').pluck().get(a.uuid) as number,
    ]),
  );
  const insertEvent = db.prepare(
    `INSERT INTO analysis_events (analysis_id, ${analysisEventColumns.join(', ')})
     VALUES (?, ${analysisEventColumns.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`,
  );
  for (const e of changes.analysisEvents) {
    const analysisId = analysisIds.get(e.analysis_uuid);
    if (analysisId !== undefined)
      insertEvent.run(analysisId, ...analysisEventColumns.map((c) => e[c] ?? null));
  }
  if (isPending(db, 'sessions', sessionId)) return;
  for (const [table, cols] of Object.entries(sessionDerived)) {
    db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sessionId);
    const withPatient = table === 'session_indicators';
    const insert = db.prepare(
      `INSERT INTO ${table} (session_id, ${withPatient ? 'patient_id, ' : ''}${cols.join(', ')})
       VALUES (?, ${withPatient ? '?, ' : ''}${cols.map(() => '?').join(', ')})`,
    );
    for (const p of mine(table)) {
      const lead = withPatient ? [sessionId, localId(db, 'patients', p.patient_uuid)] : [sessionId];
      insert.run(...lead, ...cols.map((c) => p[c] ?? null));
    }
  }
}

/** What a pull brought. */
export interface PullResult {
  /** Records written or checked. */
  count: number;
  /** Local ids of patients whose dose log or regimens another workstation changed: their dose context is stale. */
  doseLogPatients: number[];
}

/** Tables whose pulled rows change the dose context of a patient's sessions. */
const doseLogTables = new Set(['dose_events', 'regimens']);

/**
 * Pulls every change other workstations of this site made since this workstation's cursor, and applies it in
 * one local transaction together with the new cursor, so a pull broken at any point is simply repeated.
 */
export async function pullChanges(peer: SyncPeer): Promise<PullResult> {
  const cursor = peer.db
    .prepare('SELECT pull_cursor FROM sync_identity WHERE id = 1')
    .pluck()
    .get() as number;
  const changes = await readChanges(peer, cursor);
  let next = cursor;
  let count = 0;
  const doseLogPatients = new Set<number>();
  applyingLocally(peer.db, () => {
    for (const t of syncedTables) {
      for (const row of changes.tables.get(t.table) ?? []) {
        unlessPurgedHere(changes.deletedOnServer, row, () => {
          applyRow(peer.db, t, row);
          if (doseLogTables.has(t.table) && row.workstation_id !== peer.workstationId) {
            const patient = localId(peer.db, 'patients', row.patient_uuid);
            if (patient !== null) doseLogPatients.add(patient);
          }
        });
        next = Math.max(next, Number(row.change_seq));
        count++;
      }
    }
    for (const patient of applyPkSettings(peer.db, changes.pkSettings)) doseLogPatients.add(patient);
    for (const s of changes.sessions) {
      unlessPurgedHere(changes.deletedOnServer, s, () => applySession(peer.db, s, changes));
      next = Math.max(next, Number(s.change_seq));
      count++;
    }
    applySessionNotes(peer.db, changes.notes);
    count +=
      changes.pkSettings.length + changes.notes.length + applyDeletionEvents(peer.db, changes.deletions);
    for (const r of [...changes.pkSettings, ...changes.deletions, ...changes.notes])
      next = Math.max(next, Number(r.change_seq));
    peer.db.prepare('UPDATE sync_identity SET pull_cursor = ? WHERE id = 1').run(next);
  });
  await peer.client.query('UPDATE tonus.workstations SET last_pull_seq = $2 WHERE workstation_id = $1', [
    peer.workstationId,
    next,
  ]);
  return { count, doseLogPatients: [...doseLogPatients] };
}
