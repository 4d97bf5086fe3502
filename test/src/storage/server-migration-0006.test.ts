import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/storage/database.node.js';
import { softDelete, undoDelete } from '../../../src/storage/deletions.node.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { migrateServer } from '../../../src/storage/server-migrate.node.js';
import { serverMigrations } from '../../../src/storage/server-migrations/index.js';
import { runSync } from '../../../src/storage/sync-run.node.js';
import {
  cohortByJoin,
  cohortDifferences,
  visibleRowsCte,
  type CohortRow,
} from '../../support/cohort-by-join.js';
import { cohortSites, patientUuid, seedCohort, sessionUuid } from './cohort-seed.js';
import { freshDatabase } from './server-test-db.js';
import { clinic, clusterForFile, recordSession } from './sync-fixture.js';

const file = clusterForFile();

const { connect } = file;

/** Site of seeded session `i` and of seeded patient `i` (the seed puts patient p at site p % 3). */
const siteOf = (i: number): string => cohortSites[i % 3]!;

let eventCounter = 0;
/** Appends one deletion event, as a push does (the site is the event's own unless `site` says otherwise). */
async function event(
  client: pg.Client,
  e: {
    entity: 'session' | 'patient';
    uuid: string;
    action: 'delete' | 'undo';
    atMs: number;
    site: string;
    workstation?: string;
  },
): Promise<void> {
  await client.query(
    `INSERT INTO tonus.deletion_events (uuid, site_id, workstation_id, entity, entity_uuid, action, at_ms, description)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'an item')`,
    [
      `01890000-0000-7000-8009-${String(++eventCounter).padStart(12, '0')}`,
      e.site,
      e.workstation ?? '01890000-0000-7000-8008-000000000001',
      e.entity,
      e.uuid,
      e.action,
      e.atMs,
    ],
  );
}

/** A delete or undo of seeded session `i` (of seeded patient `i` with {@link patientEvent}) at `atMs`, by `site`. */
const sessionEvent = (
  client: pg.Client,
  i: number,
  action: 'delete' | 'undo',
  atMs: number,
  site = siteOf(i),
): Promise<void> => event(client, { entity: 'session', uuid: sessionUuid(i), action, atMs, site });
const patientEvent = (
  client: pg.Client,
  i: number,
  action: 'delete' | 'undo',
  atMs: number,
  site = siteOf(i),
): Promise<void> => event(client, { entity: 'patient', uuid: patientUuid(i), action, atMs, site });

/** Writes one session's indicator row (as a push does after replacing a session's derived rows). */
async function insertIndicator(
  client: pg.Client,
  session: number,
  patient: number,
  value: number,
): Promise<void> {
  await client.query(
    `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id,
       value, unit, n, quality_json, algorithm_version, protocol)
     VALUES ($1, $2, $3, 1.7e12, 'rmsHV', $4, 'u', 1, '[]', '1', 'passive-stretch')`,
    [sessionUuid(session), siteOf(patient), patientUuid(patient), value],
  );
}

/** Adds a session of `patient` that the seed did not make, with a dose context and one indicator row. */
async function addSession(admin: pg.Client, session: number, patient: number): Promise<void> {
  await admin.query(
    `INSERT INTO tonus.sessions (uuid, site_id, workstation_id, patient_uuid, protocol, device_id, device_name,
       origin, start_time_ms, end_time_ms, status, streams_json, dropped_samples, gap_count, created_at)
     VALUES ($1, $2, $3, $3, 'passive-stretch', 'synthetic', 'Demo', 'live', 1.7e12, 1.7e12 + 1, 'complete',
       '[]', 0, 0, 'x')`,
    [sessionUuid(session), siteOf(patient), patientUuid(patient)],
  );
  await admin.query(
    `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
     VALUES ($1, $2, 'oral', 'peak', 0.6, '{}', 'x')`,
    [sessionUuid(session), siteOf(patient)],
  );
  await insertIndicator(admin, session, patient, 42);
}

async function cohort(client: pg.Client, indicator: string): Promise<CohortRow[]> {
  return (await client.query('SELECT * FROM tonus.cohort($1)', [indicator])).rows as CohortRow[];
}

