import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDataFolder } from '../../../src/app/data-folder.js';
import { runCli } from '../../../src/cli/program.js';
import { databaseFileState, KEY_FILE, NEXT_KEY_FILE } from '../../../src/storage/database-key.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { addPatient, addSession } from '../storage/dose-fixture.js';

const CODE = 'CP-MIGRATE-0815';

/** A plain data folder as Tonus made them before encryption: two patients, one session, some WAL content. */
function plainFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-migrate-'));
  const db = openDatabase(join(dir, 'tonus.sqlite'));
  const patient = addPatient(db, CODE, 21);
  addPatient(db, 'CP-OTHER', 30);
  addSession(db, patient, Date.UTC(2026, 0, 5, 9));
  db.close();
  return dir;
}

const rowsOf = (dir: string): unknown[] => {
  const { db } = openDataFolder(dir, { env: {} });
  try {
    return db.prepare('SELECT code, weight_kg FROM patients ORDER BY code').all();
  } finally {
    db.close();
  }
};

function grepCount(text: string, dir: string): number {
  try {
    return execFileSync('grep', ['-r', '-a', '-l', '-F', text, dir], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean).length;
  } catch (err) {
    if ((err as { status?: number }).status === 1) return 0;
    throw err;
  }
}

/** Runs the CLI with `TONUS_DB_KEY` as given; returns the exit code and what it printed. */
async function tonus(args: string[], envKey?: string): Promise<{ code: number; out: string; err: string }> {
  const before = process.env.TONUS_DB_KEY;
  if (envKey === undefined) delete process.env.TONUS_DB_KEY;
  else process.env.TONUS_DB_KEY = envKey;
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  const error = vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((m) => (out.push(String(m)), true));
  try {
    return { code: await runCli(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    if (before === undefined) delete process.env.TONUS_DB_KEY;
    else process.env.TONUS_DB_KEY = before;
  }
}

describe('tonus encrypt and tonus rekey', () => {
  let envBefore: string | undefined;
  beforeEach(() => {
    envBefore = process.env.TONUS_DB_KEY;
  });
  afterEach(() => {
    if (envBefore === undefined) delete process.env.TONUS_DB_KEY;
    else process.env.TONUS_DB_KEY = envBefore;
  });

  it('encrypts a plain folder: same rows, nothing readable, key file 0600, no copy left behind', async () => {
    const dir = plainFolder();
    const before = rowsOf(dir);
    expect(grepCount(CODE, dir)).toBeGreaterThan(0);
    const r = await tonus(['--data-dir', dir, 'encrypt', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      tables: expect.any(Number),
      rows: expect.any(Number),
      envKeyStale: false,
    });
    expect(databaseFileState(join(dir, 'tonus.sqlite'))).toBe('encrypted');
    expect(grepCount(CODE, dir)).toBe(0);
    expect((statSync(join(dir, KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    expect(rowsOf(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['tonus.key', 'tonus.sqlite']);
    // Encrypting twice is refused (bad input) and changes nothing.
    const again = await tonus(['--data-dir', dir, 'encrypt']);
    expect(again.code).toBe(4);
    expect(again.err).toMatch(/already encrypted; use `tonus rekey`/);
  });

  it('re-keys: the old key is refused afterwards, the new one opens the same rows', async () => {
    const dir = plainFolder();
    expect((await tonus(['--data-dir', dir, 'encrypt'])).code).toBe(0);
    const oldKey = readFileSync(join(dir, KEY_FILE), 'utf8').trim();
    const before = rowsOf(dir);
    const r = await tonus(['--data-dir', dir, 'rekey']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Re-keyed .*tables, \d+ rows verified/);
    const newKey = readFileSync(join(dir, KEY_FILE), 'utf8').trim();
    expect(newKey).not.toBe(oldKey);
    expect(rowsOf(dir)).toEqual(before);
    const withOld = await tonus(['--data-dir', dir, 'sessions'], oldKey);
    expect(withOld.code).toBe(6);
    expect(withOld.err).toMatch(/does not open the Tonus database/);
    expect(readdirSync(dir).sort()).toEqual(['tonus.key', 'tonus.sqlite']);
  });

  it('re-keys with the key in TONUS_DB_KEY and says that the variable is now stale', async () => {
    const dir = plainFolder();
    expect((await tonus(['--data-dir', dir, 'encrypt'])).code).toBe(0);
    const key = readFileSync(join(dir, KEY_FILE), 'utf8').trim();
    const r = await tonus(['--data-dir', dir, 'rekey'], key);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/TONUS_DB_KEY holds the old key: unset it or set it to the new key/);
  });

  it('refuses to re-key without a key (exit 6) or a plain folder (exit 4), leaving the data as it was', async () => {
    const dir = plainFolder();
    expect((await tonus(['--data-dir', dir, 'rekey'])).code).toBe(4);
    expect(databaseFileState(join(dir, 'tonus.sqlite'))).toBe('plain');
    expect((await tonus(['--data-dir', dir, 'encrypt'])).code).toBe(0);
    writeFileSync(join(dir, '..', `${KEY_FILE}-${process.pid}`), readFileSync(join(dir, KEY_FILE)));
    execFileSync('rm', [join(dir, KEY_FILE)]);
    const r = await tonus(['--data-dir', dir, 'rekey']);
    expect(r.code).toBe(6);
    expect(r.err).toMatch(/no key was found/);
    expect(databaseFileState(join(dir, 'tonus.sqlite'))).toBe('encrypted');
  });

  it('refuses while another process holds a write transaction, and changes nothing', async () => {
    const dir = plainFolder();
    const other = openDatabase(join(dir, 'tonus.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    other.prepare("UPDATE patients SET weight_kg = 22 WHERE code = 'CP-OTHER'").run();
    try {
      const r = await tonus(['--data-dir', dir, 'encrypt']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is still using .*close it, then run this again/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(databaseFileState(join(dir, 'tonus.sqlite'))).toBe('plain');
    expect(existsSync(join(dir, 'tonus.sqlite.new'))).toBe(false);
  }, 30_000);

  it('finishes a re-key interrupted between the database swap and the key file swap', async () => {
    const dir = plainFolder();
    expect((await tonus(['--data-dir', dir, 'encrypt'])).code).toBe(0);
    const oldKey = readFileSync(join(dir, KEY_FILE), 'utf8');
    expect((await tonus(['--data-dir', dir, 'rekey'])).code).toBe(0);
    const newKey = readFileSync(join(dir, KEY_FILE), 'utf8');
    // The state a crash leaves: new database, old key file, new key beside it.
    writeFileSync(join(dir, NEXT_KEY_FILE), newKey, { mode: 0o600 });
    writeFileSync(join(dir, KEY_FILE), oldKey, { mode: 0o600 });
    const { db } = openDataFolder(dir, { env: {} });
    db.close();
    expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toBe(newKey);
    expect(existsSync(join(dir, NEXT_KEY_FILE))).toBe(false);
  });
});
