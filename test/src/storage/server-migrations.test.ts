import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { addSite, migrateServer, serverSchemaVersion } from '../../../src/storage/server-migrate.node.js';
import { serverMigrations } from '../../../src/storage/server-migrations/index.js';
import { seedSiteRows } from './server-rows.js';
import { freshDatabase } from './server-test-db.js';
import { clusterForFile } from './sync-fixture.js';

const file = clusterForFile();
const { connect } = file;

async function adminOn(upTo: number): Promise<{ admin: pg.Client; database: string }> {
  const database = await freshDatabase(file.cluster);
  const admin = await connect({ ...file.cluster.admin, database });
  await migrateServer(admin, serverMigrations.slice(0, upTo));
  return { admin, database };
}

describe('server migrations runner', () => {
  it('applies every migration once, records them, and refuses a server newer than it knows', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    expect(await serverSchemaVersion(admin)).toBe(0);
    expect(await migrateServer(admin)).toEqual(serverMigrations.map((m) => m.version));
    expect(await migrateServer(admin)).toEqual([]);
    const rows = await admin.query('SELECT version, name FROM tonus.schema_migrations ORDER BY version');
    expect(rows.rows).toEqual(serverMigrations.map((m) => ({ version: m.version, name: m.name })));
    await expect(migrateServer(admin, serverMigrations.slice(0, 1))).rejects.toThrow(/newer than this Tonus/);
  });

  it('rolls a failing migration back whole', async () => {
    const { admin } = await adminOn(1);
    const broken = {
      version: 2,
      name: 'broken',
      up: 'CREATE TABLE tonus.half (n int); SELECT no_such_function();',
    };
    await expect(migrateServer(admin, [serverMigrations[0]!, broken])).rejects.toThrow(
      /migration 2 \(broken\)/,
    );
    expect(await serverSchemaVersion(admin)).toBe(1);
    expect((await admin.query("SELECT to_regclass('tonus.half') AS t")).rows[0].t).toBeNull();
  });
});

describe('server 0001 sync-core', () => {
  it('keeps completed sessions and chunks immutable and the audit tables append-only', async () => {
    const { admin } = await adminOn(1);
    await admin.query("INSERT INTO tonus.sites (site_id, name) VALUES ('a', 'Clinic A')");
    const p = '01890000-0000-7000-8000-00000000000a';
    const s = '01890000-0000-7000-8000-00000000000b';
    await seedSiteRows(admin, {
      siteId: 'a',
      patientUuid: p,
      sessionUuid: s,
      code: 'P1',
      value: 1,
      phase: 'peak',
      cRel: 0.9,
    });
    await admin.query("UPDATE tonus.sessions SET change_seq = nextval('tonus.change_seq') WHERE uuid = $1", [
      s,
    ]);
    await expect(
      admin.query("UPDATE tonus.sessions SET note = 'changed' WHERE uuid = $1", [s]),
    ).rejects.toThrow(/immutable/);
    await admin.query(
      `INSERT INTO tonus.sample_chunks (session_uuid, site_id, stream_id, first_seq, sample_count, channel_count,
         first_time_ms, last_time_ms, data) VALUES ($1, 'a', 'exg', 0, 1, 1, 0, 0, '\\x00000000')`,
      [s],
    );
    await expect(admin.query('UPDATE tonus.sample_chunks SET sample_count = 2')).rejects.toThrow(/immutable/);
    await expect(admin.query('DELETE FROM tonus.sample_chunks')).rejects.toThrow(/append-only/);
    await admin.query(
      `INSERT INTO tonus.dose_events (uuid, site_id, workstation_id, patient_uuid, time_ms, route, kind, amount, unit,
         status, deleted, created_at, updated_at)
       VALUES ($1, 'a', $1, $2, 0, 'oral', 'scheduled', 5, 'mg', 'taken', 0, 'x', 'x')`,
      [s.replace('b', 'c'), p],
    );
    await admin.query(
      `INSERT INTO tonus.dose_audit (uuid, dose_event_uuid, patient_uuid, site_id, workstation_id, action, changed_by,
         changed_at) VALUES ($1, $2, $3, 'a', $1, 'create', 'me', 'x')`,
      [s.replace('b', 'd'), s.replace('b', 'c'), p],
    );
    await expect(admin.query("UPDATE tonus.dose_audit SET reason = 'rewrite'")).rejects.toThrow(/immutable/);
    await expect(admin.query('DELETE FROM tonus.dose_audit')).rejects.toThrow(/append-only/);
    await expect(
      admin.query(
        `INSERT INTO tonus.patients (uuid, site_id, workstation_id, code, created_at, updated_at)
         VALUES ($1, 'a', $1, 'P1', 'x', 'x')`,
        [s.replace('b', 'e')],
      ),
    ).rejects.toThrow(/duplicate key/);
  });
});

