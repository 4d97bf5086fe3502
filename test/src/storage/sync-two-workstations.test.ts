import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/storage/database.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient, findPatientByCode, updatePatient } from '../../../src/storage/patients.node.js';
import { connectServer, type ServerConnection } from '../../../src/storage/server-connection.node.js';
import { runSync, syncStatus } from '../../../src/storage/sync-run.node.js';
import { startTestCluster, type TestCluster } from '../../support/postgres-cluster.js';
import { recordSession, serverCount, siteServer, syncOk, uuidOf, workstation } from './sync-fixture.js';

let cluster: TestCluster;
const clients: pg.Client[] = [];
const stores: Db[] = [];
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  for (const db of stores) db.close();
  await cluster?.destroy();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const oral = { route: 'oral', kind: 'scheduled', unit: 'mg', status: 'taken' } as const;

async function setUp(role: string): Promise<{ site: ServerConnection; admin: pg.Client; ws1: Db; ws2: Db }> {
  const server = await siteServer(cluster, { siteId: 'clinic', role });
  const admin = await connectServer(server.admin);
  clients.push(admin);
  const ws1 = workstation().db;
  const ws2 = workstation().db;
  stores.push(ws1, ws2);
  return { site: server.site, admin, ws1, ws2 };
}

/** The dose log as both workstations should see it: by UUID, with state and history. */
function doseLog(db: Db): unknown {
  return {
    events: db
      .prepare('SELECT uuid, time_ms, amount, deleted, updated_at FROM dose_events ORDER BY uuid')
      .all(),
    audit: db.prepare('SELECT uuid, action, changed_at FROM dose_audit ORDER BY uuid').all(),
  };
}

