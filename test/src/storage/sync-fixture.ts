import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../../src/storage/database.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { insertMarker } from '../../../src/storage/markers.node.js';
import { insertRegularChunk } from '../../../src/storage/sample-chunks.node.js';
import { connectServer, type ServerConnection } from '../../../src/storage/server-connection.node.js';
import { addSite, migrateServer } from '../../../src/storage/server-migrate.node.js';
import { createSession, finishSession, type SessionEnd } from '../../../src/storage/sessions.node.js';
import { runSync } from '../../../src/storage/sync-run.node.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { freshDatabase } from './server-test-db.js';

/** A migrated server database with one site whose role can log in; returns the site's connection. */
export async function siteServer(
  cluster: TestCluster,
  site: { siteId: string; role: string; syncChunks?: boolean },
): Promise<{ database: string; site: ServerConnection; admin: ServerConnection }> {
  const database = await freshDatabase(cluster);
  const admin = { ...cluster.admin, database };
  const client = await connectServer(admin);
  try {
    await migrateServer(client);
    await addSite(client, {
      siteId: site.siteId,
      name: site.siteId,
      role: site.role,
      syncChunks: site.syncChunks ?? true,
    });
    await client.query(`ALTER ROLE ${site.role} PASSWORD 'pw-${site.role}'`);
  } finally {
    await client.end();
  }
  return { database, site: cluster.as(site.role, `pw-${site.role}`, database), admin };
}

/** A workstation's data folder with its SQLite store at the latest schema. */
export function workstation(): { dir: string; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-ws-'));
  return { dir, db: openDatabase(join(dir, 'tonus.sqlite')) };
}

/**
 * Records a complete session of `seconds` the way the recorder stores one: 1 s chunks of an 8-channel EMG
 * stream at 250 Hz and a 6-channel IMU stream at 100 Hz, two markers, a dose context and one indicator;
 * `end` says why it ended.
 */
export function recordSession(
  db: Db,
  patientId: number,
  startMs: number,
  seconds: number,
  end?: SessionEnd,
): number {
  const streams = [
    { id: 'exg', channels: 8, rateHz: 250 },
    { id: 'imu', channels: 6, rateHz: 100 },
  ];
  const id = createSession(db, {
    patientId,
    protocol: 'passive-stretch',
    muscle: 'gastrocnemius',
    side: 'left',
    deviceId: 'synthetic',
    deviceName: 'Demo',
    origin: 'live',
    startTimeMs: startMs,
    streams: streams.map((s) => ({
      id: s.id,
      label: s.id,
      sampleRateHz: s.rateHz,
      channels: Array.from({ length: s.channels }, (_, i) => ({
        id: `${s.id}${i + 1}`,
        label: `${s.id} ${i + 1}`,
        kind: 'emg' as const,
        unit: 'uV' as const,
        rangeMin: -1000,
        rangeMax: 1000,
      })),
    })),
  });
  db.transaction(() => {
    for (let sec = 0; sec < seconds; sec++)
      for (const s of streams) {
        const data = Array.from({ length: s.channels }, (_, c) =>
          Float32Array.from({ length: s.rateHz }, (_, i) => Math.sin((sec * s.rateHz + i) / 7 + c)),
        );
        insertRegularChunk(db, {
          sessionId: id,
          streamId: s.id,
          sampleRateHz: s.rateHz,
          firstSeq: sec * s.rateHz,
          firstTimeMs: startMs + sec * 1000,
          data,
          start: 0,
          count: s.rateHz,
        });
      }
  })();
  insertMarker(db, { sessionId: id, timeMs: startMs + 1000, kind: 'marker', text: 'fast stretch 1' });
  insertMarker(db, { sessionId: id, timeMs: startMs + 2000, kind: 'note', text: 'calm' });
  finishSession(db, id, 'complete', startMs + seconds * 1000, end);
  db.prepare(
    `INSERT INTO session_dose_context (session_id, route, phase, c_rel, context_json, computed_at)
     VALUES (?, 'oral', 'peak', 0.8, '{}', '2026-01-01T00:00:00Z')`,
  ).run(id);
  db.prepare(
    `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n,
       algorithm_version, muscle, side, protocol)
     VALUES (?, ?, ?, 'rmsHV', 12.5, 'uV', 3, '1', 'gastrocnemius', 'left', 'passive-stretch')`,
  ).run(id, patientId, startMs);
  return id;
}

/** Count of rows in a server table, as the admin (no row-level security). */
export async function serverCount(admin: pg.Client, table: string): Promise<number> {
  return (await admin.query(`SELECT count(*) AS n FROM tonus.${table}`)).rows[0].n as number;
}

/** One site's server and two workstation data folders of that site (the treatment room and the office). */
export interface Clinic {
  site: ServerConnection;
  /** The server's superuser on the site's database (no row-level security), to look at what is stored. */
  admin: pg.Client;
  ws1: Db;
  ws2: Db;
}

/**
 * A migrated server with one site `clinic` whose role is `role`, and two workstations. The admin client and
 * both stores are handed to `keep` so the test file closes them in its teardown.
 */
export async function clinic(
  cluster: TestCluster,
  role: string,
  keep: { clients: pg.Client[]; stores: Db[] },
  syncChunks = true,
): Promise<Clinic> {
  const server = await siteServer(cluster, { siteId: 'clinic', role, syncChunks });
  const admin = await connectServer(server.admin);
  keep.clients.push(admin);
  const ws1 = workstation().db;
  const ws2 = workstation().db;
  keep.stores.push(ws1, ws2);
  return { site: server.site, admin, ws1, ws2 };
}

/** One sync of `db` with `site` that must succeed; with `drained`, nothing may be left to send. */
export async function syncOk(
  db: Db,
  site: ServerConnection,
  drained = true,
): Promise<Awaited<ReturnType<typeof runSync>>> {
  const r = await runSync(db, site);
  expect(r.error).toBeUndefined();
  if (drained) expect(r.pending).toBe(0);
  return r;
}

/** The local id of the row of `table` with `uuid` in `db`. */
export const localIdOf = (db: Db, table: string, uuid: unknown): number =>
  db.prepare(`SELECT id FROM ${table} WHERE uuid = ?`).pluck().get(uuid) as number;

/** The UUID of the row of `table` with local id `id` in `db`. */
export const uuidOf = (db: Db, table: string, id: number): string =>
  db.prepare(`SELECT uuid FROM ${table} WHERE id = ?`).pluck().get(id) as string;

/** The throwaway server of one test file, and what its tests opened that must be closed before it stops. */
export interface ClusterOfFile {
  /** Set before the file's first test. */
  cluster: TestCluster;
  keep: { clients: pg.Client[]; stores: Db[] };
  /** A client of `c` that is ended with the file's tests. */
  connect(c: ServerConnection): Promise<pg.Client>;
}

/**
 * Starts a throwaway PostgreSQL cluster before this test file's tests and, after them, ends the clients and
 * closes the stores put in `keep`, then stops the cluster (also when a test failed).
 */
export function clusterForFile(): ClusterOfFile {
  const keep: ClusterOfFile['keep'] = { clients: [], stores: [] };
  const connect = async (c: ServerConnection): Promise<pg.Client> => {
    const client = await connectServer(c);
    keep.clients.push(client);
    return client;
  };
  const file = { keep, connect } as ClusterOfFile;
  beforeAll(async () => {
    file.cluster = await startTestCluster();
  }, 60_000);
  afterAll(async () => {
    for (const c of file.keep.clients) await c.end().catch(() => undefined);
    for (const db of file.keep.stores) db.close();
    await file.cluster?.destroy();
  });
  return file;
}
