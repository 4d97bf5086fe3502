import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalysisQueue } from '../../../src/app/analysis-queue.js';
import { EventHub } from '../../../src/app/event-hub.js';
import { WorkerJobRunner } from '../../../src/app/job-runner.js';
import { packageRoot } from '../../../src/app/paths.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import type { AnalysisStatus } from '../../../src/shared/api/analysis-api.js';
import type { JobProgress } from '../../../src/shared/api/job-api.js';
import { latestAnalysis } from '../../../src/storage/analyses.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { storeRecording } from '../../../src/storage/session-recording.node.js';

// The worker runs the compiled build/node/src/app/job-worker.js (see jobWorkerUrl): `npx tsc -b` first.
describe('AnalysisQueue on worker threads', () => {
  it('runs analyses one at a time in the order asked, with progress, and reports a failure', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'tonus-queue-')), 'tonus.db');
    const db = openDatabase(dbFile);
    const runner = new WorkerJobRunner(dbFile);
    try {
      const rec = readRecordingFile(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
      const store = (): number =>
        storeRecording(db, rec, { patientId: null, protocol: 'free', origin: 'import' });
      const [a, b] = [store(), store()];
      const events = new EventHub();
      const statuses: AnalysisStatus[] = [];
      const progress: JobProgress[] = [];
      events.on('analysisStatus', (s) => statuses.push(s));
      events.on('jobProgress', (p) => progress.push(p));
      const queue = new AnalysisQueue(db, events, runner);
      void queue.enqueue(a);
      void queue.enqueue(999);
      await queue.enqueue(b);
      expect(statuses).toEqual([
        { sessionId: a, state: 'running' },
        { sessionId: a, state: 'done' },
        { sessionId: 999, state: 'running' },
        { sessionId: 999, state: 'failed', message: 'There is no session 999.' },
        { sessionId: b, state: 'running' },
        { sessionId: b, state: 'done' },
      ]);
      expect(latestAnalysis(db, a)).toBeDefined();
      expect(latestAnalysis(db, b)).toBeDefined();
      for (const id of [a, b]) {
        const mine = progress.filter((p) => p.sessionId === id);
        expect(mine.every((p) => p.kind === 'analysis' && p.jobId === mine[0]?.jobId)).toBe(true);
        expect(mine.at(-1)?.fraction).toBe(1);
      }
    } finally {
      await runner.close();
      db.close();
    }
  });
});