describe('sync of two workstations through one server', () => {
  it('merges offline edits: dose log by union, patient fields last-writer-wins with both kept, sessions once', async () => {
    const { site, admin, ws1, ws2 } = await setUp('sync_clinic_a');
    const p1 = createPatient(ws1, { code: 'P-001', weightKg: 20, birthYear: 2015 });
    const doses1 = new DoseRepository(ws1);
    const [d1, d2] = doses1.addDoses(
      p1.id,
      [
        { ...oral, timeMs: 1.7e12, amount: 5 },
        { ...oral, timeMs: 1.7e12 + 8 * 3600e3, amount: 5 },
      ],
      'nurse on laptop',
    );
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const p2 = findPatientByCode(ws2, 'P-001')!;
    expect(p2).toMatchObject({ weightKg: 20, birthYear: 2015 });
    expect(doseLog(ws2)).toEqual(doseLog(ws1));

    // Both offline: conflicting edits on each side.
    const doses2 = new DoseRepository(ws2);
    updatePatient(ws1, p1.id, { weightKg: 21 });
    doses1.updateDose(d1!.id, { amount: 7.5 }, 'nurse on laptop', 'wrong amount');
    doses1.addDoses(p1.id, [{ ...oral, timeMs: 1.7e12 + 24 * 3600e3, amount: 5 }], 'nurse on laptop');
    const session1 = recordSession(ws1, p1.id, 1.7e12 + 3600e3, 20);
    await pause(5);
    updatePatient(ws2, p2.id, { note: 'prefers mornings' });
    const d2on2 = ws2
      .prepare(
        'SELECT id FROM dose_events WHERE uuid = (SELECT uuid FROM dose_events WHERE id = -1) OR time_ms = ?',
      )
      .pluck()
      .get(d2!.timeMs) as number;
    doses2.deleteDose(d2on2, 'doctor in office', 'entered twice');
    doses2.addDoses(p2.id, [{ ...oral, timeMs: 1.7e12 + 30 * 3600e3, amount: 10 }], 'doctor in office');
    doses2.addSideEffect({
      patientId: p2.id,
      timeMs: 1.7e12 + 2 * 3600e3,
      kind: 'drowsiness',
      severity: 'mild',
      note: null,
    } as never);
    const session2 = recordSession(ws2, p2.id, 1.7e12 + 5 * 3600e3, 10);
    expect(syncStatus(ws1).pending).toBeGreaterThan(0);
    expect(syncStatus(ws2).pending).toBeGreaterThan(0);

    await syncOk(ws1, site);
    await syncOk(ws2, site);
    await syncOk(ws1, site);

    // Dose log: the union of both histories, identical on both workstations and the server.
    expect(doseLog(ws1)).toEqual(doseLog(ws2));
    expect(await serverCount(admin, 'dose_events')).toBe(4);
    expect(await serverCount(admin, 'dose_audit')).toBe(6);
    const actions = ws1
      .prepare('SELECT action, count(*) AS n FROM dose_audit GROUP BY action ORDER BY action')
      .all();
    expect(actions).toEqual([
      { action: 'create', n: 4 },
      { action: 'delete', n: 1 },
      { action: 'update', n: 1 },
    ]);
    expect(ws1.prepare('SELECT amount FROM dose_events WHERE id = ?').pluck().get(d1!.id)).toBe(7.5);
    expect(ws1.prepare('SELECT deleted FROM dose_events WHERE id = ?').pluck().get(d2!.id)).toBe(1);
    expect(ws1.prepare('SELECT count(*) FROM side_effects').pluck().get()).toBe(1);

    // Patient: the later edit (workstation 2) wins whole; workstation 1's weight stays in the audit.
    const final1 = findPatientByCode(ws1, 'P-001')!;
    const final2 = findPatientByCode(ws2, 'P-001')!;
    expect(final1).toMatchObject({ weightKg: 20, note: 'prefers mornings' });
    expect(final2).toMatchObject({ weightKg: 20, note: 'prefers mornings' });
    const audit = await admin.query(
      `SELECT outcome, incoming->>'weight_kg' AS weight, incoming->>'note' AS note,
         previous->>'weight_kg' AS replaced_weight FROM tonus.patient_audit ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { outcome: 'created', weight: '20', note: null, replaced_weight: null },
      { outcome: 'won', weight: '21', note: null, replaced_weight: '20' },
      { outcome: 'won', weight: '20', note: 'prefers mornings', replaced_weight: '21' },
    ]);

    // Sessions: each once on the server with its parts; each workstation has the other's, raw data included.
    expect(await serverCount(admin, 'sessions')).toBe(2);
    expect(await serverCount(admin, 'markers')).toBe(4);
    expect(await serverCount(admin, 'session_indicators')).toBe(2);
    expect(await serverCount(admin, 'sample_chunks')).toBe(2 * (20 + 10));
    for (const db of [ws1, ws2]) {
      expect(db.prepare("SELECT count(*) FROM sessions WHERE status = 'complete'").pluck().get()).toBe(2);
      expect(db.prepare('SELECT count(*) FROM markers').pluck().get()).toBe(4);
      expect(db.prepare('SELECT count(*) FROM session_indicators').pluck().get()).toBe(2);
      expect(db.prepare('SELECT count(*) FROM session_dose_context').pluck().get()).toBe(2);
      expect(db.prepare('SELECT count(*) FROM sample_chunks').pluck().get()).toBe(2 * (20 + 10));
    }
    expect(
      ws2
        .prepare('SELECT count(*) FROM sessions WHERE uuid = ?')
        .pluck()
        .get(uuidOf(ws1, 'sessions', session1)),
    ).toBe(1);
    expect(
      ws1
        .prepare('SELECT count(*) FROM sessions WHERE uuid = ?')
        .pluck()
        .get(uuidOf(ws2, 'sessions', session2)),
    ).toBe(1);

    // Idempotent: syncing again sends and changes nothing.
    const before = await admin.query('SELECT max(change_seq) AS m FROM tonus.patients');
    expect((await syncOk(ws1, site)).pushed).toBe(0);
    expect((await syncOk(ws2, site)).pushed).toBe(0);
    expect(await serverCount(admin, 'dose_audit')).toBe(6);
    expect(await serverCount(admin, 'patient_audit')).toBe(audit.rows.length);
    expect((await admin.query('SELECT max(change_seq) AS m FROM tonus.patients')).rows).toEqual(before.rows);
  });

  it('makes one patient of a code created on both workstations while offline', async () => {
    const { site, admin, ws1, ws2 } = await setUp('sync_clinic_b');
    const a = createPatient(ws1, { code: 'P-777', birthYear: 2014 });
    const b = createPatient(ws2, { code: 'P-777', gmfcsLevel: 3 });
    new DoseRepository(ws1).addDoses(a.id, [{ ...oral, timeMs: 1.7e12, amount: 5 }], 'laptop');
    new DoseRepository(ws2).addDoses(b.id, [{ ...oral, timeMs: 1.8e12, amount: 5 }], 'desktop');
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(await serverCount(admin, 'patients')).toBe(1);
    const uuid = (db: Db) => db.prepare("SELECT uuid FROM patients WHERE code = 'P-777'").pluck().get();
    expect(uuid(ws1)).toBe(uuid(ws2));
    for (const db of [ws1, ws2]) {
      expect(db.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM dose_events').pluck().get()).toBe(2);
    }
  });

  it('keeps working while the server is unreachable and says why in words', async () => {
    const { site, ws1 } = await setUp('sync_clinic_c');
    const down = { ...site, port: 1 };
    createPatient(ws1, { code: 'P-OFF' });
    const r = await runSync(ws1, down);
    expect(r.error).toMatch(
      /^The server localhost:1 is not answering \(connection refused\)\. Nothing recorded here is lost/,
    );
    const p = createPatient(ws1, { code: 'P-OFF-2' });
    recordSession(ws1, p.id, 1.7e12, 3);
    const status = syncStatus(ws1);
    expect(status).toMatchObject({ pending: 3, lastError: r.error, lastSuccessAt: null });
    await syncOk(ws1, site);
    expect(syncStatus(ws1)).toMatchObject({ pending: 0, lastError: null, siteId: 'clinic' });
  });
});
