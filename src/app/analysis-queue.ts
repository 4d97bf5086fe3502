import type { AnalysisStatus } from '../shared/api/analysis-api.js';
import type { Db } from '../storage/database.node.js';
import type { EventHub } from './event-hub.js';
import { analyzeAndStoreSession } from './session-analyzer.js';

/**
 * Runs session analyses in the background, one at a time and in the order asked, so that stopping a
 * recording or importing a file answers at once. Each run is announced as `analysisStatus` events
 * (`running`, then `done` or `failed` with the reason).
 */
export class AnalysisQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly events: EventHub,
  ) {}

  /** Queues an analysis of `sessionId`; resolves when it has finished (never rejects). */
  enqueue(sessionId: number): Promise<void> {
    const emit = (status: AnalysisStatus): void => this.events.emit('analysisStatus', status);
    this.tail = this.tail.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            emit({ sessionId, state: 'running' });
            try {
              analyzeAndStoreSession(this.db, sessionId);
              emit({ sessionId, state: 'done' });
            } catch (err) {
              emit({ sessionId, state: 'failed', message: err instanceof Error ? err.message : String(err) });
            }
            resolve();
          });
        }),
    );
    return this.tail;
  }

  /** Resolves when everything queued so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }
}
