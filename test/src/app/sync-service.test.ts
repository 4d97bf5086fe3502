import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialStore } from '../../../src/app/credentials.js';
import { SyncService } from '../../../src/app/services/sync-service.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { connectServer, type ServerConnection } from '../../../src/storage/server-connection.node.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { recordSession, siteServer, workstation } from '../storage/sync-fixture.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
});

/** An in-memory stand-in for the OS keychain. */
const memoryKeychain = (): CredentialStore & { secrets: Map<string, string> } => {
  const secrets = new Map<string, string>();
  return { secrets, get: (k) => secrets.get(k), set: (k, v) => void secrets.set(k, v) };
};

describe('sync in the app', () => {
  it('is off until a server is set, keeps the password in the keychain only, and reports status in words', async () => {
    const { site } = await siteServer(cluster, { siteId: 'app', role: 'app_site' });
    const ws = workstation();
    const keychain = memoryKeychain();
    const sync = new SyncService({ db: ws.db }, keychain, {});
    expect(sync.status()).toMatchObject({
      server: null,
      pending: 0,
      error: null,
      syncing: false,
      keychain: true,
    });
    createPatient(ws.db, { code: 'APP-1' });
    expect((await sync.syncNow()).pending).toBe(1);

    const server = {
      host: site.host,
      port: site.port,
      database: site.database,
      user: site.user,
      caFile: site.sslRootCertFile,
    };
    const status = sync.setServer({ ...server, password: site.password! });
    expect(status.server).toBe(`localhost:${site.port}, database ${site.database}, as app_site`);
    expect(keychain.secrets.get('sync-server-password')).toBe(site.password);
    expect(JSON.stringify(ws.db.prepare('SELECT * FROM settings').all())).not.toContain(site.password!);

    const after = await sync.syncNow();
    expect(after).toMatchObject({ pending: 0, error: null, site: 'app', syncing: false });
    expect(after.lastSuccessAt).not.toBeNull();

    keychain.set('sync-server-password', 'wrong');
    createPatient(ws.db, { code: 'APP-2' });
    const refused = await sync.syncNow();
    expect(refused.error).toMatch(/refused the login of role "app_site"/);
    expect(refused.pending).toBe(1);
    await sync.close();
    ws.db.close();
  });

  it("answers the cohort view from the server for a study role, and says in words why a site's role may not", async () => {
    const { site, admin } = await siteServer(cluster, { siteId: 'coh', role: 'app_coh' });
    const ws = workstation();
    const p = createPatient(ws.db, { code: 'C-1' });
    recordSession(ws.db, p.id, 1.7e12, 2);
    const env = (c: ServerConnection) => ({
      PGHOST: c.host,
      PGPORT: String(c.port),
      PGUSER: c.user,
      PGPASSWORD: c.password,
      PGDATABASE: c.database,
      PGSSLROOTCERT: c.sslRootCertFile,
    });
    const asSite = new SyncService({ db: ws.db }, undefined, env(site));
    expect((await asSite.syncNow()).pending).toBe(0);
    await expect(asSite.cohort('rmsHV')).rejects.toThrow(/role "app_coh" is not allowed.*permission denied/);

    const c = await connectServer(admin);
    await c.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_study') THEN CREATE ROLE app_study LOGIN PASSWORD 'study' IN ROLE tonus_study; END IF; END $$",
    );
    await c.end();
    const asStudy = new SyncService(
      { db: ws.db },
      undefined,
      env(cluster.as('app_study', 'study', site.database)),
    );
    expect(await asStudy.cohort('rmsHV')).toEqual([
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
    ]);
    await expect(new SyncService({ db: ws.db }, undefined, {}).cohort('rmsHV')).rejects.toThrow(
      /No clinic or study server is set up/,
    );
    ws.db.close();
  });

  it("recomputes a session's dose context when another workstation's doses arrive", async () => {
    const { site } = await siteServer(cluster, { siteId: 'ctx', role: 'app_ctx' });
    const env = {
      PGHOST: site.host,
      PGPORT: String(site.port),
      PGUSER: site.user,
      PGPASSWORD: site.password,
      PGDATABASE: site.database,
      PGSSLROOTCERT: site.sslRootCertFile,
    };
    const laptop = workstation();
    const desktop = workstation();
    const p = createPatient(laptop.db, { code: 'CTX-1', weightKg: 25 });
    const start = Date.parse('2026-11-30T10:00:00Z');
    const session = recordSession(laptop.db, p.id, start, 2);
    const context = () =>
      laptop.db
        .prepare('SELECT phase, hours_since_dose FROM session_dose_context WHERE session_id = ?')
        .get(session);
    expect(context()).toEqual({ phase: 'peak', hours_since_dose: null });
    const laptopSync = new SyncService({ db: laptop.db }, undefined, env);
    const desktopSync = new SyncService({ db: desktop.db }, undefined, env);
    expect((await laptopSync.syncNow()).error).toBeNull();
    expect((await desktopSync.syncNow()).error).toBeNull();
    const onDesktop = desktop.db
      .prepare("SELECT id FROM patients WHERE code = 'CTX-1'")
      .pluck()
      .get() as number;
    new DoseRepository(desktop.db).addDoses(
      onDesktop,
      [
        {
          timeMs: start - 2 * 3600e3,
          route: 'oral',
          kind: 'scheduled',
          amount: 5,
          unit: 'mg',
          status: 'taken',
        },
      ],
      'desktop',
    );
    expect((await desktopSync.syncNow()).error).toBeNull();
    expect((await laptopSync.syncNow()).error).toBeNull();
    expect(context()).toMatchObject({ hours_since_dose: 2 });
    expect((await laptopSync.syncNow()).pending).toBe(0);
    laptop.db.close();
    desktop.db.close();
  });

  it('refuses a password where there is no keychain, pointing to .pgpass', () => {
    const ws = workstation();
    const sync = new SyncService({ db: ws.db }, undefined, {});
    expect(() =>
      sync.setServer({ host: 'h', port: 5432, database: 'd', user: 'u', password: 'secret' }),
    ).toThrow(/no keychain.*\.pgpass/);
    expect(sync.setServer({ host: 'h', port: 5432, database: 'd', user: 'u' }).server).toBe(
      'h:5432, database d, as u',
    );
    ws.db.close();
  });
});
