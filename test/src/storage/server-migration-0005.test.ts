import { describe, expect, it } from 'vitest';
import { addSite, migrateServer } from '../../../src/storage/server-migrate.node.js';
import { serverMigrations } from '../../../src/storage/server-migrations/index.js';
import { seedSiteRows } from './server-rows.js';
import { freshDatabase } from './server-test-db.js';
import { clusterForFile } from './sync-fixture.js';

const file = clusterForFile();
const { connect } = file;

const u = (n: number): string => `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('server 0005 sync-deletions-and-settings', () => {
  it('adds deletion events (append-only, latest decides), PK settings and analysis events under site security', async () => {
    const database = await freshDatabase(file.cluster);
    const admin = await connect({ ...file.cluster.admin, database });
    const before = serverMigrations.filter((m) => m.version < 5);
    await migrateServer(admin, before);
    for (const site of ['n5', 's5']) {
      await addSite(admin, { siteId: site, name: site, role: `m5_${site}`, syncChunks: true });
      await admin.query(`ALTER ROLE m5_${site} PASSWORD 'pw'`);
    }
    await seedSiteRows(admin, {
      siteId: 'n5',
      patientUuid: u(1),
      sessionUuid: u(2),
      code: 'N1',
      value: 1,
      phase: 'peak',
      cRel: 0.9,
    });
    // A server with sessions and chunks migrates: the old rows stay, the new columns are empty.
    await admin.query(
      `INSERT INTO tonus.sample_chunks (session_uuid, site_id, stream_id, first_seq, sample_count, channel_count,
         first_time_ms, last_time_ms, data) VALUES ($1, 'n5', 'exg', 0, 1, 1, 0, 0, '\\x00000000')`,
      [u(2)],
    );
    expect(await migrateServer(admin)).toEqual(
      serverMigrations.filter((m) => m.version >= 5).map((m) => m.version),
    );
    expect((await admin.query('SELECT end_reason, end_detail FROM tonus.sessions')).rows).toEqual([
      { end_reason: null, end_detail: null },
    ]);
    expect((await admin.query('SELECT digest FROM tonus.sample_chunks')).rows).toEqual([{ digest: null }]);

    const north = await connect(file.cluster.as('m5_n5', 'pw', database));
    const south = await connect(file.cluster.as('m5_s5', 'pw', database));
    const event = (uuid: string, action: string, atMs: number, ws: string) =>
      north.query(
        `INSERT INTO tonus.deletion_events (uuid, site_id, workstation_id, entity, entity_uuid, action, at_ms, description)
         VALUES ($1, 'n5', $2, 'session', $3, $4, $5, 'Session of N1')`,
        [uuid, ws, u(2), action, atMs],
      );
    await event(u(10), 'delete', 100, u(90));
    await event(u(11), 'undo', 200, u(91));
    await event(u(12), 'delete', 200, u(92));
    const visibility = 'SELECT entity_uuid::text AS e, deleted, at_ms FROM tonus.entity_visibility';
    // Same time: the larger workstation id decides.
    expect((await north.query(visibility)).rows).toEqual([{ e: u(2), deleted: true, at_ms: 200 }]);
    await expect(north.query("UPDATE tonus.deletion_events SET action = 'undo'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(admin.query("UPDATE tonus.deletion_events SET action = 'undo'")).rejects.toThrow(
      /immutable/,
    );
    await expect(admin.query('DELETE FROM tonus.deletion_events')).rejects.toThrow(/append-only/);
    expect((await south.query(visibility)).rows).toEqual([]);
    expect((await south.query('SELECT count(*)::int AS n FROM tonus.deletion_events')).rows[0].n).toBe(0);

    await north.query(
      `INSERT INTO tonus.patient_pk_settings (patient_uuid, site_id, workstation_id, age_group, half_life_h, tmax_h,
         time_zone, absolute_mode, updated_at) VALUES ($1, 'n5', $2, 'child', 4, 1, 'Europe/Oslo', 0, 'x')`,
      [u(1), u(90)],
    );
    await north.query('UPDATE tonus.patient_pk_settings SET half_life_h = 5');
    expect((await south.query('SELECT count(*)::int AS n FROM tonus.patient_pk_settings')).rows[0].n).toBe(0);
    await expect(
      south.query(
        `INSERT INTO tonus.patient_pk_settings (patient_uuid, site_id, workstation_id, age_group, half_life_h, tmax_h,
           time_zone, absolute_mode, updated_at) VALUES ($1, 'n5', $2, 'child', 4, 1, 'UTC', 0, 'x')`,
        [u(1), u(90)],
      ),
    ).rejects.toThrow(/row-level security/);

    await admin.query(
      `INSERT INTO tonus.analyses (uuid, session_uuid, site_id, algorithm_version, params_json, summary_json, created_at)
       VALUES ($1, $2, 'n5', '1', '{}', '{}', 'x')`,
      [u(3), u(2)],
    );
    await north.query(
      `INSERT INTO tonus.analysis_events (analysis_uuid, site_id, kind, event_index, start_s, values_json)
       VALUES ($1, 'n5', 'stretch', 0, 1.5, '{}')`,
      [u(3)],
    );
    await expect(north.query('DELETE FROM tonus.analysis_events')).rejects.toThrow(/permission denied/);
    await expect(admin.query('UPDATE tonus.analysis_events SET start_s = 2')).rejects.toThrow(/immutable/);
    expect((await south.query('SELECT count(*)::int AS n FROM tonus.analysis_events')).rows[0].n).toBe(0);
  });
});
