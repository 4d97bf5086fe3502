import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Clean-shutdown markers: each process that opens a data folder leaves `<dataDir>/running/<pid>` until it
 * closes the app. A marker of a process that is gone means it did not close cleanly (killed, crashed, power
 * cut), which is when the database deserves a check at the next start. Its cost then does not grow with
 * every start: a cleanly closed folder is opened without scanning the database.
 */
const runningDir = (dataDir: string): string => join(dataDir, 'running');

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Records that this process has the folder open and says whether an earlier one left it without closing
 * (its stale markers are removed).
 */
export function markOpen(dataDir: string): { wasUnclean: boolean } {
  const dir = runningDir(dataDir);
  mkdirSync(dir, { recursive: true });
  let wasUnclean = false;
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    wasUnclean = true;
    rmSync(join(dir, name), { force: true });
  }
  writeFileSync(join(dir, String(process.pid)), new Date().toISOString());
  return { wasUnclean };
}

/** Removes this process's marker: the folder was closed cleanly. */
export function markClosed(dataDir: string): void {
  rmSync(join(runningDir(dataDir), String(process.pid)), { force: true });
}