/** Sessions (seed numbers) whose rows the study view shows, and those the deletion events leave visible. */
async function visibleSessions(admin: pg.Client): Promise<{ view: string[]; byEvents: string[] }> {
  const view = await admin.query(
    'SELECT DISTINCT session_pseudonym::text AS s FROM tonus.study_sessions ORDER BY 1',
  );
  const byEvents = await admin.query(
    `WITH ${visibleRowsCte('true')} SELECT DISTINCT session_uuid::text AS s FROM s ORDER BY 1`,
  );
  return { view: view.rows.map((r) => r.s), byEvents: byEvents.rows.map((r) => r.s) };
}

/**
 * The cohort equals the join definition over visible items on every indicator; the study view shows exactly
 * the visible sessions; the patient counts equal a fresh count of visible rows; and the flag equals the rule.
 */
async function expectCohortOfVisible(admin: pg.Client): Promise<void> {
  for (const indicator of ['rmsHV', 'catchAngleDeg']) {
    const fast = await cohort(admin, indicator);
    expect(fast.length).toBeGreaterThan(10);
    expect(cohortDifferences(fast, await cohortByJoin(admin, indicator))).toEqual([]);
  }
  const { view, byEvents } = await visibleSessions(admin);
  expect(view).toEqual(byEvents);
  const drift = await admin.query(`
    SELECT * FROM (
      SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*) AS row_count
      FROM tonus.session_indicators WHERE NOT hidden GROUP BY 1, 2, 3, 4, 5
    ) fresh FULL JOIN tonus.cohort_patients kept USING (indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid)
    WHERE fresh.row_count IS DISTINCT FROM kept.row_count`);
  expect(drift.rows).toEqual([]);
  const wrongFlag = await admin.query(`
    WITH ${visibleRowsCte('true')}
    SELECT i.id FROM tonus.session_indicators i LEFT JOIN s USING (id) WHERE i.hidden <> (s.id IS NULL)`);
  expect(wrongFlag.rows).toEqual([]);
}

/** Whether every row of seeded session `i` is hidden (null when it has none). */
async function hidden(admin: pg.Client, i: number): Promise<boolean | null> {
  const r = await admin.query(
    'SELECT bool_and(hidden) AS h FROM tonus.session_indicators WHERE session_uuid = $1',
    [sessionUuid(i)],
  );
  return r.rows[0].h as boolean | null;
}

/** A fresh database of the test cluster, migrated, with the cohort of roles `prefix`_* seeded; its admin client. */
async function migratedCohort(prefix: string): Promise<{ database: string; admin: pg.Client }> {
  const database = await freshDatabase(file.cluster);
  const admin = await connect({ ...file.cluster.admin, database });
  await migrateServer(admin);
  await seedCohort(admin, prefix);
  return { database, admin };
}

const totalSessions = async (client: pg.Client): Promise<number> =>
  (await cohort(client, 'rmsHV')).reduce((n, g) => n + Number(g.sessions), 0);

