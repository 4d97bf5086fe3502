/**
 * The key of an encrypted Tonus database (SQLCipher 4 format through SQLite3 Multiple Ciphers): 32 random
 * bytes written as 64 hexadecimal characters and used as a raw key (no passphrase derivation). For the
 * command line and the browser shell it comes from the environment variable `TONUS_DB_KEY` or from the key
 * file `tonus.key` (mode 0600) in the data folder; the desktop keeps it in the OS keychain instead.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from './private-files.node.js';

/** The key file's name inside the data folder. */
export const KEY_FILE = 'tonus.key';
/** A new key written before a re-keyed database is swapped in (see `tonus rekey`); renamed to `tonus.key` after. */
export const NEXT_KEY_FILE = 'tonus.key.new';
/** The environment variable that carries the key (it wins over the key file). */
export const KEY_ENV = 'TONUS_DB_KEY';

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** A fresh random key: 32 bytes from the OS's CSPRNG as 64 lowercase hex characters. */
export function newDatabaseKey(): string {
  return randomBytes(32).toString('hex');
}

/** Why a database could not be opened for want of the right key. */
export type DatabaseKeyProblem = 'missing' | 'wrong' | 'malformed';

/** A database that stays closed because its key is missing, wrong or malformed; the message says what to do. */
export class DatabaseKeyError extends Error {
  constructor(
    readonly problem: DatabaseKeyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseKeyError';
  }
}

/** Checks the form of a key from `where`; returns it lowercased or throws a `malformed` error. */
export function checkDatabaseKey(text: string, where: string): string {
  const key = text.trim().toLowerCase();
  if (!KEY_PATTERN.test(key))
    throw new DatabaseKeyError(
      'malformed',
      `The database key in ${where} is not 64 hexadecimal characters. Restore the key Tonus wrote, or your recovery key; nothing was opened.`,
    );
  return key;
}

/** Where a key came from, for messages. */
export interface FoundKey {
  key: string;
  source: string;
  /** The key file it was read from, when it came from one. */
  file?: string;
}

/** The key from `TONUS_DB_KEY`, else from the data folder's key file, else undefined. */
export function findDatabaseKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): FoundKey | undefined {
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '')
    return { key: checkDatabaseKey(fromEnv, KEY_ENV), source: `the environment variable ${KEY_ENV}` };
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) return undefined;
  return { key: checkDatabaseKey(readFileSync(file, 'utf8'), file), source: `the key file ${file}`, file };
}

/** Writes `key` to the data folder's key file, mode 0600. */
export function writeKeyFile(dataDir: string, key: string, name = KEY_FILE): string {
  const file = join(dataDir, name);
  writePrivateFile(file, `${key}\n`);
  return file;
}

const PLAIN_HEADER = 'SQLite format 3\0';

/**
 * What is at `file`: `absent` (missing or empty: a new database), `plain` (an unencrypted SQLite file) or
 * `encrypted` (anything else: an encrypted database has no readable header).
 */
export function databaseFileState(file: string): 'absent' | 'plain' | 'encrypted' {
  if (!existsSync(file) || statSync(file).size === 0) return 'absent';
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return header.toString('latin1') === PLAIN_HEADER ? 'plain' : 'encrypted';
}
