import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { connectServer, type ServerConnection } from '../../../src/storage/server-connection.node.js';
import { serverMigrations } from '../../../src/storage/server-migrations/index.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { freshDatabase } from '../storage/server-test-db.js';
import { recordSession, workstation } from '../storage/sync-fixture.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
});

/** Runs the CLI in-process with the connection in libpq's environment variables only. */
async function tonus(
  c: ServerConnection,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    PGHOST: c.host,
    PGPORT: String(c.port),
    PGUSER: c.user,
    PGPASSWORD: c.password,
    PGDATABASE: c.database,
    PGSSLROOTCERT: c.sslRootCertFile,
  });
  let out = '';
  let err = '';
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((out += s.toString()), true));
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  process.exitCode = undefined;
  try {
    const code = await runCli(argv);
    return { code: code || Number(process.exitCode ?? 0), out, err };
  } finally {
    process.exitCode = undefined;
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
    process.env = saved;
  }
}

describe('tonus server, sync and cohort', () => {
  it('initialises and migrates the server, adds a site, syncs a workstation and answers a cohort query', async () => {
    const database = await freshDatabase(cluster);
    const admin = { ...cluster.admin, database };
    const init = await tonus(admin, ['server', 'init', '--json']);
    expect(init.code).toBe(0);
    const versions = serverMigrations.map((m) => m.version);
    const latest = versions.at(-1);
    expect(JSON.parse(init.out)).toEqual({ applied: versions, version: latest, latest });
    const again = await tonus(admin, ['server', 'migrate']);
    expect(again.out).toBe(`server schema already at version ${latest}\n`);
    const site = await tonus(admin, [
      'server',
      'add-site',
      '--site',
      'north',
      '--name',
      'North',
      '--role',
      'cli_north',
    ]);
    expect(site.out).toMatch(/site north syncs as role cli_north/);
    const c = await connectServer(admin);
    await c.query("ALTER ROLE cli_north PASSWORD 'north-pw'");
    await c.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cli_study') THEN CREATE ROLE cli_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study; END IF; END $$",
    );
    await c.end();

    const ws = workstation();
    const p = createPatient(ws.db, { code: 'N-1' });
    recordSession(ws.db, p.id, 1.7e12, 2);
    ws.db.close();
    const north = cluster.as('cli_north', 'north-pw', database);
    const sync = await tonus(north, ['--data-dir', ws.dir, 'sync', '--json']);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.out)).toMatchObject({ pushed: 2, pending: 0 });

    const study = cluster.as('cli_study', 'study-pw', database);
    const cohort = await tonus(study, ['cohort', '--indicator', 'rmsHV', '--json']);
    expect(cohort.code).toBe(0);
    expect(JSON.parse(cohort.out)).toEqual({
      indicator: 'rmsHV',
      groups: [
        {
          phase: 'peak',
          cRelBand: '≥ 0.75',
          sessions: 1,
          patients: 1,
          sites: 1,
          mean: 12.5,
          sd: null,
          median: 12.5,
          unit: 'uV',
        },
      ],
    });
    const human = await tonus(study, ['cohort', '--indicator', 'rmsHV']);
    expect(human.out).toBe(
      'peak       C_rel ≥ 0.75    12.50 uV (median 12.50, sd –; 1 sessions, 1 patients, 1 sites)\n',
    );

    const refused = await tonus({ ...study, port: 1 }, ['sync', '--data-dir', ws.dir]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/sync failed: The server localhost:1 is not answering/);
  });
});