describe('server 0006 cohort-without-deleted', () => {
  it('backfills a server that already holds deletions: the cohort leaves out what the clinics deleted', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    await migrateServer(
      admin,
      serverMigrations.filter((m) => m.version < 6),
    );
    await seedCohort(admin, 'm6a');
    expect(await totalSessions(admin)).toBe(240);
    await sessionEvent(admin, 1, 'delete', 100);
    await sessionEvent(admin, 2, 'delete', 100);
    await sessionEvent(admin, 2, 'undo', 200);
    await patientEvent(admin, 4, 'delete', 100);
    // Same time on two workstations: the larger workstation id decides (delete).
    const tie = { entity: 'session', uuid: sessionUuid(5), atMs: 300, site: siteOf(5) } as const;
    await event(admin, { ...tie, action: 'delete', workstation: '01890000-0000-7000-8008-00000000000f' });
    await event(admin, { ...tie, action: 'undo', workstation: '01890000-0000-7000-8008-00000000000a' });
    // An event naming another site's session changes nothing there.
    await sessionEvent(admin, 7, 'delete', 100, siteOf(8));

    expect(await migrateServer(admin)).toEqual([6]);
    const pages = await admin.query(
      "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'tonus.session_indicators'::regclass",
    );
    expect(pages.rows[0].relallvisible).toBe(pages.rows[0].relpages);
    // Session 1, the 20 sessions of patient 4 (every 12th from 4), and session 5.
    expect(await totalSessions(admin)).toBe(240 - 22);
    expect([
      await hidden(admin, 1),
      await hidden(admin, 2),
      await hidden(admin, 5),
      await hidden(admin, 7),
    ]).toEqual([true, false, true, false]);
    await expectCohortOfVisible(admin);
  });

  it('keeps the cohort to visible items whatever order events and rows arrive in', async () => {
    const { admin } = await migratedCohort('m6b');
    await expectCohortOfVisible(admin);

    // Delete after the rows, then undo.
    await sessionEvent(admin, 1, 'delete', 100);
    expect(await hidden(admin, 1)).toBe(true);
    await expectCohortOfVisible(admin);
    await sessionEvent(admin, 1, 'undo', 200);
    expect(await hidden(admin, 1)).toBe(false);
    await expectCohortOfVisible(admin);

    // Events arrive out of order: a later undo first, then the earlier delete; the undo still decides.
    await sessionEvent(admin, 3, 'undo', 300);
    await sessionEvent(admin, 3, 'delete', 250);
    expect(await hidden(admin, 3)).toBe(false);

    // A patient deletion hides all of the patient's sessions; undoing one session does not bring it back;
    // undoing the patient brings back all but the session deleted on its own.
    await sessionEvent(admin, 18, 'delete', 400, siteOf(6));
    await patientEvent(admin, 6, 'delete', 500);
    const ofPatient6 = Array.from({ length: 20 }, (_, k) => 6 + 12 * k);
    for (const i of ofPatient6) expect(await hidden(admin, i)).toBe(true);
    await expectCohortOfVisible(admin);
    await sessionEvent(admin, 6, 'undo', 600);
    expect(await hidden(admin, 6)).toBe(true);
    await patientEvent(admin, 6, 'undo', 700);
    for (const i of ofPatient6) expect(await hidden(admin, i)).toBe(i === 18);
    await expectCohortOfVisible(admin);

    // A delete arriving before the rows: a push replaces a session's indicator rows after the event came.
    await admin.query('DELETE FROM tonus.session_indicators WHERE session_uuid = $1', [sessionUuid(9)]);
    await sessionEvent(admin, 9, 'delete', 100);
    await insertIndicator(admin, 9, 9, 11);
    expect(await hidden(admin, 9)).toBe(true);
    // … and before the session itself; then undone.
    await sessionEvent(admin, 240, 'delete', 100, siteOf(0));
    await addSession(admin, 240, 0);
    expect(await hidden(admin, 240)).toBe(true);
    await expectCohortOfVisible(admin);
    await sessionEvent(admin, 240, 'undo', 150, siteOf(0));
    expect(await hidden(admin, 240)).toBe(false);
    // A session of a patient deleted before it arrived.
    await patientEvent(admin, 10, 'delete', 100);
    await addSession(admin, 241, 10);
    expect(await hidden(admin, 241)).toBe(true);
    await expectCohortOfVisible(admin);

    // A direct write of the flag is overruled by the events.
    await admin.query('UPDATE tonus.session_indicators SET hidden = false WHERE session_uuid = $1', [
      sessionUuid(241),
    ]);
    await admin.query('UPDATE tonus.session_indicators SET hidden = true WHERE session_uuid = $1', [
      sessionUuid(0),
    ]);
    expect([await hidden(admin, 241), await hidden(admin, 0)]).toEqual([true, false]);
    await expectCohortOfVisible(admin);
  });

  it('leaves the study role its pooled view and each site its own rows, with deleted items left out', async () => {
    const { database, admin } = await migratedCohort('m6c');
    await admin.query("ALTER ROLE m6c_north PASSWORD 'north-pw'");
    await admin.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'm6c_study') THEN CREATE ROLE m6c_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study; END IF; END $$",
    );
    const north = await connect(file.cluster.as('m6c_north', 'north-pw', database));
    const study = await connect(file.cluster.as('m6c_study', 'study-pw', database));

    // North deletes one of its sessions and one of its patients through its own role.
    await sessionEvent(north, 0, 'delete', 100, 'north');
    await patientEvent(north, 3, 'delete', 100, 'north');
    // North names a session of south (its UUID found somehow): the row-level security makes it north's event,
    // which hides nothing of south's.
    await sessionEvent(north, 1, 'delete', 100, 'north');
    await expect(
      event(north, { entity: 'session', uuid: sessionUuid(1), action: 'delete', atMs: 100, site: 'south' }),
    ).rejects.toThrow(/row-level security/);
    expect([await hidden(admin, 0), await hidden(admin, 3), await hidden(admin, 1)]).toEqual([
      true,
      true,
      false,
    ]);
    await expectCohortOfVisible(admin);

    const pooled = await cohort(study, 'rmsHV');
    expect(cohortDifferences(pooled, await cohortByJoin(admin, 'rmsHV'))).toEqual([]);
    expect(pooled.reduce((n, g) => n + Number(g.sessions), 0)).toBe(240 - 20 - 1);
    const studyRows = await study.query(
      'SELECT DISTINCT session_pseudonym::text AS s FROM tonus.study_sessions',
    );
    expect(studyRows.rows.map((r) => r.s).sort()).toEqual((await visibleSessions(admin)).byEvents);
    for (const table of ['deletion_events', 'entity_visibility', 'session_indicators', 'cohort_patients'])
      await expect(study.query(`SELECT * FROM tonus.${table}`)).rejects.toThrow(/permission denied/);

    await expect(north.query("SELECT * FROM tonus.cohort('rmsHV')")).rejects.toThrow(/permission denied/);
    await expect(north.query('SELECT * FROM tonus.study_sessions')).rejects.toThrow(/permission denied/);
    await expect(
      north.query('SELECT tonus.indicator_hidden($1, $2, $3)', [sessionUuid(1), patientUuid(1), 'south']),
    ).rejects.toThrow(/permission denied/);
    // North cannot bring its deleted session back into the cohort by writing the flag, and sees only its rows.
    await north.query('UPDATE tonus.session_indicators SET hidden = false WHERE session_uuid = $1', [
      sessionUuid(0),
    ]);
    expect(await hidden(admin, 0)).toBe(true);
    const own = await north.query('SELECT DISTINCT site_id FROM tonus.session_indicators');
    expect(own.rows).toEqual([{ site_id: 'north' }]);
    await expectCohortOfVisible(admin);
  });

  it('through tonus sync: a deletion on one workstation leaves the study cohort, an undo on the other brings it back', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'm6d_clinic', file.keep);
    await admin.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'm6d_study') THEN CREATE ROLE m6d_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study; END IF; END $$",
    );
    const study = await connect(file.cluster.as('m6d_study', 'study-pw', site.database));
    const sync = async (db: Db): Promise<void> => {
      const r = await runSync(db, site);
      expect(r.error).toBeUndefined();
    };
    const studied = async (): Promise<number> => {
      const pooled = await cohort(study, 'rmsHV');
      expect(cohortDifferences(pooled, await cohortByJoin(admin, 'rmsHV'))).toEqual([]);
      return pooled.reduce((n, g) => n + Number(g.sessions), 0);
    };
    const p = createPatient(ws1, { code: 'P-A' });
    const q = createPatient(ws1, { code: 'P-B' });
    const s1 = recordSession(ws1, p.id, 1.7e12, 2);
    recordSession(ws1, p.id, 1.7e12 + 3600e3, 2);
    recordSession(ws1, q.id, 1.7e12 + 7200e3, 2);
    await sync(ws1);
    await sync(ws2);
    expect(await studied()).toBe(3);

    const idOn = (db: Db, table: string, uuid: unknown): number =>
      db.prepare(`SELECT id FROM ${table} WHERE uuid = ?`).pluck().get(uuid) as number;
    const uuidOn = (db: Db, table: string, id: number): string =>
      db.prepare(`SELECT uuid FROM ${table} WHERE id = ?`).pluck().get(id) as string;
    const t = Date.parse('2026-12-01T10:00:00Z');
    softDelete(ws1, 'session', s1, 'Session of P-A', t);
    softDelete(ws1, 'patient', q.id, 'Patient P-B with 1 session', t + 1);
    await sync(ws1);
    expect(await studied()).toBe(1);

    // The office, which pulled both deletions, undoes the patient; the session stays deleted.
    await sync(ws2);
    expect(undoDelete(ws2, 'patient', idOn(ws2, 'patients', uuidOn(ws1, 'patients', q.id)), t + 60_000)).toBe(
      true,
    );
    await sync(ws2);
    expect(await studied()).toBe(2);
    expect(undoDelete(ws2, 'session', idOn(ws2, 'sessions', uuidOn(ws1, 'sessions', s1)), t + 120_000)).toBe(
      true,
    );
    await sync(ws2);
    expect(await studied()).toBe(3);
  });
});
