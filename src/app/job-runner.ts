import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { ApiFailure, type ApiErrorCode } from '../shared/result.js';
import { databaseKeyOf, type Db } from '../storage/database.node.js';
import { serveEmgChannels } from './emg-pool-relay.js';
import { processEmgPool, type EmgWorkerPool } from './emg-worker-pool.js';
import { runJob, type JobRequest, type JobResultOf, type ProgressListener } from './jobs.js';
import { packageRoot } from './paths.js';

/** Runs long jobs (analysis, import, BDF/EDF export) and tells their progress. */
export interface JobRunner {
  /**
   * Runs `job`; resolves with its result, or rejects with the error it would throw on the main thread
   * (`ApiFailure` keeps its code, message and place). `onProgress` hears fractions that never decrease,
   * ending with 1 on success. Rejects at once after {@link close}.
   */
  run<J extends JobRequest>(job: J, onProgress?: ProgressListener): Promise<JobResultOf<J>>;
  /** Waits for the running jobs to end, then refuses new ones. */
  close(): Promise<void>;
}

/** What the runner hands a worker (its `workerData`). */
export interface JobWorkerData {
  dbFile: string;
  /** The key of an encrypted database (passed in memory, never through the environment or a file). */
  dbKey?: string;
  job: JobRequest;
  /**
   * For an analysis: the port to the runner's EMG pool on the main thread (see `serveEmgChannels`), and
   * the EMG samples from which the analysis is worth sending there (fewer while the pool is warm).
   */
  emgPool?: { port: MessagePort; minEmgSamples: number };
}

/** Messages a job worker posts: progress any number of times, then exactly one `done` or `failed`. */
export type JobWorkerMessage =
  | { type: 'progress'; fraction: number; stage: string }
  | { type: 'done'; value: unknown }
  | { type: 'failed'; error: { code?: ApiErrorCode; message: string; where?: string } };

/**
 * The worker entry `fileName` (e.g. `job-worker.js`) in src/app. From the tsc build (and in Electron) that
 * is the file beside this module; when this module runs from its TypeScript source (vitest), Node cannot
 * start a `.ts` worker, so the entry is the one `npx tsc -b` compiled into build/node.
 */
export function appWorkerUrl(fileName: string): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL(`./${fileName}`, import.meta.url);
  return pathToFileURL(join(packageRoot(), 'build', 'node', 'src', 'app', fileName));
}

/** The job worker entry (see {@link appWorkerUrl}). */
export const jobWorkerUrl = (): URL => appWorkerUrl('job-worker.js');

const closedError = (): Error => new Error('Tonus is closing: the job was not started.');

/**
 * Runs each job in its own worker thread with its own connection to the database file `dbFile` (WAL, busy
 * timeout; the worker never migrates), so the main thread's event loop keeps serving IPC, live frames and
 * recording flushes meanwhile. Jobs run concurrently; callers that need an order (the analysis queue) wait
 * for one before starting the next. An analysis job sends its EMG channels over a port to `emgPool` on
 * this thread (by default the process's), whose threads stay warm from one job to the next; a job worker
 * that dies only withdraws its own channels. {@link close} stops that pool's threads.
 */
export class WorkerJobRunner implements JobRunner {
  private readonly running = new Set<Promise<void>>();
  private isClosed = false;

  constructor(
    private readonly dbFile: string,
    private readonly workerUrl: URL = jobWorkerUrl(),
    private readonly dbKey?: string,
    private readonly emgPool: EmgWorkerPool = processEmgPool(),
  ) {}

  run<J extends JobRequest>(job: J, onProgress?: ProgressListener): Promise<JobResultOf<J>> {
    if (this.isClosed) return Promise.reject(closedError());
    if (!existsSync(fileURLToPath(this.workerUrl)))
      return Promise.reject(
        new Error(`The job worker ${fileURLToPath(this.workerUrl)} is missing: build Tonus (npx tsc -b).`),
      );
    const relay = job.kind === 'analysis' ? new MessageChannel() : undefined;
    const data: JobWorkerData = {
      dbFile: this.dbFile,
      job,
      ...(this.dbKey === undefined ? {} : { dbKey: this.dbKey }),
      ...(relay ? { emgPool: { port: relay.port2, minEmgSamples: this.emgPool.minEmgSamples } } : {}),
    };
    const worker = new Worker(this.workerUrl, {
      workerData: data,
      ...(relay ? { transferList: [relay.port2] } : {}),
    });
    const stopServing = relay ? serveEmgChannels(relay.port1, this.emgPool) : undefined;
    let settled = false;
    const result = new Promise<JobResultOf<J>>((resolve, reject) => {
      worker.on('message', (m: JobWorkerMessage) => {
        if (settled) return;
        if (m.type === 'progress') onProgress?.(m.fraction, m.stage);
        else if (m.type === 'done') {
          settled = true;
          resolve(m.value as JobResultOf<J>);
        } else {
          settled = true;
          const { code, message, where } = m.error;
          reject(code === undefined ? new Error(message) : new ApiFailure(code, message, where));
        }
      });
      worker.on('error', (err) => {
        if (settled) return;
        settled = true;
        reject(err);
      });
      worker.on('exit', (exitCode) => {
        if (settled) return;
        settled = true;
        reject(new Error(`The ${job.kind} job's worker stopped (exit code ${exitCode}) before finishing.`));
      });
    });
    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        stopServing?.();
        resolve();
      }),
    );
    this.running.add(exited);
    void exited.then(() => this.running.delete(exited));
    return result;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    await Promise.all([...this.running]);
    await this.emgPool.close();
  }
}

/**
 * Runs jobs on the calling thread (one event-loop turn later): for an in-memory database, which a worker
 * cannot share, and as the baseline the bench compares the worker runner with.
 */
export class InlineJobRunner implements JobRunner {
  private isClosed = false;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: Db) {}

  run<J extends JobRequest>(job: J, onProgress?: ProgressListener): Promise<JobResultOf<J>> {
    if (this.isClosed) return Promise.reject(closedError());
    const result = new Promise<JobResultOf<J>>((resolve, reject) => {
      setImmediate(() => {
        runJob(this.db, job, onProgress).then(resolve, (err: unknown) =>
          reject(err instanceof Error ? err : new Error(String(err))),
        );
      });
    });
    this.tail = Promise.all([this.tail, result.catch(() => undefined)]);
    return result;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    await this.tail;
  }
}

/**
 * The runner for `db`: worker threads for a database file (each opening it with `db`'s key when it is
 * encrypted), inline for an in-memory one.
 */
export function jobRunnerFor(db: Db): JobRunner {
  return db.memory
    ? new InlineJobRunner(db)
    : new WorkerJobRunner(db.name, jobWorkerUrl(), databaseKeyOf(db));
}
