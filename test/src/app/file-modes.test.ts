import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimSession, releaseSession } from '../../../src/app/session-lock.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { dispatch } from '../../../src/shared/dispatch.js';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('file modes of everything Tonus keeps', () => {
  let umaskBefore = 0;
  beforeEach(() => {
    umaskBefore = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umaskBefore);
  });

  it('creates the data folder 0700 and the database, -wal, -shm, lock and key files 0600 under umask 022', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tonus-modes-')), 'nested', 'data');
    const app = createTonusApp({ dataDir });
    try {
      const created = await dispatch(app.handlers, 'createPatient', { code: 'CP-MODES' });
      expect(created.ok).toBe(true);
      claimSession(dataDir, 4242);
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(join(dataDir, '..'))).toBe('700');
      for (const f of [
        'tonus.sqlite',
        'tonus.sqlite-wal',
        'tonus.sqlite-shm',
        'tonus.key',
        'locks/session-4242.lock',
      ])
        expect(`${f} ${modeOf(join(dataDir, f))}`).toBe(`${f} 600`);
      expect(modeOf(join(dataDir, 'locks'))).toBe('700');
      releaseSession(dataDir, 4242);
    } finally {
      await app.close();
    }
  });

  it('tightens a data folder an older Tonus left readable (0755 folder, 0644 files)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-modes-old-'));
    const first = createTonusApp({ dataDir });
    await dispatch(first.handlers, 'createPatient', { code: 'CP-OLD' });
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'tonus.sqlite'), 0o644);
    mkdirSync(join(dataDir, 'locks'), { recursive: true, mode: 0o755 });
    chmodSync(join(dataDir, 'locks'), 0o755);
    writeFileSync(join(dataDir, 'tonus.sqlite-wal'), '', { mode: 0o644 });
    const app = createTonusApp({ dataDir });
    try {
      claimSession(dataDir, 7);
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(join(dataDir, 'tonus.sqlite'))).toBe('600');
      expect(modeOf(join(dataDir, 'tonus.sqlite-wal'))).toBe('600');
      expect(modeOf(join(dataDir, 'locks'))).toBe('700');
      releaseSession(dataDir, 7);
    } finally {
      await app.close();
    }
  });
});
