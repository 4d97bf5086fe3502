import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

describe('0003 dosing-and-trends', () => {
  it('upgrades a 0002 database in place and keeps its rows', () => {
    const file = tempDbFile();
    const old = openDatabase(file, migrations.slice(0, 2));
    const patient = addPatient(old);
    addSession(old, patient, 1.7e12);
    old.close();
    const db = openDatabase(file, migrations.slice(0, 3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    db.close();
  });

  it('checks routes, kinds, units, side-effect kinds and cascades with the patient and session', () => {
    const db = openDatabase(tempDbFile(), migrations.slice(0, 3));
    const patient = addPatient(db);
    const session = addSession(db, patient, 1.7e12);
    const dose = db.prepare(
      "INSERT INTO dose_events (patient_id, time_ms, route, kind, amount, unit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 'x')",
    );
    dose.run(patient, 1.7e12, 'oral', 'scheduled', 5, 'mg');
    expect(() => dose.run(patient, 1.7e12, 'nasal', 'scheduled', 5, 'mg')).toThrow(/CHECK/);
    expect(() => dose.run(patient, 1.7e12, 'oral', 'scheduled', 5, 'g')).toThrow(/CHECK/);
    expect(() => dose.run(patient, 1.7e12, 'oral', 'scheduled', -1, 'mg')).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO side_effects (patient_id, time_ms, kind, severity, created_at) VALUES (?, 0, 'headache', 'mild', 'x')",
        )
        .run(patient),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n, algorithm_version, muscle, side, protocol)
       VALUES (?, ?, 1.7e12, 'rmsRest', 4.2, 'uV', 3, '1.0.0', 'gastrocnemius', 'left', 'rest')`,
    ).run(session, patient);
    db.prepare(
      "INSERT INTO session_dose_context (session_id, route, phase, context_json, computed_at) VALUES (?, 'oral', 'peak', '{}', 'x')",
    ).run(session);
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT * FROM session_indicators WHERE patient_id = ? AND indicator_id = 'rmsRest' ORDER BY muscle, side, start_time_ms",
      )
      .all(patient) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX session_indicators_trend/);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(session);
    expect(db.prepare('SELECT count(*) FROM session_indicators').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM session_dose_context').pluck().get()).toBe(0);
    db.prepare('DELETE FROM patients WHERE id = ?').run(patient);
    expect(db.prepare('SELECT count(*) FROM dose_events').pluck().get()).toBe(0);
    db.close();
  });
});
