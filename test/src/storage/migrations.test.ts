import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';

const tempDb = (): string => join(mkdtempSync(join(tmpdir(), 'tonus-db-')), 'nested', 'tonus.sqlite');

describe('database and migrations', () => {
  it('numbers migrations 1, 2, 3, … without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('creates the file, its folder and the latest schema, with WAL on', () => {
    const file = tempDb();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    db.close();
  });

  it('is idempotent: reopening applies nothing', () => {
    const file = tempDb();
    openDatabase(file).close();
    const db = new Database(file);
    expect(migrate(db, migrations)).toEqual([]);
    db.close();
  });

  it('refuses a database from a newer Tonus', () => {
    const file = tempDb();
    openDatabase(file).close();
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(file)).toThrow(/schema version 999, newer than this Tonus knows/);
  });

  it('0001 app-meta: creates the settings table', () => {
    const db = openDatabase(tempDb(), migrations.slice(0, 1));
    db.prepare('INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)').run(
      'mainsHz',
      '50',
      '2026-01-01T00:00:00Z',
    );
    expect(db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get('mainsHz')).toBe('50');
    db.close();
  });
});

describe('0002 recording-core', () => {
  it('keeps a session with its chunks, markers and analyses, and cascades their deletion', () => {
    const db = openDatabase(tempDb(), migrations.slice(0, 2));
    const now = '2026-11-24T10:00:00Z';
    const patient = db
      .prepare(
        'INSERT INTO patients (code, birth_year, gmfcs_level, affected_side, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run('P-001', 2015, 2, 'left', now, now).lastInsertRowid;
    const session = db
      .prepare(
        `INSERT INTO sessions (patient_id, protocol, muscle, side, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
         VALUES (?, 'passive-stretch', 'gastrocnemius', 'left', 'synthetic', 'Demo', 'live', 1.7e12, 'recording', '[]', ?)`,
      )
      .run(patient, now).lastInsertRowid;
    const data = Buffer.from(new Float32Array([1, 2, 3, 4]).buffer);
    db.prepare(
      'INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(session, 'emg', 0, 2, 2, 1.7e12, 1.7e12 + 0.5, data);
    db.prepare(
      "INSERT INTO markers (session_id, time_ms, kind, text) VALUES (?, ?, 'marker', 'fast stretch 1')",
    ).run(session, 1.7e12);
    const analysis = db
      .prepare(
        "INSERT INTO analyses (session_id, algorithm_version, params_json, summary_json, created_at) VALUES (?, '1', '{}', '{}', ?)",
      )
      .run(session, now).lastInsertRowid;
    db.prepare(
      "INSERT INTO analysis_events (analysis_id, kind, event_index, start_s, values_json) VALUES (?, 'stretch', 0, 3.2, '{}')",
    ).run(analysis);

    const blob = db
      .prepare('SELECT data FROM sample_chunks WHERE session_id = ?')
      .pluck()
      .get(session) as Buffer;
    expect(Array.from(new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4))).toEqual([
      1, 2, 3, 4,
    ]);
    expect(() => db.prepare("UPDATE sessions SET status = 'paused' WHERE id = ?").run(session)).toThrow(
      /CHECK/,
    );
    expect(() => db.prepare('DELETE FROM patients WHERE id = ?').run(patient)).toThrow(/FOREIGN KEY/);

    db.prepare('DELETE FROM sessions WHERE id = ?').run(session);
    for (const table of ['sample_chunks', 'markers', 'analyses', 'analysis_events']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    db.close();
  });
});
