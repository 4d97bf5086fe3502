/**
 * `tonus encrypt` and `tonus rekey`: give a data folder's database a new random key (encrypting a plain one)
 * without ever being without a good copy. Under a write lock the database is checkpointed and copied; the
 * copy is re-keyed and verified (schema version, integrity check, the same row count in every table, no
 * readable header) and the new key written to `tonus.key.new`. Only then is the copy renamed over the
 * database (an atomic replace; the old file stays as a hard link `tonus.sqlite.before-<mode>`) and the key
 * file replaced. The old copy is removed last, once the swapped-in database has opened with the key file.
 * An interruption leaves either the old database with its key, or the new one with `tonus.key.new`, which
 * `openDataFolder` then picks up.
 */
import { copyFileSync, existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import {
  databaseFileState,
  DatabaseKeyError,
  findDatabaseKey,
  KEY_ENV,
  KEY_FILE,
  NEXT_KEY_FILE,
  newDatabaseKey,
  writeKeyFile,
} from '../storage/database-key.node.js';
import { openExistingDatabase, type Db } from '../storage/database.node.js';
import { ensurePrivateFile } from '../storage/private-files.node.js';
import { DATABASE_FILE } from './data-dir.js';
import { openDataFolder } from './data-folder.js';

/** What a key migration did. */
export interface KeyMigrationResult {
  keyFile: string;
  tables: number;
  rows: number;
  /** True when `TONUS_DB_KEY` is set: it no longer opens the folder and must be unset or changed. */
  envKeyStale: boolean;
}

/** A migration that cannot start or whose copy failed verification; the database is left as it was. */
export class KeyMigrationError extends Error {
  constructor(
    message: string,
    readonly reason: 'not-found' | 'wrong-state' | 'busy' | 'verify',
  ) {
    super(message);
    this.name = 'KeyMigrationError';
  }
}

/** Row count of every table, by name. */
function rowCounts(db: Db): Map<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return new Map(
    names.map((n) => [
      n,
      db
        .prepare(`SELECT count(*) FROM "${n.replace(/"/g, '""')}"`)
        .pluck()
        .get() as number,
    ]),
  );
}

/** Copies `file` (a WAL database) to `copy` while holding its write lock, after a full checkpoint. */
function copyUnderWriteLock(source: Db, file: string, copy: string): void {
  const [checkpoint] = source.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (checkpoint?.busy !== 0)
    throw new KeyMigrationError(`Tonus is still using ${file}: close it, then run this again.`, 'busy');
  source.exec('BEGIN IMMEDIATE');
  try {
    const wal = `${file}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0)
      throw new KeyMigrationError(
        `Tonus is still writing to ${file}: close it, then run this again.`,
        'busy',
      );
    rmSync(copy, { force: true });
    ensurePrivateFile(copy);
    copyFileSync(file, copy);
  } finally {
    source.exec('ROLLBACK');
  }
}

/** Re-keys the copy in place (rollback journal while re-keying, as SQLite3 Multiple Ciphers requires). */
function rekeyCopy(copy: string, oldKey: string | undefined, newKey: string): void {
  const db = new Database(copy, { fileMustExist: true });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    if (oldKey !== undefined) db.pragma(`key = "x'${oldKey}'"`);
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey = "x'${newKey}'"`);
  } finally {
    db.close();
  }
}

/** Opens the re-keyed copy with `newKey` and checks it holds exactly what the source held. */
function verifyCopy(copy: string, newKey: string, expected: Map<string, number>): number {
  if (databaseFileState(copy) !== 'encrypted')
    throw new KeyMigrationError(
      `The copy ${copy} is not encrypted; the database was left as it was.`,
      'verify',
    );
  const db = openExistingDatabase(copy, undefined, newKey);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const counts = rowCounts(db);
    const same = counts.size === expected.size && [...expected].every(([t, n]) => counts.get(t) === n);
    if (integrity !== 'ok' || !same)
      throw new KeyMigrationError(
        `The re-keyed copy ${copy} does not match the database (integrity: ${String(integrity)}); the database was left as it was.`,
        'verify',
      );
    return [...counts.values()].reduce((a, b) => a + b, 0);
  } finally {
    db.close();
  }
}

/**
 * Encrypts (`encrypt`: the database must be plain) or re-keys (`rekey`: it must be encrypted, its key found
 * in `TONUS_DB_KEY` or the key file) the database of `dataDir` with a fresh random key, written to the key
 * file. Refuses while another process is writing to the database.
 */
export function migrateFolderKey(
  dataDir: string,
  mode: 'encrypt' | 'rekey',
  env: NodeJS.ProcessEnv = process.env,
): KeyMigrationResult {
  const file = join(dataDir, DATABASE_FILE);
  const state = databaseFileState(file);
  if (state === 'absent')
    throw new KeyMigrationError(`There is no Tonus database in ${dataDir}.`, 'not-found');
  if (mode === 'encrypt' && state === 'encrypted')
    throw new KeyMigrationError(
      `The database in ${dataDir} is already encrypted; use \`tonus rekey\` for a new key.`,
      'wrong-state',
    );
  if (mode === 'rekey' && state === 'plain')
    throw new KeyMigrationError(
      `The database in ${dataDir} is not encrypted; use \`tonus encrypt\`.`,
      'wrong-state',
    );
  const oldKey = mode === 'rekey' ? findDatabaseKey(dataDir, env) : undefined;
  if (mode === 'rekey' && !oldKey)
    throw new DatabaseKeyError(
      'missing',
      `The database in ${dataDir} is encrypted and no key was found (${KEY_ENV} or ${KEY_FILE}). Nothing was changed.`,
    );

  const copy = `${file}.new`;
  const source = openExistingDatabase(file, undefined, oldKey?.key);
  let expected: Map<string, number>;
  try {
    expected = rowCounts(source);
    copyUnderWriteLock(source, file, copy);
  } finally {
    source.close();
  }
  const newKey = newDatabaseKey();
  let rows: number;
  try {
    rekeyCopy(copy, oldKey?.key, newKey);
    rows = verifyCopy(copy, newKey, expected);
  } catch (err) {
    rmSync(copy, { force: true });
    throw err;
  }

  const keyFile = join(dataDir, KEY_FILE);
  const backup = `${file}.before-${mode}`;
  const oldKeyBackup = `${keyFile}.before-${mode}`;
  writeKeyFile(dataDir, newKey, NEXT_KEY_FILE);
  rmSync(backup, { force: true });
  linkSync(file, backup);
  renameSync(copy, file);
  if (existsSync(keyFile)) {
    rmSync(oldKeyBackup, { force: true });
    linkSync(keyFile, oldKeyBackup);
  }
  renameSync(join(dataDir, NEXT_KEY_FILE), keyFile);

  const withoutEnvKey = { ...env };
  delete withoutEnvKey[KEY_ENV];
  openDataFolder(dataDir, { env: withoutEnvKey }).db.close();
  for (const old of [backup, `${backup}-wal`, `${backup}-shm`, oldKeyBackup]) rmSync(old, { force: true });
  return { keyFile, tables: expected.size, rows, envKeyStale: Boolean(env[KEY_ENV]) };
}
