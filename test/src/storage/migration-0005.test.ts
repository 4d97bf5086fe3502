import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { finishSession, getSession, listSessions } from '../../../src/storage/sessions.node.js';
import { addPatient, addSession, tempDbFile } from './dose-fixture.js';

describe('0005 session-end-reason', () => {
  it('upgrades a 0004 database in place, with null reasons on old rows, and stores only known reasons', () => {
    const file = tempDbFile();
    const old = openDatabase(file, migrations.slice(0, 4));
    const session = addSession(old, addPatient(old), 1.7e12);
    const before = old.prepare('SELECT * FROM sessions ORDER BY id').all();
    old.close();

    const db = openDatabase(file, migrations.slice(0, 5));
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare('SELECT * FROM sessions ORDER BY id').all()).toEqual(
      before.map((row) => ({ ...(row as object), end_reason: null, end_detail: null })),
    );
    expect(() => db.prepare("UPDATE sessions SET end_reason = 'gone' WHERE id = ?").run(session)).toThrow(
      /CHECK/,
    );
    db.close();

    // The repositories read the current schema: the later migrations on top, the reasons as 0005 stored them.
    const current = openDatabase(file);
    expect(listSessions(current)[0]).toMatchObject({ id: session, endReason: null, endDetail: null });
    current.prepare("UPDATE sessions SET status = 'recording' WHERE id = ?").run(session);
    expect(
      finishSession(current, session, 'interrupted', 1.7e12 + 5, {
        reason: 'device-lost',
        detail: 'Port closed.',
      }),
    ).toBe(true);
    expect(getSession(current, session)).toMatchObject({
      status: 'interrupted',
      endReason: 'device-lost',
      endDetail: 'Port closed.',
    });
    expect(current.pragma('foreign_key_check')).toEqual([]);
    current.close();
  });
});
