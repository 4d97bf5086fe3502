import Database from 'better-sqlite3';
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
