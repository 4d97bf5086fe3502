import type pg from 'pg';
import type { Db } from './database.node.js';
import type { SyncedTable } from './sync-tables.js';
import { chunkDigest } from './chunk-digest.node.js';
import { pushDeletionEvent } from './sync-deletions.node.js';
import { pushPkSettings } from './sync-pk-settings.node.js';
import { pushSessionNote } from './sync-session-notes.node.js';
import {
  analysisEventColumns,
  chunkColumns,
  localRowSql,
  placeholders,
  sessionDerived,
  sessionEvents,
  sessionTable,
  syncedTables,
} from './sync-tables.js';

/** Serialises pushes against pulls, so a pull never passes a change that commits later with a smaller number. */
export const syncLockKey = 7_201_700_002;

/** What a push needs: the local store, a connected client of the site's role, and who we are. */
export interface SyncPeer {
  db: Db;
  client: pg.Client;
  siteId: string;
  workstationId: string;
  /** Whether this site sends raw sample chunks (`tonus.sites.sync_chunks`). */
  syncChunks: boolean;
}

type LocalRow = Record<string, unknown> & { id: number; uuid: string; workstation_id: string };

/** Chunks per committed batch (about 1 s of one stream each): a broken upload loses at most one batch of work. */
const chunkBatchRows = 200;

