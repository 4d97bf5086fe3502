import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/storage/database.node.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { createPatient } from '../../../src/storage/patients.node.js';
import { spawnTracked, stopChild } from '../../support/child-processes.js';

/**
 * Another process (as a job worker's connection would) that takes the write lock of `file`, writes, says
 * "locked", and commits after `holdMs`.
 */
function holdWriteLock(file: string, holdMs: number): { child: ChildProcess; locked: Promise<void> } {
  const script = `
const Database = require('better-sqlite3-multiple-ciphers');
const db = new Database(${JSON.stringify(file)});
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
db.exec('CREATE TABLE IF NOT EXISTS other_writer (x INTEGER)');
db.exec('INSERT INTO other_writer VALUES (1)');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`;
  const child = spawnTracked(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited early (${code})`)));
  });
  return { child, locked };
}

let holder: ChildProcess | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await stopChild(holder);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('write transactions while another connection writes', () => {
  it('wait for the lock and then succeed, instead of failing with "database is locked"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-lock-'));
    dirs.push(dir);
    const file = join(dir, 'tonus.db');
    const db = openDatabase(file);
    try {
      const patient = createPatient(db, { code: 'P-LOCK' });
      const doses = new DoseRepository(db);
      const held = holdWriteLock(file, 500);
      holder = held.child;
      await held.locked;
      // The dose entry reads the patient, then writes: begun deferred, it would read an old snapshot and could
      // not upgrade once the other writer commits. Begun immediate, it waits for the lock.
      const rows = doses.addDoses(
        patient.id,
        [{ timeMs: 1, route: 'oral', kind: 'scheduled', amount: 5, unit: 'mg', status: 'taken' }],
        'test',
      );
      expect(rows).toHaveLength(1);
      expect(db.prepare('SELECT count(*) AS n FROM other_writer').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
