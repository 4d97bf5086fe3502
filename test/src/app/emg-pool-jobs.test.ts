import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyzeRecordingInParallel } from '../../../src/app/emg-analysis-pool.js';
import { EmgWorkerPool, processEmgPool } from '../../../src/app/emg-worker-pool.js';
import { InlineJobRunner, jobWorkerUrl, WorkerJobRunner } from '../../../src/app/job-runner.js';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { latestAnalysis, type StoredAnalysis } from '../../../src/storage/analyses.node.js';
import { openDatabase, type Db } from '../../../src/storage/database.node.js';
import { storeRecording } from '../../../src/storage/session-recording.node.js';

// The workers run the compiled build/node/src/app/*.js (see appWorkerUrl): `npx tsc -b` first.
const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

/** A stored analysis without what differs from one run to the next (its id and time). */
function stored(db: Db, sessionId: number): Omit<StoredAnalysis, 'id' | 'createdAt'> {
  const analysis = latestAnalysis(db, sessionId);
  if (!analysis) throw new Error(`Session ${sessionId} has no analysis.`);
  const { id: _id, createdAt: _createdAt, ...rest } = analysis;
  return rest;
}

describe('analysis jobs on the main thread’s EMG pool', () => {
  let db: Db;
  let dbFile: string;
  let pool: EmgWorkerPool;
  let runner: WorkerJobRunner;

  beforeEach(() => {
    dbFile = join(mkdtempSync(join(tmpdir(), 'tonus-pool-jobs-')), 'tonus.db');
    db = openDatabase(dbFile);
    // A threshold of one sample, so that this short fixture goes to the pool as a long session would.
    pool = new EmgWorkerPool({ threads: 2, minEmgSamples: 1, warmMinEmgSamples: 1 });
    runner = new WorkerJobRunner(dbFile, jobWorkerUrl(), undefined, pool);
  });
  afterEach(async () => {
    await runner.close();
    db.close();
  });

  it('sends the job worker’s channels to the pool, warm from one job to the next, storing the inline result', async () => {
    const rec = readRecordingFile(fixture);
    const emgChannels = rec.streams.flatMap((s) => s.descriptor.channels).filter((c) => c.kind === 'emg');
    expect(emgChannels.length).toBeGreaterThan(1);
    const sessionId = storeRecording(db, rec, {
      patientId: null,
      protocol: 'passive-stretch',
      origin: 'import',
    });
    const inline = new InlineJobRunner(db);
    await inline.run({ kind: 'analysis', sessionId });
    await inline.close();
    const fromInline = stored(db, sessionId);
    expect(fromInline.events.length).toBeGreaterThan(0);

    await runner.run({ kind: 'analysis', sessionId });
    expect(stored(db, sessionId)).toEqual(fromInline);
    const afterFirst = pool.stats();
    expect(afterFirst.channelsAnalysed).toBe(emgChannels.length);
    expect(afterFirst.threadIds).toHaveLength(2);

    await runner.run({ kind: 'analysis', sessionId });
    expect(stored(db, sessionId)).toEqual(fromInline);
    expect(pool.stats()).toEqual({
      threadIds: afterFirst.threadIds,
      threadsStarted: 2,
      channelsAnalysed: 2 * emgChannels.length,
      queuedChannels: 0,
    });
  });

  it('withdraws the channels of a job worker that dies, and serves the next job with the same threads', async () => {
    const rec = readRecordingFile(fixture);
    const sessionId = storeRecording(db, rec, { patientId: null, protocol: 'free', origin: 'import' });
    const inline = new InlineJobRunner(db);
    await inline.run({ kind: 'analysis', sessionId });
    await inline.close();
    const fromInline = stored(db, sessionId);
    const onePool = new EmgWorkerPool({ threads: 1, minEmgSamples: 1, warmMinEmgSamples: 1 });
    const dying = new WorkerJobRunner(
      dbFile,
      pathToFileURL(join(packageRoot(), 'build', 'node', 'test', 'support', 'job-worker-that-dies.js')),
      undefined,
      onePool,
    );
    const healthy = new WorkerJobRunner(dbFile, jobWorkerUrl(), undefined, onePool);
    try {
      await expect(dying.run({ kind: 'analysis', sessionId })).rejects.toThrow(
        "The analysis job's worker stopped (exit code 1) before finishing.",
      );
      // Its channels still queued in the pool were withdrawn when its thread ended.
      expect(onePool.stats().queuedChannels).toBe(0);
      const [thread] = onePool.stats().threadIds;
      await healthy.run({ kind: 'analysis', sessionId });
      expect(stored(db, sessionId)).toEqual(fromInline);
      expect(onePool.stats()).toMatchObject({ threadIds: [thread], threadsStarted: 1 });
    } finally {
      await dying.close();
      await healthy.close();
    }
  });

  it('stops the pool’s threads when the runner closes', async () => {
    const sessionId = storeRecording(db, readRecordingFile(fixture), {
      patientId: null,
      protocol: 'free',
      origin: 'import',
    });
    await runner.run({ kind: 'analysis', sessionId });
    expect(pool.stats().threadIds).toHaveLength(2);
    await runner.close();
    expect(pool.stats().threadIds).toEqual([]);
  });

  it('the app’s close stops the threads of the process’s pool', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-pool-app-')) });
    try {
      await analyzeRecordingInParallel(readRecordingFile(fixture));
      expect(processEmgPool().stats().threadIds.length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
    expect(processEmgPool().stats().threadIds).toEqual([]);
  });
});
