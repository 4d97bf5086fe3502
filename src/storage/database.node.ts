import Database from 'better-sqlite3-multiple-ciphers';
import { dirname } from 'node:path';
import type { Migration } from './migration.js';
import { migrations as allMigrations } from './migrations/index.js';
import { checkDatabaseKey, DatabaseKeyError } from './database-key.node.js';
import { ensurePrivateDir, ensurePrivateFile, tightenIfPresent } from './private-files.node.js';

export type Db = Database.Database;

const keys = new WeakMap<Db, string>();

/** The key `db` was opened with (undefined for a plain database): a second connection needs it too. */
export function databaseKeyOf(db: Db): string | undefined {
  return keys.get(db);
}

/**
 * Unlocks `db` with `key` (64 hex characters, used as a raw SQLCipher 4 key) before anything is read, and
 * proves the key by reading the schema: a wrong key closes `db` and throws a {@link DatabaseKeyError}.
 * Without a key, a database that turns out to be encrypted is closed with a `missing` error.
 */
function unlock(db: Db, file: string, key: string | undefined): void {
  if (key !== undefined) {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${checkDatabaseKey(key, 'the key given to Tonus')}'"`);
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_NOTADB') throw err;
    throw key === undefined
      ? new DatabaseKeyError(
          'missing',
          `The Tonus database ${file} is encrypted and no key was given. Nothing was opened.`,
        )
      : new DatabaseKeyError(
          'wrong',
          `The key does not open the Tonus database ${file}. Nothing was opened.`,
        );
  }
  if (key !== undefined) keys.set(db, key);
}

/**
 * Opens (creating if needed) the Tonus database at `file` with WAL journaling and foreign keys on, and brings
 * its schema up to date. Each migration runs in its own transaction with the `user_version` bump, so a crash
 * leaves the schema at a whole version. Refuses a database written by a newer Tonus. With `key` the database
 * is encrypted (a new one is created encrypted); a wrong or missing key opens nothing
 * ({@link DatabaseKeyError}).
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  key?: string,
): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(dirname(file));
    ensurePrivateFile(file);
    tightenJournalFiles(file);
  }
  const db = new Database(file);
  unlock(db, file, key);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Another connection (a job worker's) may write meanwhile: every write transaction here begins IMMEDIATE
  // and so waits up to this long for the lock. A deferred one that reads first fails at once with "database
  // is locked" if the other commits before its first write (the busy timeout does not apply to that upgrade).
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Tightens the -wal and -shm files an older Tonus may have left readable (SQLite copies the database's mode to new ones). */
function tightenJournalFiles(file: string): void {
  tightenIfPresent(`${file}-wal`);
  tightenIfPresent(`${file}-shm`);
}

/** Applies the migrations newer than the database's `user_version`; returns the versions applied. */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this Tonus knows (${latest}). Update Tonus.`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}

/**
 * Opens an existing Tonus database for a second connection (a worker thread beside the app's own): same
 * pragmas as {@link openDatabase}, never creates the file and never migrates. Throws when the file is
 * missing or its schema is not exactly the version `migrations` ends at, since this code would then read
 * tables it does not know.
 */
export function openExistingDatabase(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  key?: string,
): Db {
  const db = new Database(file, { fileMustExist: true });
  tightenJournalFiles(file);
  unlock(db, file, key);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const current = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current !== latest)
      throw new Error(`The database ${file} is at schema version ${current}, this code expects ${latest}.`);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
