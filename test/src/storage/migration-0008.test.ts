import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { purgeDeleted, softDelete, undoDelete } from '../../../src/storage/deletions.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { applyingLocally } from '../../../src/storage/sync-push.node.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const upTo = (v: number) => migrations.filter((m) => m.version <= v);
const pk = {
  ageGroup: 'child',
  halfLifeH: 4,
  tmaxH: 1,
  timeZone: 'Europe/Berlin',
  absoluteMode: false,
} as const;

describe('0008 sync-deletions-and-settings', () => {
  it('gives existing deletes and undos a UUID v7 from their time and queues them, with PK settings and own sessions', () => {
    const file = tempDbFile();
    const old = openDatabase(file, upTo(7));
    const patient = addPatient(old, 'P-9');
    const session = addSession(old, patient, Date.parse('2025-03-04T05:06:07Z'));
    const deletedAt = Date.parse('2026-11-30T08:00:00Z');
    softDelete(old, 'session', session, 'Session of P-9', deletedAt);
    undoDelete(old, 'session', session, deletedAt + 1000);
    new DoseRepository(old).setPkSettings({ patientId: patient, ...pk });
    old.prepare('DELETE FROM sync_outbox').run();
    old.close();

    const db = openDatabase(file, upTo(8));
    expect(db.pragma('user_version', { simple: true })).toBe(8);
    const ws = db.prepare('SELECT workstation_id FROM sync_identity').pluck().get();
    const audit = db
      .prepare('SELECT id, uuid, workstation_id, at_ms FROM deletion_audit ORDER BY id')
      .all() as {
      id: number;
      uuid: string;
      workstation_id: string;
      at_ms: number;
    }[];
    expect(audit).toHaveLength(2);
    for (const a of audit) {
      expect(a.uuid).toMatch(uuidV7);
      expect(a.workstation_id).toBe(ws);
      expect(parseInt(a.uuid.replace(/-/g, '').slice(0, 12), 16)).toBe(a.at_ms);
    }
    expect(db.prepare('SELECT entity, local_id FROM sync_outbox ORDER BY entity, local_id').all()).toEqual([
      { entity: 'deletion_audit', local_id: audit[0]!.id },
      { entity: 'deletion_audit', local_id: audit[1]!.id },
      { entity: 'patient_pk_settings', local_id: patient },
      { entity: 'sessions', local_id: session },
    ]);
    db.close();
  });

  it('queues new deletes, undos and PK settings written here, but not purges nor what a pull writes', () => {
    const db = openDatabase(tempDbFile(), upTo(8));
    const patient = addPatient(db, 'P-10');
    const session = addSession(db, patient, 1.7e12);
    db.prepare('DELETE FROM sync_outbox').run();
    const queued = (entity: string): number[] =>
      db
        .prepare('SELECT local_id FROM sync_outbox WHERE entity = ? ORDER BY local_id')
        .pluck()
        .all(entity) as number[];

    softDelete(db, 'session', session, 'Session of P-10', 1000);
    expect(queued('deletion_audit')).toHaveLength(1);
    purgeDeleted(db, 1000 + 31 * 86_400_000);
    expect(db.prepare("SELECT count(*) FROM deletion_audit WHERE action = 'purge'").pluck().get()).toBe(1);
    expect(queued('deletion_audit')).toHaveLength(1);
    const repo = new DoseRepository(db);
    repo.setPkSettings({ patientId: patient, ...pk });
    repo.setPkSettings({ patientId: patient, ...pk, halfLifeH: 5 });
    expect(queued('patient_pk_settings')).toEqual([patient]);

    db.prepare('DELETE FROM sync_outbox').run();
    applyingLocally(db, () => {
      db.prepare(
        `INSERT INTO deletion_audit (entity, entity_id, action, at_ms, description) VALUES ('patient', ?, 'delete', 5, 'x')`,
      ).run(patient);
      db.prepare('UPDATE patient_pk_settings SET half_life_h = 6 WHERE patient_id = ?').run(patient);
    });
    expect(db.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(0);
    expect(db.prepare('SELECT uuid FROM deletion_audit ORDER BY id DESC LIMIT 1').pluck().get()).toMatch(
      uuidV7,
    );
    db.close();
  });
});
