import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/storage/database.node.js';
import {
  KEEP_DELETED_MS,
  listDeleted,
  purgeDeleted,
  softDelete,
  undoDelete,
} from '../../../src/storage/deletions.node.js';
import { insertMarker } from '../../../src/storage/markers.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient, listPatients } from '../../../src/storage/patients.node.js';
import { listSessions } from '../../../src/storage/sessions.node.js';
import { deletedSessionWords } from '../../../src/storage/visibility.node.js';
import {
  clinic,
  clusterForFile,
  localIdOf,
  recordSession,
  serverCount,
  syncOk,
  uuidOf,
  workstation,
} from './sync-fixture.js';

const file = clusterForFile();

/** UUIDs of the sessions a user of `db` sees (not deleted, patient not deleted). */
const visibleSessions = (db: Db): string[] =>
  listSessions(db)
    .map((s) => uuidOf(db, 'sessions', s.id))
    .sort();
const deletedAt = (db: Db, table: string, uuid: string): unknown =>
  db.prepare(`SELECT deleted_at_ms FROM ${table} WHERE uuid = ?`).pluck().get(uuid);

const oral = { route: 'oral', kind: 'scheduled', unit: 'mg', status: 'taken' } as const;

describe('sync of deletions between two workstations', () => {
  it('hides what one workstation deleted on the other, restores what either undoes, and the latest event decides', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'del_clinic_a', file.keep);
    const p = createPatient(ws1, { code: 'P-DEL' });
    const q = createPatient(ws1, { code: 'P-GONE' });
    const s1 = uuidOf(ws1, 'sessions', recordSession(ws1, p.id, 1.7e12, 3));
    const s2 = uuidOf(ws1, 'sessions', recordSession(ws1, p.id, 1.7e12 + 3600e3, 3));
    const s3 = uuidOf(ws1, 'sessions', recordSession(ws1, q.id, 1.7e12 + 7200e3, 3));
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    expect(visibleSessions(ws2)).toEqual([s1, s2, s3].sort());

    // The treatment room deletes a session and a patient (with its session); the office sees both gone.
    const t1 = Date.parse('2026-12-01T10:00:00Z');
    expect(softDelete(ws1, 'session', localIdOf(ws1, 'sessions', s1), 'Session of P-DEL', t1)).toBe(true);
    expect(softDelete(ws1, 'patient', q.id, 'Patient P-GONE with 1 session', t1 + 1)).toBe(true);
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    expect(visibleSessions(ws2)).toEqual([s2]);
    expect(listPatients(ws2).map((x) => x.code)).toEqual(['P-DEL']);
    expect(listDeleted(ws2).map((d) => [d.entity, d.description, d.deletedAtMs])).toEqual([
      ['patient', 'Patient P-GONE with 1 session', t1 + 1],
      ['session', 'Session of P-DEL', t1],
    ]);
    expect(deletedSessionWords(ws2, localIdOf(ws2, 'sessions', s1))).toMatch(
      /^Session \d+ was deleted on 2026-12-01 10:00 UTC/,
    );

    // The office undoes the session (`tonus undo`); the treatment room shows it again.
    expect(undoDelete(ws2, 'session', localIdOf(ws2, 'sessions', s1), t1 + 60_000)).toBe(true);
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(visibleSessions(ws1)).toEqual([s1, s2].sort());
    expect(deletedAt(ws1, 'sessions', s1)).toBeNull();

    // Both offline: the office deletes s2 and undoes it; the treatment room deletes it in between.
    const t2 = Date.parse('2026-12-02T09:00:00Z');
    softDelete(ws2, 'session', localIdOf(ws2, 'sessions', s2), 'Session of P-DEL', t2);
    softDelete(ws1, 'session', localIdOf(ws1, 'sessions', s2), 'Session of P-DEL', t2 + 1000);
    undoDelete(ws2, 'session', localIdOf(ws2, 'sessions', s2), t2 + 2000);
    // … and s1: the treatment room deletes it after the office's delete-and-undo: it stays deleted.
    softDelete(ws2, 'session', localIdOf(ws2, 'sessions', s1), 'Session of P-DEL', t2);
    undoDelete(ws2, 'session', localIdOf(ws2, 'sessions', s1), t2 + 1000);
    softDelete(ws1, 'session', localIdOf(ws1, 'sessions', s1), 'Session of P-DEL', t2 + 3000);
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    for (const db of [ws1, ws2]) {
      expect(visibleSessions(db)).toEqual([s2]);
      expect(deletedAt(db, 'sessions', s1)).toBe(t2 + 3000);
      expect(deletedAt(db, 'patients', uuidOf(ws1, 'patients', q.id))).toBe(t1 + 1);
    }
    expect(await serverCount(admin, 'deletion_events')).toBe(9);
    const visibility = await admin.query(
      'SELECT entity_uuid::text AS uuid, deleted, at_ms FROM tonus.entity_visibility ORDER BY at_ms',
    );
    expect(visibility.rows).toEqual([
      { uuid: uuidOf(ws1, 'patients', q.id), deleted: true, at_ms: t1 + 1 },
      { uuid: s2, deleted: false, at_ms: t2 + 2000 },
      { uuid: s1, deleted: true, at_ms: t2 + 3000 },
    ]);

    // A third workstation joining later gets the same picture, with the deleted items ready to undo.
    const ws3 = workstation().db;
    file.keep.stores.push(ws3);
    await syncOk(ws3, site);
    expect(visibleSessions(ws3)).toEqual([s2]);
    expect(listDeleted(ws3).map((d) => [d.entity, d.deletedAtMs])).toEqual([
      ['session', t2 + 3000],
      ['patient', t1 + 1],
    ]);

    // Idempotent: nothing is sent again, nothing doubles.
    expect((await syncOk(ws1, site)).pushed).toBe(0);
    expect((await syncOk(ws2, site)).pushed).toBe(0);
    expect(await serverCount(admin, 'deletion_events')).toBe(9);
    expect(ws1.prepare('SELECT count(*) FROM deletion_audit').pluck().get()).toBe(9);
    expect(ws2.prepare('SELECT count(*) FROM deletion_audit').pluck().get()).toBe(9);
  });

  it('keeps a deleted dose entry deleted when the other workstation edited it later without knowing', async () => {
    const { site, admin, ws1, ws2 } = await clinic(file.cluster, 'del_clinic_b', file.keep);
    const p = createPatient(ws1, { code: 'P-DOSE' });
    const [d] = new DoseRepository(ws1).addDoses(p.id, [{ ...oral, timeMs: 1.7e12, amount: 5 }], 'laptop');
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const uuid = uuidOf(ws1, 'dose_events', d!.id);
    new DoseRepository(ws1).deleteDose(d!.id, 'nurse on laptop', 'not given');
    await new Promise((r) => setTimeout(r, 5));
    new DoseRepository(ws2).updateDose(
      localIdOf(ws2, 'dose_events', uuid),
      { amount: 7.5 },
      'doctor',
      'typo',
    );
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    for (const db of [ws1, ws2]) {
      expect(db.prepare('SELECT deleted, amount FROM dose_events WHERE uuid = ?').get(uuid)).toEqual({
        deleted: 1,
        amount: 7.5,
      });
      expect(db.prepare('SELECT action FROM dose_audit ORDER BY changed_at').pluck().all()).toEqual([
        'create',
        'delete',
        'update',
      ]);
      expect(
        new DoseRepository(db).listDoses(localIdOf(db, 'patients', uuidOf(ws1, 'patients', p.id))),
      ).toEqual([]);
    }
    expect(
      (await admin.query('SELECT deleted, amount FROM tonus.dose_events WHERE uuid = $1', [uuid])).rows,
    ).toEqual([{ deleted: 1, amount: 7.5 }]);
  });
  it('brings back deleted a session purged here when another workstation adds to it later', async () => {
    const { site, ws1, ws2 } = await clinic(file.cluster, 'del_clinic_c', file.keep);
    const p = createPatient(ws1, { code: 'P-PURGE' });
    const s = uuidOf(ws1, 'sessions', recordSession(ws1, p.id, 1.7e12, 2));
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const deletedAtMs = Date.parse('2026-10-01T08:00:00Z');
    softDelete(ws1, 'session', localIdOf(ws1, 'sessions', s), 'Session of P-PURGE', deletedAtMs);
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    expect(purgeDeleted(ws1, deletedAtMs + KEEP_DELETED_MS + 1)).toEqual({ patients: 0, sessions: 1 });
    expect(localIdOf(ws1, 'sessions', s)).toBeUndefined();
    // A new recording here takes the purged row's local id (SQLite reuses the highest rowid).
    const fresh = uuidOf(ws1, 'sessions', recordSession(ws1, p.id, 1.8e12, 1));

    // The office, not yet purged, adds a marker to the hidden session (e.g. an import job); it reaches ws1.
    insertMarker(ws2, {
      sessionId: localIdOf(ws2, 'sessions', s),
      timeMs: 1.7e12 + 500,
      kind: 'note',
      text: 'late',
    });
    await syncOk(ws2, site);
    await syncOk(ws1, site);
    expect(deletedAt(ws1, 'sessions', s)).toBe(deletedAtMs);
    expect(visibleSessions(ws1)).toEqual([fresh]);
    expect(listDeleted(ws1).map((d) => [d.entity, d.description, d.deletedAtMs])).toEqual([
      ['session', 'Session of P-PURGE', deletedAtMs],
    ]);
  });
  it('skips what a workstation that was offline for the month added to a patient purged here meanwhile', async () => {
    const { site, ws1, ws2 } = await clinic(file.cluster, 'del_clinic_d', file.keep);
    const p1 = createPatient(ws1, { code: 'P-LATE' });
    await syncOk(ws1, site);
    await syncOk(ws2, site);
    const uuid = uuidOf(ws1, 'patients', p1.id);
    const deletedAtMs = Date.parse('2026-10-01T08:00:00Z');
    softDelete(ws1, 'patient', p1.id, 'Patient P-LATE', deletedAtMs);
    await syncOk(ws1, site);
    // The laptop, offline since before the deletion, logs a dose for the patient.
    new DoseRepository(ws2).addDoses(
      localIdOf(ws2, 'patients', uuid),
      [{ ...oral, timeMs: 1.7e12, amount: 5 }],
      'laptop',
    );
    expect(purgeDeleted(ws1, deletedAtMs + KEEP_DELETED_MS + 1)).toEqual({ patients: 1, sessions: 0 });
    await syncOk(ws2, site);
    expect(deletedAt(ws2, 'patients', uuid)).toBe(deletedAtMs);
    await syncOk(ws1, site);
    expect(ws1.prepare('SELECT count(*) FROM patients').pluck().get()).toBe(0);
    expect(ws1.prepare('SELECT count(*) FROM dose_events').pluck().get()).toBe(0);
    expect((await syncOk(ws1, site)).pushed).toBe(0);
  });
});
