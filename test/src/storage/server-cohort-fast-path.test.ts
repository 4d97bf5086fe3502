import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrateServer } from '../../../src/storage/server-migrate.node.js';
import { serverMigrations } from '../../../src/storage/server-migrations/index.js';
import { cohortByJoin, cohortDifferences, type CohortRow } from '../../support/cohort-by-join.js';
import { patientUuid, seedCohort as seed, sessionUuid } from './cohort-seed.js';
import { freshDatabase } from './server-test-db.js';
import { clusterForFile } from './sync-fixture.js';

const file = clusterForFile();
const { connect } = file;

async function cohort(client: pg.Client, indicator: string): Promise<CohortRow[]> {
  return (await client.query('SELECT * FROM tonus.cohort($1)', [indicator])).rows as CohortRow[];
}

/** The fast path equals 0003's definition on every indicator, and the patient counts equal a fresh count. */
async function expectSameAsByJoin(admin: pg.Client): Promise<void> {
  for (const indicator of ['rmsHV', 'catchAngleDeg']) {
    const fast = await cohort(admin, indicator);
    expect(fast.length).toBeGreaterThan(10);
    expect(cohortDifferences(fast, await cohortByJoin(admin, indicator))).toEqual([]);
  }
  const drift = await admin.query(`
    SELECT * FROM (
      SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*) AS row_count
      FROM tonus.session_indicators GROUP BY 1, 2, 3, 4, 5
    ) fresh FULL JOIN tonus.cohort_patients kept USING (indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid)
    WHERE fresh.row_count IS DISTINCT FROM kept.row_count`);
  expect(drift.rows).toEqual([]);
  const stale = await admin.query(`
    SELECT i.id FROM tonus.session_indicators i LEFT JOIN tonus.session_dose_context c USING (session_uuid, site_id)
    WHERE (i.dose_phase, i.c_rel) IS DISTINCT FROM (c.phase, c.c_rel)`);
  expect(stale.rows).toEqual([]);
}

