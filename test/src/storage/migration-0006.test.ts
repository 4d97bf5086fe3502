import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

describe('0006 soft-delete', () => {
  it('upgrades a 0004 database in place: every row kept, none deleted, the audit table empty', () => {
    const file = tempDbFile();
    const old = openDatabase(
      file,
      migrations.filter((m) => m.version <= 4),
    );
    const patient = addPatient(old);
    addSession(old, patient, 1.7e12);
    const sessionsBefore = old.prepare('SELECT * FROM sessions ORDER BY id').all() as object[];
    const patientsBefore = old.prepare('SELECT * FROM patients ORDER BY id').all() as object[];
    old.close();

    const db = openDatabase(
      file,
      migrations.filter((m) => m.version <= 6),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(db.prepare('SELECT * FROM sessions ORDER BY id').all()).toEqual(
      // 0005 adds the end reason on the way.
      sessionsBefore.map((r) => ({ ...r, end_reason: null, end_detail: null, deleted_at_ms: null })),
    );
    expect(db.prepare('SELECT * FROM patients ORDER BY id').all()).toEqual(
      patientsBefore.map((r) => ({ ...r, deleted_at_ms: null })),
    );
    expect(db.prepare('SELECT count(*) FROM deletion_audit').pluck().get()).toBe(0);
    const insert = db.prepare(
      'INSERT INTO deletion_audit (entity, entity_id, action, at_ms, description) VALUES (?, ?, ?, ?, ?)',
    );
    expect(() => insert.run('dose', 1, 'delete', 1, 'x')).toThrow(/CHECK/);
    expect(() => insert.run('session', 1, 'erase', 1, 'x')).toThrow(/CHECK/);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE deleted_at_ms IS NOT NULL')
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/sessions_deleted/);
    db.close();
  });
});
