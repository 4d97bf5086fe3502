import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/storage/database.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { connectServer, type ServerConnection } from '../../../src/storage/server-connection.node.js';
import { runSync, syncStatus } from '../../../src/storage/sync-run.node.js';
import { hasExited, spawnTracked, stopChild } from '../../support/child-processes.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { recordSession, serverCount, siteServer, workstation } from '../storage/sync-fixture.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
});

const doseCount = 200;
const sessionSeconds = 600;
const chunkCount = 2 * sessionSeconds;

/** A workstation with one patient, a long dose history and a 10-minute session: many small and large pushes. */
function busyWorkstation(): { dir: string; db: Db } {
  const ws = workstation();
  const p = createPatient(ws.db, { code: 'P-KILL', weightKg: 30 });
  new DoseRepository(ws.db).addDoses(
    p.id,
    Array.from({ length: doseCount }, (_, i) => ({
      timeMs: 1.7e12 + i * 8 * 3600e3,
      route: 'oral' as const,
      kind: 'scheduled' as const,
      amount: 5,
      unit: 'mg' as const,
      status: 'taken' as const,
    })),
    'nurse',
  );
  recordSession(ws.db, p.id, 1.7e12 + 3600e3, sessionSeconds);
  return ws;
}

/** Polls `count` until `ready` says so; returns the value seen. */
async function waitFor(
  count: () => Promise<number>,
  ready: (n: number) => boolean,
  what: string,
): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const n = await count();
    if (ready(n)) return n;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last ${n})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Asserts the server holds exactly what the workstation holds: no record lost, none twice, chunks byte-equal. */
async function expectComplete(admin: pg.Client, db: Db): Promise<void> {
  expect(syncStatus(db).pending).toBe(0);
  expect(await serverCount(admin, 'patients')).toBe(1);
  expect(await serverCount(admin, 'dose_events')).toBe(doseCount);
  expect(await serverCount(admin, 'dose_audit')).toBe(doseCount);
  expect(await serverCount(admin, 'sessions')).toBe(1);
  expect(await serverCount(admin, 'markers')).toBe(2);
  expect(await serverCount(admin, 'sample_chunks')).toBe(chunkCount);
  const local = (db.prepare('SELECT uuid FROM dose_events ORDER BY uuid').pluck().all() as string[]).join();
  const remote = await admin.query(
    "SELECT string_agg(uuid::text, ',' ORDER BY uuid::text) AS u FROM tonus.dose_events",
  );
  expect(remote.rows[0].u).toBe(local);
  const hash = createHash('md5');
  for (const d of db
    .prepare('SELECT data FROM sample_chunks ORDER BY stream_id, first_seq')
    .pluck()
    .iterate())
    hash.update(d as Buffer);
  const server = await admin.query(`SELECT data FROM tonus.sample_chunks ORDER BY stream_id, first_seq`);
  const serverHash = createHash('md5');
  for (const r of server.rows) serverHash.update(r.data as Buffer);
  expect(serverHash.digest('hex')).toBe(hash.digest('hex'));
}

/**
 * `tonus sync` in a child process, with the connection in libpq's environment variables and the password in
 * `PGPASSWORD` or, with `passFile`, only in a `.pgpass` file.
 */
function syncChild(dir: string, site: ServerConnection, passFile?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PGPASSWORD;
  return spawnTracked(process.execPath, ['bin/tonus.js', '--data-dir', dir, 'sync', '--json'], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...env,
      PGHOST: site.host,
      PGPORT: String(site.port),
      PGUSER: site.user,
      ...(passFile ? { PGPASSFILE: passFile } : { PGPASSWORD: site.password }),
      PGDATABASE: site.database,
      PGSSLROOTCERT: site.sslRootCertFile,
      PGSSLMODE: 'verify-full',
    },
  });
}

