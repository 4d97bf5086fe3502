import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

const insertMarker =
  'INSERT INTO markers (session_id, time_ms, duration_ms, kind, text) VALUES (?, ?, ?, ?, ?)';

describe('0004 pause-markers', () => {
  it('upgrades a 0003 database in place, keeping every marker with its id, and accepts pause markers', () => {
    const file = tempDbFile();
    const old = openDatabase(file, migrations.slice(0, 3));
    const session = addSession(old, addPatient(old), 1.7e12);
    old.prepare(insertMarker).run(session, 1.7e12 + 10, null, 'marker', 'fast stretch 1');
    old.prepare(insertMarker).run(session, 1.7e12 + 20, 500, 'gap', 'Gap: 1000 emg samples dropped');
    expect(() => old.prepare(insertMarker).run(session, 1.7e12, 1, 'pause', 'p')).toThrow(/CHECK/);
    const before = old.prepare('SELECT * FROM markers ORDER BY id').all();
    old.close();

    const db = openDatabase(file, migrations.slice(0, 4));
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    expect(db.prepare('SELECT * FROM markers ORDER BY id').all()).toEqual(before);
    db.prepare(insertMarker).run(session, 1.7e12 + 30, 2000, 'pause', 'Recording paused (2.0 s)');
    expect(() => db.prepare(insertMarker).run(session, 1.7e12, 1, 'pauses', 'x')).toThrow(/CHECK/);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM markers WHERE session_id = ? ORDER BY time_ms')
      .all(session) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX markers_session_time/);
    db.prepare('DELETE FROM sessions WHERE id = ?').run(session);
    expect(db.prepare('SELECT count(*) FROM markers').pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
