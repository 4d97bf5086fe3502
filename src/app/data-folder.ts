import { join } from 'node:path';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import {
  checkDatabaseKey,
  DatabaseKeyError,
  databaseFileState,
  findDatabaseKey,
  KEY_ENV,
  KEY_FILE,
  NEXT_KEY_FILE,
  newDatabaseKey,
  writeKeyFile,
  type FoundKey,
} from '../storage/database-key.node.js';
import { openDatabase, type Db } from '../storage/database.node.js';
import { ensurePrivateDir } from '../storage/private-files.node.js';
import { DATABASE_FILE } from './data-dir.js';

/** How the key of a data folder is found: a key given by the shell (desktop keychain), else env or key file. */
export interface DataFolderKeyOptions {
  /** A key the shell already holds (the desktop's keychain); wins over the environment and the key file. */
  key?: FoundKey;
  env?: NodeJS.ProcessEnv;
}

/** An open data folder: its database, and whether and how it is encrypted. */
export interface OpenDataFolder {
  db: Db;
  /** Where the key came from (`undefined`: a plain database from before encryption, see `tonus encrypt`). */
  keySource: string | undefined;
}

/** What a person does when the key is missing or wrong (CLI and browser shell). */
export function keyAdvice(dataDir: string): string {
  return (
    `Put the key file back as ${join(dataDir, KEY_FILE)} (mode 0600) or set ${KEY_ENV} to the 64-character key ` +
    `(on the desktop: restore the keychain, or start once with ${KEY_ENV} set to your recovery key).`
  );
}

/**
 * Opens the database of `dataDir`. A new folder is encrypted: with the shell's key, else `TONUS_DB_KEY`,
 * else a fresh random key written to the key file `tonus.key` (0600). An encrypted database needs its key;
 * a missing or wrong key opens nothing and throws a {@link DatabaseKeyError} whose message says what to do.
 * A plain database from before encryption opens as it is.
 */
export function openDataFolder(dataDir: string, options: DataFolderKeyOptions = {}): OpenDataFolder {
  const file = join(dataDir, DATABASE_FILE);
  const state = databaseFileState(file);
  if (state === 'plain') return { db: openDatabase(file), keySource: undefined };
  ensurePrivateDir(dataDir);
  let found = options.key ?? findDatabaseKey(dataDir, options.env);
  if (state === 'absent' && !found) {
    const key = newDatabaseKey();
    found = { key, source: `the key file ${writeKeyFile(dataDir, key)}` };
  }
  if (!found)
    throw new DatabaseKeyError(
      'missing',
      `The Tonus database in ${dataDir} is encrypted and no key was found. ${keyAdvice(dataDir)} Nothing was opened.`,
    );
  try {
    return { db: openDatabase(file, undefined, found.key), keySource: found.source };
  } catch (err) {
    const next = join(dataDir, NEXT_KEY_FILE);
    if (
      err instanceof DatabaseKeyError &&
      err.problem === 'wrong' &&
      found.file !== undefined &&
      existsSync(next)
    ) {
      // An interrupted `tonus encrypt`/`rekey` swapped the database in but not yet its key file: finish it.
      const db = openDatabase(file, undefined, checkDatabaseKey(readFileSync(next, 'utf8'), next));
      renameSync(next, join(dataDir, KEY_FILE));
      return { db, keySource: `the key file ${join(dataDir, KEY_FILE)}` };
    }
    if (err instanceof DatabaseKeyError && err.problem === 'wrong')
      throw new DatabaseKeyError(
        'wrong',
        `The key from ${found.source} does not open the Tonus database in ${dataDir}. ${keyAdvice(dataDir)} Nothing was opened.`,
      );
    throw err;
  }
}

/** Thrown when a data folder's key is missing, wrong or malformed (re-exported for the shells). */
export { DatabaseKeyError } from '../storage/database-key.node.js';
