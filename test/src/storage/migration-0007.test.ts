import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { createPatient, updatePatient } from '../../../src/storage/patients.node.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const upTo = (v: number) => migrations.filter((m) => m.version <= v);

describe('0007 sync-identity', () => {
  it('backfills a UUID v7 and the workstation id on existing rows, from their own times, and queues them', () => {
    const file = tempDbFile();
    const old = openDatabase(file, upTo(4));
    const patient = addPatient(old, 'P-7');
    const session = addSession(old, patient, Date.parse('2025-03-04T05:06:07Z'));
    old.close();

    const db = openDatabase(file, upTo(7));
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    const ws = db.prepare('SELECT workstation_id FROM sync_identity').pluck().get() as string;
    expect(ws).toMatch(uuidV7);
    const s = db.prepare('SELECT uuid, workstation_id FROM sessions WHERE id = ?').get(session) as {
      uuid: string;
      workstation_id: string;
    };
    expect(s.uuid).toMatch(uuidV7);
    expect(s.workstation_id).toBe(ws);
    expect(parseInt(s.uuid.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2025-03-04T05:06:07Z'));
    expect(db.prepare('SELECT entity, local_id, version FROM sync_outbox ORDER BY entity').all()).toEqual([
      { entity: 'patients', local_id: patient, version: 1 },
      { entity: 'sessions', local_id: session, version: 1 },
    ]);
    db.close();
  });

  it('gives new rows distinct UUIDs at insert and queues each change once per entity', () => {
    const db = openDatabase(tempDbFile(), upTo(7));
    const before = Date.now();
    const a = createPatient(db, { code: 'A' });
    const b = createPatient(db, { code: 'B' });
    const uuids = db.prepare('SELECT uuid FROM patients ORDER BY id').pluck().all() as string[];
    expect(uuids).toHaveLength(2);
    for (const u of uuids) {
      expect(u).toMatch(uuidV7);
      expect(parseInt(u.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(before - 1);
    }
    expect(new Set(uuids).size).toBe(2);
    updatePatient(db, a.id, { note: 'first' });
    updatePatient(db, a.id, { note: 'second' });
    const queued = db.prepare('SELECT entity, local_id, version FROM sync_outbox ORDER BY local_id').all();
    expect(queued).toEqual([
      { entity: 'patients', local_id: a.id, version: expect.any(Number) },
      { entity: 'patients', local_id: b.id, version: expect.any(Number) },
    ]);
    expect((queued[0] as { version: number }).version).toBeGreaterThan(
      (queued[1] as { version: number }).version,
    );

    const recording = Number(
      db
        .prepare(
          `INSERT INTO sessions (patient_id, protocol, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
           VALUES (?, 'rest', 'synthetic', 'Demo', 'live', 1, 'recording', '[]', 'x')`,
        )
        .run(a.id).lastInsertRowid,
    );
    expect(db.prepare("SELECT count(*) FROM sync_outbox WHERE entity = 'sessions'").pluck().get()).toBe(0);
    db.prepare("UPDATE sessions SET status = 'complete', end_time_ms = 2 WHERE id = ?").run(recording);
    expect(db.prepare("SELECT local_id FROM sync_outbox WHERE entity = 'sessions'").pluck().all()).toEqual([
      recording,
    ]);
    db.close();
  });

  it('does not queue rows written while a pull is being applied', () => {
    const db = openDatabase(tempDbFile(), upTo(7));
    db.prepare('UPDATE sync_identity SET applying = 1').run();
    db.prepare(
      `INSERT INTO patients (code, uuid, workstation_id, created_at, updated_at)
       VALUES ('Z', '01890000-0000-7000-8000-000000000001', '01890000-0000-7000-8000-000000000002', 'x', 'x')`,
    ).run();
    db.prepare('UPDATE sync_identity SET applying = 0').run();
    expect(db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
    expect(db.prepare("SELECT uuid, workstation_id FROM patients WHERE code = 'Z'").get()).toEqual({
      uuid: '01890000-0000-7000-8000-000000000001',
      workstation_id: '01890000-0000-7000-8000-000000000002',
    });
    db.close();
  });
});
