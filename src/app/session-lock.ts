import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../storage/database.node.js';
import { deleteSession, finishSession, getSession, recordingSessionIds } from '../storage/sessions.node.js';
import { lastChunkTimeMs } from '../storage/sample-chunks.node.js';
import { ensurePrivateDir, writePrivateFile } from '../storage/private-files.node.js';

/**
 * Ownership of live recordings when several Tonus processes share one data folder.
 *
 * A process recording session N holds the file `<dataDir>/locks/session-N.lock` with its pid and host. The
 * file is written inside the transaction that inserts the session row (see {@link claimSession}), so any
 * process that can see a `recording` row can also see its lock file. Recovery treats a `recording`
 * session as orphaned only when its lock is missing or names a dead process on this host; a lock from
 * another host is trusted (we cannot probe its processes).
 */
export interface SessionLock {
  pid: number;
  host: string;
  sessionId: number;
  createdAt: string;
}

const lockDir = (dataDir: string): string => join(dataDir, 'locks');
const lockFile = (dataDir: string, sessionId: number): string =>
  join(lockDir(dataDir), `session-${sessionId}.lock`);

/**
 * Writes this process's lock for `sessionId`. Synchronous so it can run inside a db transaction. A leftover
 * lock of a dead process (or of this one) is replaced; a lock held by another live process is refused.
 */
export function claimSession(dataDir: string, sessionId: number): void {
  ensurePrivateDir(lockDir(dataDir));
  const file = lockFile(dataDir, sessionId);
  const existing = readLock(file);
  if (existing && existing.pid !== process.pid && lockIsLive(existing))
    throw new Error(
      `Session ${sessionId} is locked by process ${existing.pid} on ${existing.host} (${file}).`,
    );
  const lock: SessionLock = {
    pid: process.pid,
    host: hostname(),
    sessionId,
    createdAt: new Date().toISOString(),
  };
  writePrivateFile(file, JSON.stringify(lock));
}

/** Removes the lock of `sessionId` (no error when it is already gone). */
export function releaseSession(dataDir: string, sessionId: number): void {
  rmSync(lockFile(dataDir, sessionId), { force: true });
}

function readLock(file: string): SessionLock | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SessionLock;
  } catch {
    return undefined;
  }
}

/** Whether `pid` names a live process (EPERM: it exists but is not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock is held by a process that is still running (or on another host, so unknowable). */
function lockIsLive(lock: SessionLock | undefined): boolean {
  if (!lock || typeof lock.pid !== 'number') return false;
  if (lock.host !== hostname()) return true;
  return processAlive(lock.pid);
}

export interface RecoveryReport {
  /** Sessions found `recording` with no live owner, now `interrupted`. */
  interrupted: number[];
  /** Imports left half-stored by a dead process, now deleted (their file can be imported again). */
  discardedImports: number[];
  /** Sessions still `recording` because a live process owns them. */
  live: number[];
  /**
   * Result of `PRAGMA quick_check` after an unclean shutdown (`['ok']` when the database is sound); empty when
   * the last close was clean and no check ran.
   */
  integrity: string[];
}

/**
 * Run at app start: checks the database when asked (`PRAGMA quick_check`, reported on stderr when not ok; the
 * app asks only after an unclean shutdown, so a clean start costs nothing that grows with the data) and marks every session left `recording`
 * by a dead process as `interrupted`, with its end time at its last stored sample (or its start when it
 * has none); an import left half-stored by a dead process is deleted instead. Sessions owned by a live process are left alone. Stale lock files of dead processes are
 * removed. The status changes happen in one immediate transaction, so two processes starting together
 * cannot both act on the same session.
 */
export function recoverInterruptedSessions(
  db: Db,
  dataDir: string,
  options: { check: boolean } = { check: true },
): RecoveryReport {
  const integrity = options.check
    ? (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check)
    : [];
  if (options.check && (integrity.length !== 1 || integrity[0] !== 'ok'))
    console.error(`Tonus: the database in ${dataDir} failed its integrity check: ${integrity.join('; ')}`);
  const interrupted: number[] = [];
  const discardedImports: number[] = [];
  const live: number[] = [];
  db.transaction(() => {
    for (const id of recordingSessionIds(db)) {
      if (lockIsLive(readLock(lockFile(dataDir, id)))) {
        live.push(id);
        continue;
      }
      const session = getSession(db, id);
      if (session && session.origin !== 'live') {
        // An import cut short: the file is still there to import again, a part of it is worth nothing.
        deleteSession(db, id);
        discardedImports.push(id);
        continue;
      }
      const lastMs = lastChunkTimeMs(db, id);
      const end = lastMs ?? session?.startTimeMs ?? 0;
      const detail =
        lastMs === undefined
          ? 'Tonus stopped unexpectedly while recording, before anything was stored.'
          : 'Tonus stopped unexpectedly while recording; the samples stored up to then are kept.';
      if (finishSession(db, id, 'interrupted', end, { reason: 'crash', detail })) interrupted.push(id);
    }
  }).immediate();
  let files: string[];
  try {
    files = readdirSync(lockDir(dataDir));
  } catch {
    files = [];
  }
  for (const name of files) {
    const file = join(lockDir(dataDir), name);
    if (name.endsWith('.lock') && !lockIsLive(readLock(file))) rmSync(file, { force: true });
  }
  return { interrupted, discardedImports, live, integrity };
}
