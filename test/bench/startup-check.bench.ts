import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTonusApp } from '../../src/app/tonus-app.js';
import { SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import type { Recording } from '../../src/shared/recording.js';
import { storeRecording } from '../../src/storage/session-recording.node.js';
import type { Bench, BenchResult } from './harness.js';

const MB = 1024 * 1024;

/** Milliseconds to open the app on `dir` and close it again. */
async function openCloseMs(dir: string): Promise<number> {
  const t0 = performance.now();
  const app = createTonusApp({ dataDir: dir });
  const ms = performance.now() - t0;
  await app.close();
  return ms;
}

/**
 * Start-up cost against database size: the app opened after a clean close (no check) and after an unclean
 * shutdown (a stale running marker: PRAGMA quick_check), on a database holding `minutes` of the demo device.
 * Baseline: the full PRAGMA integrity_check that every start used to run.
 */
export const bench: Bench = {
  name: 'Start-up integrity check cost',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const minutes of [2, 10]) {
      const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-start-'));
      try {
        const app = createTonusApp({ dataDir: dir });
        const signal = new SyntheticSignal();
        const rec: Recording = {
          format: 'bdf',
          source: 'bench',
          startTimeMs: Date.UTC(2026, 0, 1),
          streams: signal.streams.map((d) => ({
            descriptor: d,
            data: [...signal.next(d.id as 'emg' | 'imu', d.sampleRateHz * 60 * minutes).data],
          })),
          annotations: [],
          meta: {},
        };
        storeRecording(app.db, rec, { patientId: null, protocol: 'rest', origin: 'import' });
        const t0 = performance.now();
        app.db.pragma('integrity_check');
        const fullMs = performance.now() - t0;
        await app.close();
        const size = statSync(join(dir, 'tonus.sqlite')).size;
        const cleanMs = await openCloseMs(dir);
        const dead = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
        writeFileSync(join(dir, 'running', String(dead)), 'x');
        const uncleanMs = await openCloseMs(dir);
        results.push({
          name: `open after a clean close, ${(size / MB).toFixed(0)} MB database`,
          throughput: 1000 / cleanMs,
          unit: ' opens/s',
          baselineName: 'integrity_check',
          baselineThroughput: 1000 / fullMs,
          note: `clean ${cleanMs.toFixed(0)} ms, after an unclean shutdown (quick_check) ${uncleanMs.toFixed(0)} ms, full integrity_check ${fullMs.toFixed(0)} ms`,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return results;
  },
};