describe('server 0002 site-security', () => {
  it("gives each site a role that reads and writes only its own site's rows", async () => {
    const { admin, database } = await adminOn(2);
    await addSite(admin, { siteId: 'north', name: 'North clinic', role: 'm2_north', syncChunks: true });
    await addSite(admin, { siteId: 'south', name: 'South clinic', role: 'm2_south', syncChunks: false });
    await admin.query("ALTER ROLE m2_north PASSWORD 'north-pw'");
    await admin.query("ALTER ROLE m2_south PASSWORD 'south-pw'");
    const pn = '01890000-0000-7000-8000-0000000000a1';
    const ps = '01890000-0000-7000-8000-0000000000b1';
    await seedSiteRows(admin, {
      siteId: 'north',
      patientUuid: pn,
      sessionUuid: pn.replace('a1', 'a2'),
      code: 'N1',
      value: 1,
      phase: 'peak',
      cRel: 0.9,
    });
    await seedSiteRows(admin, {
      siteId: 'south',
      patientUuid: ps,
      sessionUuid: ps.replace('b1', 'b2'),
      code: 'S1',
      value: 2,
      phase: 'trough',
      cRel: 0.2,
    });

    const north = await connect(file.cluster.as('m2_north', 'north-pw', database));
    expect((await north.query('SELECT code FROM tonus.patients')).rows).toEqual([{ code: 'N1' }]);
    expect((await north.query('SELECT site_id FROM tonus.sessions')).rows).toEqual([{ site_id: 'north' }]);
    expect((await north.query('SELECT site_id FROM tonus.sites')).rows).toEqual([{ site_id: 'north' }]);
    expect((await north.query('SELECT count(*)::int AS n FROM tonus.session_indicators')).rows[0].n).toBe(1);
    expect((await north.query('SELECT * FROM tonus.patients WHERE uuid = $1', [ps])).rows).toEqual([]);
    expect((await north.query("UPDATE tonus.patients SET note = 'x' WHERE site_id = 'south'")).rowCount).toBe(
      0,
    );
    await expect(
      north.query(
        `INSERT INTO tonus.patients (uuid, site_id, workstation_id, code, created_at, updated_at)
         VALUES ('01890000-0000-7000-8000-0000000000c1', 'south', $1, 'X', 'x', 'x')`,
        [pn],
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(north.query('SELECT * FROM tonus.study_sessions')).rejects.toThrow();
    const south = await connect(file.cluster.as('m2_south', 'south-pw', database));
    expect((await south.query('SELECT code FROM tonus.patients')).rows).toEqual([{ code: 'S1' }]);
  });
});

describe('server 0003 study-and-cohort', () => {
  it('gives the study role pooled pseudonymous rows only, and cohort aggregates by phase and C_rel', async () => {
    const { admin, database } = await adminOn(3);
    await addSite(admin, { siteId: 'east', name: 'East', role: 'm3_east', syncChunks: true });
    await addSite(admin, { siteId: 'west', name: 'West', role: 'm3_west', syncChunks: true });
    await admin.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'm3_study') THEN CREATE ROLE m3_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study; END IF; END $$",
    );
    const u = (n: number): string => `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`;
    await seedSiteRows(admin, {
      siteId: 'east',
      patientUuid: u(1),
      sessionUuid: u(2),
      code: 'E1',
      value: 10,
      phase: 'peak',
      cRel: 0.9,
    });
    await seedSiteRows(admin, {
      siteId: 'west',
      patientUuid: u(3),
      sessionUuid: u(4),
      code: 'W1',
      value: 20,
      phase: 'peak',
      cRel: 0.8,
    });
    await seedSiteRows(admin, {
      siteId: 'west',
      patientUuid: u(5),
      sessionUuid: u(6),
      code: 'W2',
      value: 40,
      phase: 'trough',
      cRel: 0.1,
    });

    const study = await connect(file.cluster.as('m3_study', 'study-pw', database));
    const rows = await study.query('SELECT * FROM tonus.study_sessions ORDER BY value');
    expect(rows.rows.map((r) => [r.site_id, r.value])).toEqual([
      ['east', 10],
      ['west', 20],
      ['west', 40],
    ]);
    const columns = rows.fields.map((f) => f.name);
    for (const secret of ['code', 'note', 'source_file', 'clinical_json', 'context_json'])
      expect(columns).not.toContain(secret);
    expect(JSON.stringify(rows.rows)).not.toMatch(/free text|session note|rec\.bdf|E1|W1/);
    await expect(study.query('SELECT * FROM tonus.patients')).rejects.toThrow(/permission denied/);
    await expect(study.query('SELECT * FROM tonus.session_indicators')).rejects.toThrow(/permission denied/);

    const cohort = await study.query("SELECT * FROM tonus.cohort('rest-rms')");
    expect(cohort.rows).toEqual([
      {
        phase: 'peak',
        c_rel_band: '≥ 0.75',
        sessions: 2,
        patients: 2,
        sites: 2,
        mean: 15,
        sd: Math.sqrt(50),
        median: 15,
        unit: 'uV',
      },
      {
        phase: 'trough',
        c_rel_band: '0–0.25',
        sessions: 1,
        patients: 1,
        sites: 1,
        mean: 40,
        sd: null,
        median: 40,
        unit: 'uV',
      },
    ]);
  });
});
