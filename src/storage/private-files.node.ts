/**
 * Modes of everything Tonus keeps for itself (data folder, database and its -wal/-shm, lock files, key
 * file): folders 0700 and files 0600, whatever the umask, so no other local user can read patient data.
 * Exports are the user's files and keep the user's umask. On Windows the modes are ignored by the OS.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents, all 0700) or tightens an existing one to 0700. A shared folder with
 * the sticky bit (such as /tmp) is never narrowed: it is not Tonus's to close.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((statSync(dir).mode & 0o1000) === 0) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `file` empty with mode 0600 when missing, or tightens an existing one to 0600. SQLite gives a
 * database's -wal and -shm files the mode of the database file, so a database created after this is
 * private together with its journal files.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Tightens `file` to 0600 when it exists (an older Tonus may have left it world-readable). */
export function tightenIfPresent(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Writes `data` to `file` with mode 0600 (also when the file existed with a wider mode). */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}
