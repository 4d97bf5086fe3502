import { describe, expect, it } from 'vitest';
import {
  KEEP_DELETED_MS,
  listDeleted,
  purgeDeleted,
  softDelete,
  undoDelete,
} from '../../../src/storage/deletions.node.js';
import { listPatients } from '../../../src/storage/patients.node.js';
import { listSessions } from '../../../src/storage/sessions.node.js';
import { addPatient, addSession, openTemp } from './dose-fixture.js';

const T0 = Date.UTC(2026, 11, 5, 9);
const DAY = 86_400_000;

describe('delete with undo (kept 30 days, audited, then purged)', () => {
  it('hides a deleted session from the lists, brings it back on undo, and audits both', () => {
    const db = openTemp();
    const p = addPatient(db, 'P-014');
    const s1 = addSession(db, p, T0 - DAY);
    const s2 = addSession(db, p, T0);
    expect(softDelete(db, 'session', s1, 'Session of P-014', T0)).toBe(true);
    expect(softDelete(db, 'session', s1, 'again', T0)).toBe(false);
    expect(listSessions(db).map((s) => s.id)).toEqual([s2]);
    expect(listDeleted(db)).toEqual([
      {
        entity: 'session',
        id: s1,
        deletedAtMs: T0,
        description: 'Session of P-014',
        sessionStartMs: T0 - DAY,
        purgeAtMs: T0 + KEEP_DELETED_MS,
      },
    ]);
    expect(undoDelete(db, 'session', s1, T0 + 1000)).toBe(true);
    expect(listSessions(db).map((s) => s.id)).toEqual([s2, s1]);
    expect(undoDelete(db, 'session', s1, T0 + 2000)).toBe(false);
    const trail = db.prepare('SELECT entity, entity_id, action, at_ms FROM deletion_audit ORDER BY id').all();
    expect(trail).toEqual([
      { entity: 'session', entity_id: s1, action: 'delete', at_ms: T0 },
      { entity: 'session', entity_id: s1, action: 'undo', at_ms: T0 + 1000 },
    ]);
    db.close();
  });

  it('hides a deleted patient with its sessions, and purges only after 30 days, sessions first', () => {
    const db = openTemp();
    const keep = addPatient(db, 'P-001');
    const gone = addPatient(db, 'P-002');
    addSession(db, keep, T0);
    addSession(db, gone, T0);
    addSession(db, gone, T0 + 1);
    softDelete(db, 'patient', gone, 'Patient P-002', T0);
    expect(listPatients(db).map((x) => x.code)).toEqual(['P-001']);
    expect(listSessions(db).map((s) => s.patientCode)).toEqual(['P-001']);

    expect(purgeDeleted(db, T0 + KEEP_DELETED_MS - 1)).toEqual({ patients: 0, sessions: 0 });
    expect(undoDelete(db, 'patient', gone, T0 + 10 * DAY)).toBe(true);
    expect(listSessions(db)).toHaveLength(3);
    softDelete(db, 'patient', gone, 'Patient P-002', T0 + 11 * DAY);
    expect(purgeDeleted(db, T0 + 11 * DAY + KEEP_DELETED_MS + 1)).toEqual({ patients: 1, sessions: 2 });
    expect(db.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    expect(listDeleted(db)).toEqual([]);
    expect(undoDelete(db, 'patient', gone, T0 + 50 * DAY)).toBe(false);
    expect(
      db.prepare("SELECT action FROM deletion_audit WHERE entity = 'patient' ORDER BY id").pluck().all(),
    ).toEqual(['delete', 'undo', 'delete', 'purge']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
