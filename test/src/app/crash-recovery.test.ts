import { spawnTracked } from '../../support/child-processes.js';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { defaultSyntheticParams, SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { demoSyntheticParams } from '../../../src/devices/drivers/synthetic.js';
import { readStream } from '../../../src/storage/sample-chunks.node.js';
import { lastChunkTimeMs } from '../../../src/storage/sample-chunks.node.js';
import { listSessions } from '../../../src/storage/sessions.node.js';

const root = packageRoot();
const cli = join(root, 'bin', 'tonus.js');
const builtCli = join(root, 'build', 'node', 'src', 'cli', 'main.js');
const KILLS = 12;

/** Starts `tonus record` and resolves once it says it is recording; rejects if it exits first. */
function startRecording(dataDir: string): Promise<ChildProcess> {
  const child = spawnTracked(
    process.execPath,
    [
      cli,
      '--data-dir',
      dataDir,
      'record',
      '--device',
      'synthetic',
      '--seconds',
      '60',
      '--patient',
      'P1',
      '--protocol',
      'rest',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Recording session')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`tonus record exited (${code}) before recording: ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

describe('crash safety: tonus record killed with SIGKILL mid-write', () => {
  it('never marks a live recording of another process interrupted', async () => {
    expect(existsSync(builtCli), `${builtCli} is missing: run \`npm run build\` before the tests.`).toBe(
      true,
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-two-'));
    const child = await startRecording(dataDir);
    try {
      await new Promise((r) => setTimeout(r, 700));
      const second = createTonusApp({ dataDir });
      const [session] = listSessions(second.db);
      await second.close();
      expect(session?.status).toBe('recording');
      expect(existsSync(join(dataDir, 'locks', `session-${session?.id}.lock`))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    const after = createTonusApp({ dataDir });
    const [session] = listSessions(after.db);
    await after.close();
    expect(session?.status).toBe('interrupted');
    expect(session?.endReason).toBe('crash');
    expect(existsSync(join(dataDir, 'locks', `session-${session?.id}.lock`))).toBe(false);
  });

  it(`loses at most the last second and leaves intact, exact data, over ${KILLS} kills at random moments`, async () => {
    expect(existsSync(builtCli), `${builtCli} is missing: run \`npm run build\` before the tests.`).toBe(
      true,
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-crash-'));
    const reference = new SyntheticSignal({ ...defaultSyntheticParams, ...demoSyntheticParams });
    const expected = {
      emg: reference.next('emg', 2000 * 10).data,
      imu: reference.next('imu', 100 * 10).data,
    };
    for (let k = 0; k < KILLS; k++) {
      const child = await startRecording(dataDir);
      const delayMs = Math.floor(Math.random() * 3000);
      await new Promise((r) => setTimeout(r, delayMs));
      const killedAtMs = Date.now();
      child.kill('SIGKILL');
      await exited(child);

      const app = createTonusApp({ dataDir });
      try {
        const ctx = `kill ${k + 1} after ${delayMs} ms`;
        expect(app.db.pragma('integrity_check', { simple: true }), ctx).toBe('ok');
        const sessions = listSessions(app.db);
        expect(sessions, ctx).toHaveLength(k + 1);
        expect(
          sessions.every((s) => s.status === 'interrupted'),
          ctx,
        ).toBe(true);
        const session = sessions[0]!;
        expect(session.endTimeMs, ctx).toBe(lastChunkTimeMs(app.db, session.id) ?? session.startTimeMs);
        const elapsedS = (killedAtMs - session.startTimeMs) / 1000;
        for (const descriptor of session.streams) {
          const id = descriptor.id as 'emg' | 'imu';
          const stored = readStream(app.db, session.id, descriptor);
          const n = stored.data[0]?.length ?? 0;
          expect(stored.missing, ctx).toEqual([]);
          expect(
            n / descriptor.sampleRateHz,
            `${ctx}: ${id} covers ${n} samples of ${elapsedS} s`,
          ).toBeGreaterThanOrEqual(elapsedS - 1);
          expect(n, ctx).toBeLessThanOrEqual(expected[id][0]!.length);
          stored.data.forEach((ch, c) =>
            expect(ch, `${ctx}: ${id} channel ${c}`).toEqual(expected[id][c]!.subarray(0, n)),
          );
        }
      } finally {
        await app.close();
      }
    }
  }, 180_000);
});
