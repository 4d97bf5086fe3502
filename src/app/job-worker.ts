/**
 * Entry of a job worker thread (started by `WorkerJobRunner`): opens its own connection to the app's
 * database, runs the one job in `workerData`, posts its progress and then `done` or `failed`, closes the
 * connection and ends. An analysis sends its EMG channels to the main thread's pool over `emgPool.port`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiFailure } from '../shared/result.js';
import { openExistingDatabase } from '../storage/database.node.js';
import { routeEmgChannels } from './emg-analysis-pool.js';
import { EmgChannelsOverPort } from './emg-pool-relay.js';
import type { JobWorkerData, JobWorkerMessage } from './job-runner.js';
import { runJob } from './jobs.js';

const port = parentPort;
if (!port) throw new Error('job-worker.js runs only as a worker thread.');
const post = (m: JobWorkerMessage): void => port.postMessage(m);
const { dbFile, dbKey, job, emgPool } = workerData as JobWorkerData;
// The EMG channels of an analysis go to the main thread's pool, warm from earlier jobs.
if (emgPool) routeEmgChannels(new EmgChannelsOverPort(emgPool.port, emgPool.minEmgSamples));

try {
  const db = openExistingDatabase(dbFile, undefined, dbKey);
  try {
    const value = await runJob(db, job, (fraction, stage) => post({ type: 'progress', fraction, stage }));
    post({ type: 'done', value });
  } finally {
    db.close();
    emgPool?.port.close();
  }
} catch (err) {
  post({
    type: 'failed',
    error:
      err instanceof ApiFailure
        ? { code: err.code, message: err.message, ...(err.where === undefined ? {} : { where: err.where }) }
        : { message: err instanceof Error ? err.message : String(err) },
  });
}