/** Runs `fn` in a server transaction holding the sync lock (exclusive for pushes, shared for pulls). */
export async function serverTransaction<T>(
  client: pg.Client,
  lock: 'exclusive' | 'shared',
  fn: () => Promise<T>,
): Promise<T> {
  await client.query('BEGIN');
  try {
    const fnName = lock === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
    await client.query(`SELECT ${fnName}($1)`, [syncLockKey]);
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Runs `fn` on the local store with the outbox triggers off (rows written are the server's, not new changes). */
export function applyingLocally<T>(db: Db, fn: () => T): T {
  return db
    .transaction(() => {
      db.prepare('UPDATE sync_identity SET applying = 1 WHERE id = 1').run();
      const result = fn();
      db.prepare('UPDATE sync_identity SET applying = 0 WHERE id = 1').run();
      return result;
    })
    .immediate();
}

const serverColumns = (t: SyncedTable): string[] => [...t.columns, ...t.refs.map((r) => r.serverColumn)];
const valuesOf = (row: LocalRow, columns: readonly string[]): unknown[] => columns.map((c) => row[c] ?? null);

/** Newer by the last-writer-wins order: `updated_at`, then workstation id as the tie-break. */
function isNewer(incoming: LocalRow, existing: Record<string, unknown>): boolean {
  const a = String(incoming.updated_at);
  const b = String(existing.updated_at);
  return a !== b ? a > b : incoming.workstation_id > String(existing.workstation_id);
}

async function insertRow(peer: SyncPeer, t: SyncedTable, row: LocalRow, suffix: string): Promise<void> {
  const cols = serverColumns(t);
  await peer.client.query(
    `INSERT INTO tonus.${t.table} (uuid, site_id, workstation_id, ${cols.join(', ')})
     VALUES (${placeholders(cols.length + 3)}) ${suffix}`,
    [row.uuid, peer.siteId, row.workstation_id, ...valuesOf(row, cols)],
  );
}

/**
 * Pushes one last-writer-wins row. A patient whose code the site already has under another UUID is the same
 * patient: this workstation adopts that UUID first. Every version a workstation sends of a patient is kept in
 * `tonus.patient_audit` with the value it met and the outcome; the losing side gets the winner back.
 */
async function pushLww(peer: SyncPeer, t: SyncedTable, row: LocalRow): Promise<void> {
  const cols = serverColumns(t);
  const select = `SELECT uuid, workstation_id, ${cols.join(', ')} FROM tonus.${t.table}`;
  let existing = (await peer.client.query(`${select} WHERE uuid = $1 FOR UPDATE`, [row.uuid])).rows[0] as
    Record<string, unknown> | undefined;
  if (!existing && t.table === 'patients') {
    const same = await peer.client.query(`${select} WHERE code = $1 FOR UPDATE`, [row.code]);
    if (same.rows[0]) {
      existing = same.rows[0] as Record<string, unknown>;
      const adopted = String(existing.uuid);
      applyingLocally(peer.db, () =>
        peer.db.prepare('UPDATE patients SET uuid = ? WHERE id = ?').run(adopted, row.id),
      );
      row.uuid = adopted;
    }
  }
  const previous = existing;
  let outcome: 'created' | 'won' | 'lost' | 'same';
  const sameAs = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
    cols.every((c) => (a[c] ?? null) === (b[c] ?? null));
  if (!existing) {
    await insertRow(peer, t, row, '');
    outcome = 'created';
  } else if (sameAs(existing, row)) {
    outcome = 'same';
  } else {
    const merged = stickyDeletion(t, isNewer(row, existing) ? row : existing, row, existing);
    outcome = sameAs(merged, existing) ? 'lost' : 'won';
    if (outcome === 'won')
      await peer.client.query(
        `UPDATE tonus.${t.table} SET workstation_id = $2, ${cols.map((c, i) => `${c} = $${i + 3}`).join(', ')},
           change_seq = nextval('tonus.change_seq') WHERE uuid = $1`,
        [row.uuid, merged.workstation_id, ...valuesOf(merged as LocalRow, cols)],
      );
    existing = merged;
  }
  if (t.table === 'patients') {
    const incoming = Object.fromEntries(t.columns.map((c) => [c, row[c] ?? null]));
    await peer.client.query(
      `INSERT INTO tonus.patient_audit
         (patient_uuid, site_id, workstation_id, incoming_updated_at, incoming, previous, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (patient_uuid, workstation_id, incoming_updated_at) DO NOTHING`,
      [row.uuid, peer.siteId, row.workstation_id, row.updated_at, incoming, previous ?? null, outcome],
    );
  }
  if (existing && !sameAs(existing, row)) {
    const winner = existing;
    applyingLocally(peer.db, () =>
      peer.db
        .prepare(
          `UPDATE ${t.table} SET workstation_id = ?, ${t.columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
        )
        .run(winner.workstation_id, ...t.columns.map((c) => winner[c] ?? null), row.id),
    );
  }
}

/**
 * The last writer's version of a dose entry, except that a deletion sticks: a deletion is an event of the dose
 * log, and an edit made elsewhere without knowing of it does not bring the entry back (docs/server.md).
 */
function stickyDeletion(
  t: SyncedTable,
  winner: Record<string, unknown>,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  if (t.table !== 'dose_events') return winner;
  return { ...winner, deleted: Math.max(Number(a.deleted), Number(b.deleted)) };
}

/** Writes one row of `t` on the server, inside the caller's transaction, by its merge rule. */
async function pushRow(peer: SyncPeer, t: SyncedTable, localId: number): Promise<void> {
  const row = peer.db.prepare(localRowSql(t)).get(localId) as LocalRow | undefined;
  if (!row) return;
  if (t.merge === 'lww') await pushLww(peer, t, row);
  else if (t.merge === 'append') await insertRow(peer, t, row, 'ON CONFLICT (uuid) DO NOTHING');
  else
    await insertRow(
      peer,
      t,
      row,
      `ON CONFLICT (uuid) DO UPDATE SET ${serverColumns(t)
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(', ')}, change_seq = nextval('tonus.change_seq')`,
    );
}

/** Multi-row INSERT of `rows` (each in `columns` order, after the fixed leading values). */
async function insertMany(
  client: pg.Client,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  suffix: string,
): Promise<void> {
  if (rows.length === 0) return;
  const width = columns.length;
  const tuples = rows.map((_, i) => `(${placeholders(width, i * width)})`).join(', ');
  await client.query(
    `INSERT INTO tonus.${table} (${columns.join(', ')}) VALUES ${tuples} ${suffix}`,
    rows.flat(),
  );
}

/**
 * Pushes a completed session: the session row (immutable: a second push only bumps its change number so
 * other workstations pull its newer parts), its markers and analyses (added once each), and its dose context
 * and indicators (replaced by the latest computation), in one transaction; then, when the site sends raw
 * data, the sample chunks the server lacks, in batches that each commit, so a broken push resumes where it
 * stopped. A session still recording is not pushed: completing it queues it again.
 */
async function pushSession(peer: SyncPeer, localId: number): Promise<void> {
  const row = peer.db.prepare(localRowSql(sessionTable)).get(localId) as LocalRow | undefined;
  if (!row || row.status === 'recording') return;
  const sessionUuid = row.uuid;
  await serverTransaction(peer.client, 'exclusive', async () => {
    await insertRow(
      peer,
      sessionTable,
      row,
      `ON CONFLICT (uuid) DO UPDATE SET change_seq = nextval('tonus.change_seq')`,
    );
    for (const [table, cols] of Object.entries(sessionEvents)) {
      const parts = peer.db
        .prepare(`SELECT uuid, ${cols.join(', ')} FROM ${table} WHERE session_id = ? ORDER BY id`)
        .all(localId) as Record<string, unknown>[];
      await insertMany(
        peer.client,
        table,
        ['uuid', 'session_uuid', 'site_id', ...cols],
        parts.map((p) => [p.uuid, sessionUuid, peer.siteId, ...cols.map((c) => p[c] ?? null)]),
        'ON CONFLICT (uuid) DO NOTHING',
      );
    }
    await pushAnalysisEvents(peer, localId);
    await pushSessionNote(peer, localId, sessionUuid);
    for (const [table, cols] of Object.entries(sessionDerived)) {
      const withPatient = table === 'session_indicators';
      const parts = peer.db
        .prepare(
          `SELECT ${cols.join(', ')}${withPatient ? ', (SELECT uuid FROM patients WHERE id = t.patient_id) AS patient_uuid' : ''}
           FROM ${table} t WHERE session_id = ?`,
        )
        .all(localId) as Record<string, unknown>[];
      await peer.client.query(`DELETE FROM tonus.${table} WHERE session_uuid = $1`, [sessionUuid]);
      const extra = withPatient ? ['patient_uuid'] : [];
      await insertMany(
        peer.client,
        table,
        ['session_uuid', 'site_id', ...cols, ...extra],
        parts.map((p) => [sessionUuid, peer.siteId, ...[...cols, ...extra].map((c) => p[c] ?? null)]),
        '',
      );
    }
  });
  if (peer.syncChunks) await pushChunks(peer, localId, sessionUuid);
}

/** Analysis event rows per INSERT (7 parameters each, well under PostgreSQL's 65,535). */
const eventRowsPerInsert = 1000;

/** Adds the per-event rows of a session's analyses the server lacks (inside the session's transaction). */
async function pushAnalysisEvents(peer: SyncPeer, localId: number): Promise<void> {
  const events = peer.db
    .prepare(
      `SELECT a.uuid AS analysis_uuid, ${analysisEventColumns.map((c) => `e.${c}`).join(', ')}
         FROM analysis_events e JOIN analyses a ON a.id = e.analysis_id WHERE a.session_id = ? ORDER BY e.id`,
    )
    .all(localId) as Record<string, unknown>[];
  for (let i = 0; i < events.length; i += eventRowsPerInsert)
    await insertMany(
      peer.client,
      'analysis_events',
      ['analysis_uuid', 'site_id', ...analysisEventColumns],
      events
        .slice(i, i + eventRowsPerInsert)
        .map((e) => [e.analysis_uuid, peer.siteId, ...analysisEventColumns.map((c) => e[c] ?? null)]),
      'ON CONFLICT DO NOTHING',
    );
}

async function pushChunks(peer: SyncPeer, localId: number, sessionUuid: string): Promise<void> {
  const stored = await peer.client.query(
    'SELECT stream_id, first_seq FROM tonus.sample_chunks WHERE session_uuid = $1',
    [sessionUuid],
  );
  const have = new Set(stored.rows.map((r) => `${r.stream_id}\u0000${r.first_seq}`));
  const columns = ['session_uuid', 'site_id', ...chunkColumns, 'digest'];
  const page = peer.db.prepare(
    `SELECT id, ${chunkColumns.join(', ')} FROM sample_chunks WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?`,
  );
  let afterId = 0;
  for (;;) {
    const chunks = page.all(localId, afterId, chunkBatchRows) as (Record<string, unknown> & { id: number })[];
    if (chunks.length === 0) return;
    afterId = chunks.at(-1)!.id;
    const missing = chunks.filter((c) => !have.has(`${c.stream_id}\u0000${c.first_seq}`));
    await insertMany(
      peer.client,
      'sample_chunks',
      columns,
      missing.map((c) => [
        sessionUuid,
        peer.siteId,
        ...chunkColumns.map((k) => c[k] ?? null),
        chunkDigest(c.data as Uint8Array, c.timestamps as Uint8Array | null),
      ]),
      'ON CONFLICT DO NOTHING',
    );
  }
}

/** One queued change: which entity, its local id, and the version seen when it was read. */
export interface OutboxEntry {
  entity: string;
  local_id: number;
  version: number;
}

/**
 * Entities pushed by their own code (keyed by local id, in one server transaction per group), after the
 * tables of {@link syncedTables}: PK settings by patient id, then deletions and undos, which name a patient
 * or session, so they go after sessions.
 */
const ownPushers: Record<string, (peer: SyncPeer, localId: number) => Promise<void>> = {
  patient_pk_settings: pushPkSettings,
  deletion_audit: pushDeletionEvent,
};

/** The push order: referenced entities first, then sessions, then deletions that name them. */
const entityOrder = [
  ...syncedTables.map((t) => t.table),
  'patient_pk_settings',
  'sessions',
  'deletion_audit',
];

/** Every queued change, in push order. */
export function outboxEntries(db: Db): OutboxEntry[] {
  const rows = db.prepare('SELECT entity, local_id, version FROM sync_outbox').all() as OutboxEntry[];
  const rank = (e: string): number => entityOrder.indexOf(e);
  return rows.sort((a, b) => rank(a.entity) - rank(b.entity) || a.local_id - b.local_id);
}

/** Queued changes of one kind pushed per server transaction (sessions go one by one). */
const entriesPerTransaction = 25;

/** Removes pushed entries from the outbox unless they changed again meanwhile (then they go next time). */
function dequeue(db: Db, entries: readonly OutboxEntry[]): void {
  const del = db.prepare('DELETE FROM sync_outbox WHERE entity = ? AND local_id = ? AND version = ?');
  db.transaction(() => {
    for (const e of entries) del.run(e.entity, e.local_id, e.version);
  }).immediate();
}

/**
 * Pushes queued changes in order: records of one kind in groups, each group in one server transaction, then
 * each session on its own; every group is removed from the outbox only after its transaction commits. Safe to
 * repeat after any interruption: every server write is keyed by UUID. Calls `onPushed` with the number done.
 */
export async function pushEntries(
  peer: SyncPeer,
  entries: readonly OutboxEntry[],
  onPushed?: (done: number) => void,
): Promise<number> {
  let done = 0;
  for (let i = 0; i < entries.length;) {
    const entity = entries[i]!.entity;
    let group: OutboxEntry[];
    if (entity === 'sessions') {
      group = [entries[i]!];
      await pushSession(peer, group[0]!.local_id);
    } else {
      const t = syncedTables.find((s) => s.table === entity);
      const own = ownPushers[entity];
      if (!t && !own) throw new Error(`The outbox names an unknown kind of record: ${entity}.`);
      group = [];
      for (
        let j = i;
        j < entries.length && entries[j]!.entity === entity && group.length < entriesPerTransaction;
        j++
      )
        group.push(entries[j]!);
      await serverTransaction(peer.client, 'exclusive', async () => {
        for (const e of group) await (t ? pushRow(peer, t, e.local_id) : own!(peer, e.local_id));
      });
    }
    dequeue(peer.db, group);
    i += group.length;
    done += group.length;
    onPushed?.(done);
  }
  return done;
}
