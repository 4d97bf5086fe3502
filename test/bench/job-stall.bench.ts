import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InlineJobRunner, WorkerJobRunner, type JobRunner } from '../../src/app/job-runner.js';
import type { JobRequest } from '../../src/app/jobs.js';
import { openDatabase } from '../../src/storage/database.node.js';
import { storeRecording } from '../../src/storage/session-recording.node.js';
import { oneHour } from './analysis-session.bench.js';
import type { Bench, BenchResult } from './harness.js';

interface Stall {
  worstStallMs: number;
  jobS: number;
}

/**
 * Runs `job` on `runner` while a 5 ms timer ticks on the main thread; answers the longest time between two
 * ticks beyond the 5 ms period (how long the main thread could not answer anything) and the job's time.
 */
async function watch(
  runner: JobRunner,
  job: JobRequest,
  onTick: () => void = () => undefined,
): Promise<Stall> {
  const periodMs = 5;
  let last = performance.now();
  let worstStallMs = 0;
  const ticker = setInterval(() => {
    onTick();
    const now = performance.now();
    worstStallMs = Math.max(worstStallMs, now - last - periodMs);
    last = now;
  }, periodMs);
  const start = performance.now();
  await runner.run(job);
  const jobS = (performance.now() - start) / 1000;
  // One more tick, so a stall that ends with the job is counted.
  await new Promise((resolve) => setTimeout(resolve, 2 * periodMs));
  clearInterval(ticker);
  return { worstStallMs: Math.max(worstStallMs, 0.1), jobS };
}

/** How long storing the hour in one transaction holds the write lock (measured on a database of its own). */
function lockHoldOfOneTransaction(): Stall {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-txn-'));
  const db = openDatabase(join(dir, 'tonus.db'));
  try {
    const start = performance.now();
    storeRecording(db, oneHour(), { patientId: null, protocol: 'free', origin: 'import' });
    const ms = performance.now() - start;
    return { worstStallMs: ms, jobS: ms / 1000 };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (what: string, inline: Stall, worker: Stall): BenchResult => ({
  name: `${what}: main event loop worst stall, worker vs inline`,
  throughput: 1000 / worker.worstStallMs,
  unit: ' /s (1/stall)',
  baselineName: 'inline',
  baselineThroughput: 1000 / inline.worstStallMs,
  note: `worst stall ${inline.worstStallMs.toFixed(0)} ms inline (job ${inline.jobS.toFixed(2)} s) -> ${worker.worstStallMs.toFixed(1)} ms in a worker (job ${worker.jobS.toFixed(2)} s)`,
});

/**
 * How long the app's main thread stops answering (IPC, live frames, recording flushes) while a 1-hour
 * session (8 EMG @ 2 kHz + 6 IMU @ 100 Hz) is analysed and exported as BDF+: run on the main thread as
 * before, and in a worker thread. The baseline is the inline run, measured in the same process. Then the
 * exported hour is imported in a worker while the main thread writes a row every 5 ms, as a recording's
 * flush does: the baseline is how long the one-transaction store held the write lock (a flush waits that long).
 */
export const bench: Bench = {
  name: 'event-loop stall while long jobs run (1-hour session)',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-jobs-'));
    const dbFile = join(dir, 'tonus.db');
    const db = openDatabase(dbFile);
    try {
      const sessionId = storeRecording(db, oneHour(), {
        patientId: null,
        protocol: 'free',
        origin: 'import',
      });
      const inline = new InlineJobRunner(db);
      const worker = new WorkerJobRunner(dbFile);
      const analysis: JobRequest = { kind: 'analysis', sessionId };
      const exportTo = (name: string): JobRequest => ({
        kind: 'export',
        sessionId,
        format: 'bdf',
        path: join(dir, name),
      });
      const results = [
        line('analysis', await watch(inline, analysis), await watch(worker, analysis)),
        line(
          'BDF+ export',
          await watch(inline, exportTo('inline.bdf')),
          await watch(worker, exportTo('w.bdf')),
        ),
      ];
      const lockHeld = lockHoldOfOneTransaction();
      db.exec('CREATE TABLE bench_flush (t REAL)');
      const flush = db.prepare('INSERT INTO bench_flush (t) VALUES (?)');
      const imported = await watch(
        worker,
        { kind: 'import', path: join(dir, 'w.bdf'), patientId: null, muscle: null, side: null },
        () => flush.run(performance.now()),
      );
      results.push({
        name: 'import of 1 h beside a recording: main-thread worst stall, batched vs one transaction',
        throughput: 1000 / imported.worstStallMs,
        unit: ' /s (1/stall)',
        baselineName: 'one transaction',
        baselineThroughput: 1000 / lockHeld.worstStallMs,
        note: `a flush could wait ${lockHeld.worstStallMs.toFixed(0)} ms for the one-transaction store -> worst stall ${imported.worstStallMs.toFixed(1)} ms with writes every 5 ms during a batched import (job ${imported.jobS.toFixed(2)} s)`,
      });
      await Promise.all([inline.close(), worker.close()]);
      return results;
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