describe('server 0004 cohort-fast-path', () => {
  it('backfills existing rows so the cohort gives the numbers 0003 gave', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    await migrateServer(admin, serverMigrations.slice(0, 3));
    await seed(admin, 'm4a');
    const before = { rmsHV: await cohort(admin, 'rmsHV'), catch: await cohort(admin, 'catchAngleDeg') };
    expect(before.rmsHV.map((g) => g.phase)).toContain('unknown');
    expect(before.rmsHV.map((g) => g.c_rel_band)).toContain('unknown');

    expect(await migrateServer(admin)).toContain(4);
    const pages = await admin.query(
      "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'tonus.session_indicators'::regclass",
    );
    expect(pages.rows[0].relpages).toBeGreaterThan(0);
    expect(pages.rows[0].relallvisible).toBe(pages.rows[0].relpages);
    expect(cohortDifferences(await cohort(admin, 'rmsHV'), before.rmsHV)).toEqual([]);
    expect(cohortDifferences(await cohort(admin, 'catchAngleDeg'), before.catch)).toEqual([]);
    await expectSameAsByJoin(admin);
  });

  it('keeps phase, C_rel and the patient counts right whatever order sync writes them in', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    await migrateServer(admin);
    await seed(admin, 'm4b');
    await expectSameAsByJoin(admin);

    // A push replaces a session's derived rows: dose context and indicators deleted, then inserted again.
    const s = sessionUuid(1);
    await admin.query('DELETE FROM tonus.session_dose_context WHERE session_uuid = $1', [s]);
    await expectSameAsByJoin(admin);
    await admin.query('DELETE FROM tonus.session_indicators WHERE session_uuid = $1', [s]);
    await admin.query(
      `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id,
         value, unit, n, quality_json, algorithm_version, protocol, dose_phase, c_rel)
       VALUES ($1, 'south', $2, 1.7e12, 'rmsHV', 99, 'u', 1, '[]', '1', 'passive-stretch', 'made-up', 0.99)`,
      [s, patientUuid(1)],
    );
    await expectSameAsByJoin(admin);
    await admin.query(
      `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
       VALUES ($1, 'south', 'oral', 'peak', 0.8, '{}', 'x')`,
      [s],
    );
    await expectSameAsByJoin(admin);
    // A recomputed dose context (another workstation's doses pulled) moves the session to another group.
    await admin.query(
      "UPDATE tonus.session_dose_context SET phase = 'trough', c_rel = 0.2 WHERE session_uuid IN ($1, $2)",
      [s, sessionUuid(2)],
    );
    await expectSameAsByJoin(admin);
    // A direct write of the derived columns is overruled by the dose context.
    await admin.query("UPDATE tonus.session_indicators SET dose_phase = 'peak' WHERE session_uuid = $1", [s]);
    await expectSameAsByJoin(admin);
    await admin.query('DELETE FROM tonus.session_indicators WHERE patient_uuid = $1', [patientUuid(4)]);
    await expectSameAsByJoin(admin);
    const gone = await admin.query(
      'SELECT count(*)::int AS n FROM tonus.cohort_patients WHERE patient_uuid = $1',
      [patientUuid(4)],
    );
    expect(gone.rows[0].n).toBe(0);
  });

  it('gives the pooled cohort to the study role only, and leaves each site its own rows', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    await migrateServer(admin);
    await seed(admin, 'm4c');
    await admin.query("ALTER ROLE m4c_north PASSWORD 'north-pw'");
    await admin.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'm4c_study') THEN CREATE ROLE m4c_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study; END IF; END $$",
    );

    const study = await connect(file.cluster.as('m4c_study', 'study-pw', database));
    const pooled = await cohort(study, 'rmsHV');
    expect(cohortDifferences(pooled, await cohortByJoin(admin, 'rmsHV'))).toEqual([]);
    expect(Math.max(...pooled.map((g) => Number(g.sites)))).toBe(3);
    for (const table of ['session_indicators', 'cohort_patients', 'session_dose_context'])
      await expect(study.query(`SELECT * FROM tonus.${table}`)).rejects.toThrow(/permission denied/);

    const north = await connect(file.cluster.as('m4c_north', 'north-pw', database));
    await expect(north.query("SELECT * FROM tonus.cohort('rmsHV')")).rejects.toThrow(/permission denied/);
    await expect(north.query('SELECT * FROM tonus.cohort_patients')).rejects.toThrow(/permission denied/);
    const own = await north.query('SELECT DISTINCT site_id FROM tonus.session_indicators');
    expect(own.rows).toEqual([{ site_id: 'north' }]);

    // The site replaces one of its session's derived rows, as a push does; the triggers keep the cohort right
    // and another site's rows untouched.
    const s = sessionUuid(0);
    const southBefore = await admin.query(
      "SELECT id, dose_phase, c_rel FROM tonus.session_indicators WHERE site_id = 'south' ORDER BY id",
    );
    await north.query('BEGIN');
    await north.query('DELETE FROM tonus.session_dose_context WHERE session_uuid = $1', [s]);
    await north.query('DELETE FROM tonus.session_indicators WHERE session_uuid = $1', [s]);
    await north.query(
      `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
       VALUES ($1, 'north', 'oral', 'absorption', 0.4, '{}', 'x')`,
      [s],
    );
    await north.query(
      `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id,
         value, unit, n, quality_json, algorithm_version, protocol)
       VALUES ($1, 'north', $2, 1.7e12, 'rmsHV', 12, 'u', 1, '[]', '1', 'passive-stretch')`,
      [s, patientUuid(0)],
    );
    await north.query('COMMIT');
    const mine = await north.query(
      'SELECT dose_phase, c_rel FROM tonus.session_indicators WHERE session_uuid = $1',
      [s],
    );
    expect(mine.rows).toEqual([{ dose_phase: 'absorption', c_rel: 0.4 }]);
    await expectSameAsByJoin(admin);

    // Rows that name a session of another site (its UUID found somehow): north's indicator row does not get
    // south's dose phase, and north's dose context does not reach south's indicator rows.
    const southWithContext = sessionUuid(4);
    const southWithout = sessionUuid(7);
    const named = await admin.query(
      'SELECT s.site_id, c.phase FROM tonus.sessions s LEFT JOIN tonus.session_dose_context c ON c.session_uuid = s.uuid WHERE s.uuid IN ($1, $2) ORDER BY s.uuid',
      [southWithContext, southWithout],
    );
    expect(named.rows).toEqual([
      { site_id: 'south', phase: 'absorption' },
      { site_id: 'south', phase: null },
    ]);
    await north.query(
      `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id,
         value, unit, n, quality_json, algorithm_version, protocol)
       VALUES ($1, 'north', $2, 1.7e12, 'rmsHV', 13, 'u', 1, '[]', '1', 'passive-stretch')`,
      [southWithContext, patientUuid(0)],
    );
    const probe = await north.query(
      'SELECT dose_phase, c_rel FROM tonus.session_indicators WHERE session_uuid = $1',
      [southWithContext],
    );
    expect(probe.rows).toEqual([{ dose_phase: null, c_rel: null }]);
    await north.query(
      `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
       VALUES ($1, 'north', 'oral', 'peak', 0.9, '{}', 'x')`,
      [southWithout],
    );
    const southAfter = await admin.query(
      "SELECT id, dose_phase, c_rel FROM tonus.session_indicators WHERE site_id = 'south' ORDER BY id",
    );
    expect(southAfter.rows).toEqual(southBefore.rows);
  });
});
