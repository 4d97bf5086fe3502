import type { AnalysisStatus } from '../shared/api/analysis-api.js';
import type { Db } from '../storage/database.node.js';
import type { EventHub } from './event-hub.js';
import { InlineJobRunner, type JobRunner } from './job-runner.js';

/**
 * Runs session analyses in the background, one at a time and in the order asked, so that stopping a
 * recording or importing a file answers at once. Each run is announced as `analysisStatus` events
 * (`running`, then `done` or `failed` with the reason), and its progress as `jobProgress` events (kind
 * `analysis`, job id `analysis-<sessionId>-<n>`). The work runs on `runner` (a worker thread in the app;
 * inline when none is given).
 */
export class AnalysisQueue {
  private tail: Promise<void> = Promise.resolve();
  private count = 0;

  constructor(
    db: Db,
    private readonly events: EventHub,
    private readonly runner: JobRunner = new InlineJobRunner(db),
  ) {}

  /** Queues an analysis of `sessionId`; resolves when it has finished (never rejects). */
  enqueue(sessionId: number): Promise<void> {
    const emit = (status: AnalysisStatus): void => this.events.emit('analysisStatus', status);
    const jobId = `analysis-${sessionId}-${++this.count}`;
    this.tail = this.tail.then(async () => {
      emit({ sessionId, state: 'running' });
      try {
        await this.runner.run({ kind: 'analysis', sessionId }, (fraction, stage) =>
          this.events.emit('jobProgress', { jobId, kind: 'analysis', sessionId, fraction, stage }),
        );
        emit({ sessionId, state: 'done' });
      } catch (err) {
        emit({ sessionId, state: 'failed', message: err instanceof Error ? err.message : String(err) });
      }
    });
    return this.tail;
  }

  /** Resolves when everything queued so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}
