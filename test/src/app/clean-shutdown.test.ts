import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markClosed, markOpen } from '../../../src/app/clean-shutdown.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid ?? 0;

describe('clean-shutdown markers decide whether the database is checked at start', () => {
  it('says clean after a clean close, unclean after a process died with the folder open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-clean-'));
    expect(markOpen(dir)).toEqual({ wasUnclean: false });
    markClosed(dir);
    expect(readdirSync(join(dir, 'running'))).toEqual([]);
    expect(markOpen(dir)).toEqual({ wasUnclean: false });
    markClosed(dir);
    const dead = deadPid();
    writeFileSync(join(dir, 'running', String(dead)), 'x');
    expect(markOpen(dir)).toEqual({ wasUnclean: true });
    expect(existsSync(join(dir, 'running', String(dead)))).toBe(false);
    // Another live process (this one) with the folder open is not an unclean shutdown.
    expect(markOpen(dir)).toEqual({ wasUnclean: false });
    markClosed(dir);
  });

  it('the app leaves no marker after close, and one while open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-clean-app-'));
    const app = createTonusApp({ dataDir: dir });
    expect(readdirSync(join(dir, 'running'))).toEqual([String(process.pid)]);
    await app.close();
    expect(readdirSync(join(dir, 'running'))).toEqual([]);
  });
});