describe('interrupted sync', { timeout: 120_000 }, () => {
  it('loses and duplicates nothing when the sync process is killed (SIGKILL) mid-way, twice', async () => {
    const server = await siteServer(cluster, { siteId: 'kill', role: 'sync_kill' });
    const admin = await connectServer(server.admin);
    const ws = busyWorkstation();
    ws.db.close();
    try {
      const first = syncChild(ws.dir, server.site);
      const doses = await waitFor(
        () => serverCount(admin, 'dose_audit'),
        (n) => n > 0,
        'the first doses',
      );
      first.kill('SIGKILL');
      await stopChild(first);
      expect(first.signalCode).toBe('SIGKILL');
      expect(doses).toBeLessThan(doseCount);

      const second = syncChild(ws.dir, server.site);
      const chunks = await waitFor(
        () => serverCount(admin, 'sample_chunks'),
        (n) => n > 0,
        'the first chunks',
      );
      second.kill('SIGKILL');
      await stopChild(second);
      expect(second.signalCode).toBe('SIGKILL');
      expect(chunks).toBeLessThan(chunkCount);
      expect(await serverCount(admin, 'dose_audit')).toBe(doseCount);

      const db = openDatabase(join(ws.dir, 'tonus.sqlite'));
      try {
        expect(syncStatus(db).pending).toBe(1);
        const passFile = join(ws.dir, 'pgpass');
        const s = server.site;
        writeFileSync(passFile, `${s.host}:${s.port}:${s.database}:${s.user}:${s.password}\n`, {
          mode: 0o600,
        });
        const third = syncChild(ws.dir, s, passFile);
        let out = '';
        let err = '';
        third.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        third.stderr?.on('data', (d: Buffer) => (err += d.toString()));
        await new Promise((r) => third.once('exit', r));
        expect(hasExited(third)).toBe(true);
        expect({ exitCode: third.exitCode, out, err }).toMatchObject({ exitCode: 0 });
        expect(JSON.parse(out)).toMatchObject({ pushed: 1, pending: 0 });
        await expectComplete(admin, db);
      } finally {
        db.close();
      }
    } finally {
      await admin.end();
    }
  });

  it('loses and duplicates nothing when the server stops mid-way, and resumes once it is back', async () => {
    const server = await siteServer(cluster, { siteId: 'loss', role: 'sync_loss' });
    const ws = busyWorkstation();
    const watcher = await connectServer(server.admin);
    const running = runSync(ws.db, server.site);
    await waitFor(
      () => serverCount(watcher, 'dose_audit'),
      (n) => n > 0,
      'the first doses',
    );
    await watcher.end().catch(() => undefined);
    await cluster.stop();
    const broken = await running;
    expect(broken.error).toMatch(
      /^The server localhost:\d+ stopped during the sync\. Nothing recorded here is lost/,
    );
    expect(broken.pending).toBeGreaterThan(0);
    expect(syncStatus(ws.db)).toMatchObject({ lastError: broken.error, pending: broken.pending });
    expect(ws.db.prepare('SELECT count(*) FROM dose_events').pluck().get()).toBe(doseCount);

    const whileDown = await runSync(ws.db, server.site);
    expect(whileDown.error).toMatch(/not answering/);

    await cluster.start();
    const admin = await connectServer(server.admin);
    try {
      const done = await runSync(ws.db, server.site);
      expect(done.error).toBeUndefined();
      await expectComplete(admin, ws.db);
    } finally {
      await admin.end();
      ws.db.close();
    }
  });
  it('pulls the signals of a session recorded elsewhere once each when the pulling sync is killed (SIGKILL) mid-way', async () => {
    const server = await siteServer(cluster, { siteId: 'pullkill', role: 'sync_pullkill' });
    const admin = await connectServer(server.admin);
    const room = workstation();
    const office = workstation();
    const p = createPatient(room.db, { code: 'P-PULL' });
    recordSession(room.db, p.id, 1.7e12, sessionSeconds);
    try {
      expect((await runSync(room.db, server.site)).error).toBeUndefined();
      expect(await serverCount(admin, 'sample_chunks')).toBe(chunkCount);
      const count = (): number =>
        office.db.prepare('SELECT count(*) FROM sample_chunks').pluck().get() as number;

      const child = syncChild(office.dir, server.site);
      const before = await waitFor(
        async () => count(),
        (n) => n > 0,
        'the first pulled chunks',
      );
      child.kill('SIGKILL');
      await stopChild(child);
      expect(child.signalCode).toBe('SIGKILL');
      const kept = count();
      expect(before).toBeLessThan(chunkCount);
      expect(kept).toBeLessThan(chunkCount);
      expect(kept % 200).toBe(0);

      const resumed = await runSync(office.db, server.site);
      expect(resumed.error).toBeUndefined();
      expect(resumed.chunksPulled).toBe(chunkCount - kept);
      /** Every piece, in order, as one digest: keys, sizes and bytes. */
      const all = (db: Db): string => {
        const h = createHash('sha256');
        for (const c of db
          .prepare(
            'SELECT stream_id, first_seq, sample_count, data, timestamps FROM sample_chunks ORDER BY stream_id, first_seq',
          )
          .iterate() as Iterable<{
          stream_id: string;
          first_seq: number;
          sample_count: number;
          data: Buffer;
        }>) {
          h.update(`${c.stream_id}/${c.first_seq}/${c.sample_count}/`);
          h.update(c.data);
        }
        return h.digest('hex');
      };
      expect(all(office.db)).toBe(all(room.db));
      expect((await runSync(office.db, server.site)).chunksPulled).toBe(0);
      expect(count()).toBe(chunkCount);
    } finally {
      await admin.end();
      room.db.close();
      office.db.close();
    }
  });
});
