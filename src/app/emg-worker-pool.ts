import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  EmgChannelError,
  movable,
  type EmgChannelDone,
  type EmgChannelRunner,
  type EmgChannelTask,
  type EmgGiveMessage,
  type EmgTaskMessage,
  type EmgWorkerMessage,
} from './emg-channel-tasks.js';
import { appWorkerUrl } from './job-runner.js';

/**
 * How long the pool's threads are kept without work before they are stopped. Each holds its work buffers
 * (about 150 MB for a 1-hour channel at 2 kHz), which an idle app should give back; a minute covers the
 * analyses that come together (a queue of sessions, an import followed by its analysis, a re-analysis
 * after a settings change), which then find the threads warm and skip their ~0.6 s start.
 */
export const EMG_POOL_IDLE_MS = 60_000;

/**
 * EMG samples (all channels together) from which a session's analysis spreads its channels over the pool
 * when its threads are not running (the first analysis of a process, or one after the idle time): below it,
 * starting the threads and warming their code costs more than it saves. Measured on the 2-core development
 * machine with the WebAssembly kernels, 8 channels at 2 kHz, each in a fresh process: one thread (as in a
 * fresh job worker) against a cold pool: 1 min 0.25 s against 0.49 s; 10 min 0.77 s against 0.89 s; 15 min
 * 1.04 and 1.06 s against 1.05 and 0.94 s; 20 min 1.36 s against 1.22 s; 30 min 1.98 s against 1.58 s
 * (`npm run bench analysis-session` for 1 h).
 */
export const PARALLEL_MIN_EMG_SAMPLES = 8 * 2000 * 15 * 60;

/**
 * The same while the pool's threads are running (warm: code compiled, work buffers mapped): the pool then
 * wins from about a minute of 8 channels at 2 kHz, against the one thread of a fresh job worker (which
 * warms its own code on every job). Measured as above, one thread against the warm pool: 1 min 0.25 s
 * against 0.09 s; 10 min 0.77 s against 0.41 s; 20 min 1.36 s against 0.79 s; 30 min 1.98 s against 0.99 s.
 */
export const PARALLEL_MIN_EMG_SAMPLES_WARM = 8 * 2000 * 60;

/** Channels queued on each thread, so that none waits for the sending thread between two channels. */
const DEPTH_PER_THREAD = 2;

export interface EmgWorkerPoolOptions {
  /** Worker threads at most (default: one per core). */
  threads?: number;
  /** Idle time after which the threads are stopped (default {@link EMG_POOL_IDLE_MS}). */
  idleMs?: number;
  /** The worker entry (default build/node/src/app/emg-channel-worker.js, see `appWorkerUrl`). */
  workerUrl?: URL;
  /** {@link EmgChannelRunner.minEmgSamples} while no thread runs (default {@link PARALLEL_MIN_EMG_SAMPLES}). */
  minEmgSamples?: number;
  /** The same while threads run (default {@link PARALLEL_MIN_EMG_SAMPLES_WARM}). */
  warmMinEmgSamples?: number;
}

/** What the pool has done, for tests and diagnostics. */
export interface EmgWorkerPoolStats {
  /** The `threadId`s of the threads running now. */
  threadIds: number[];
  /** Threads started since the pool was made (a replacement or a restart after idling counts again). */
  threadsStarted: number;
  /** Channels analysed (answered with a result) since the pool was made. */
  channelsAnalysed: number;
  /** Channels waiting for a thread now. */
  queuedChannels: number;
}

interface Queued {
  task: EmgChannelTask;
  resolve: (done: EmgChannelDone) => void;
  reject: (err: EmgChannelError) => void;
}

interface PoolThread {
  worker: Worker;
  inFlight: Map<number, Queued>;
  /** Set when the pool stops it, so that its exit is no crash. */
  stopping: boolean;
  /** What it threw, if it died of an uncaught error. */
  crash?: string;
}

/**
 * A pool of EMG analysis worker threads (emg-channel-worker.js) that outlives the analyses it serves:
 * threads are started on the first task, kept (with their work buffers, so the next analysis pays no start,
 * warm-up or page faults), and stopped after {@link EMG_POOL_IDLE_MS} without work, to start again on the
 * next task. All callers share one first-come queue. A thread never keeps the process alive while it has
 * no task (it is `unref`ed). A thread that dies fails only the channels it held (each error names its
 * channel) and is replaced when there is work.
 */
export class EmgWorkerPool implements EmgChannelRunner {
  readonly threads: number;
  readonly idleMs: number;
  readonly workerUrl: URL;
  private readonly coldMinEmgSamples: number;
  private readonly warmMinEmgSamples: number;
  private readonly queue: Queued[] = [];
  private readonly live = new Set<PoolThread>();
  private readonly stopWaiters: (() => void)[] = [];
  /** The thread that made the last result with a filtered signal (whose memory may come back). */
  private keeper: PoolThread | undefined;
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private threadsStarted = 0;
  private channelsAnalysed = 0;

  constructor(options: EmgWorkerPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.idleMs = options.idleMs ?? EMG_POOL_IDLE_MS;
    this.workerUrl = options.workerUrl ?? appWorkerUrl('emg-channel-worker.js');
    this.coldMinEmgSamples = options.minEmgSamples ?? PARALLEL_MIN_EMG_SAMPLES;
    this.warmMinEmgSamples = options.warmMinEmgSamples ?? PARALLEL_MIN_EMG_SAMPLES_WARM;
  }

  /** Lower while the threads run (warm) than when a task would have to start them. */
  get minEmgSamples(): number {
    return this.running().length > 0 ? this.warmMinEmgSamples : this.coldMinEmgSamples;
  }

  run(task: EmgChannelTask, signal?: AbortSignal): Promise<EmgChannelDone> {
    if (signal?.aborted) return Promise.reject(withdrawn(task, task.raw));
    if (!existsSync(fileURLToPath(this.workerUrl)))
      return Promise.reject(
        new EmgChannelError(
          `The EMG analysis worker ${fileURLToPath(this.workerUrl)} is missing: build Tonus (npx tsc -b).`,
          task.raw,
        ),
      );
    return new Promise<EmgChannelDone>((resolve, reject) => {
      const queued: Queued = { task: { ...task, raw: movable(task.raw) }, resolve, reject };
      this.queue.push(queued);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.queue.indexOf(queued);
          if (i < 0) return;
          this.queue.splice(i, 1);
          reject(withdrawn(task, queued.task.raw));
          this.pump();
        },
        { once: true },
      );
      this.pump();
    });
  }

  giveBack(filtered: ArrayBuffer): void {
    const t = this.keeper;
    if (t && this.live.has(t) && !t.stopping)
      t.worker.postMessage({ give: filtered } satisfies EmgGiveMessage, [filtered]);
  }

  stats(): EmgWorkerPoolStats {
    return {
      threadIds: [...this.live].map((t) => t.worker.threadId),
      threadsStarted: this.threadsStarted,
      channelsAnalysed: this.channelsAnalysed,
      queuedChannels: this.queue.length,
    };
  }

  /** Resolves once no thread of the pool runs (at once if none does), e.g. after the idle time. */
  stopped(): Promise<void> {
    if (this.live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  /**
   * Stops every thread now; tasks queued or running fail (their channels named). For shutdown and tests:
   * the pool stays usable, and a later task starts threads again.
   */
  async close(): Promise<void> {
    this.clearIdleTimer();
    const closing = (q: Queued, raw?: Float32Array): EmgChannelError =>
      new EmgChannelError(`EMG analysis of ${q.task.label} was stopped: Tonus is closing.`, raw);
    for (const q of this.queue.splice(0)) q.reject(closing(q, q.task.raw));
    for (const t of this.live) {
      for (const q of t.inFlight.values()) q.reject(closing(q));
      t.inFlight.clear();
    }
    await this.stopThreads();
  }

  /**
   * Starts a thread for queued work while every running one is busy, hands each thread up to
   * DEPTH_PER_THREAD tasks (one each first), or arms the idle stop.
   */
  private pump(): void {
    while (
      this.queue.length > 0 &&
      this.running().length < this.threads &&
      this.running().every((t) => t.inFlight.size > 0)
    )
      this.startThread();
    for (let depth = 1; depth <= DEPTH_PER_THREAD; depth++)
      for (const t of this.running()) {
        const next = t.inFlight.size < depth ? this.queue.shift() : undefined;
        if (next) this.send(t, next);
      }
    const busy = this.queue.length > 0 || [...this.live].some((t) => t.inFlight.size > 0);
    if (busy) this.clearIdleTimer();
    else if (this.running().length > 0 && this.idleTimer === undefined) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = undefined;
        void this.stopThreads();
      }, this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** The threads that take tasks (not being stopped). */
  private running(): PoolThread[] {
    return [...this.live].filter((t) => !t.stopping);
  }

  private startThread(): void {
    const t: PoolThread = { worker: new Worker(this.workerUrl), inFlight: new Map(), stopping: false };
    this.threadsStarted++;
    this.live.add(t);
    t.worker.on('message', (m: EmgWorkerMessage) => this.answered(t, m));
    t.worker.on('error', (err) => {
      t.crash = err.message;
    });
    t.worker.on('exit', (code) => this.exited(t, code));
  }

  private send(t: PoolThread, q: Queued): void {
    const id = this.nextId++;
    t.inFlight.set(id, q);
    t.worker.ref();
    const message: EmgTaskMessage = { ...q.task, id };
    t.worker.postMessage(message, [message.raw.buffer as ArrayBuffer]);
  }

  private answered(t: PoolThread, m: EmgWorkerMessage): void {
    const q = t.inFlight.get(m.id);
    if (!q) return;
    t.inFlight.delete(m.id);
    if (t.inFlight.size === 0) t.worker.unref();
    if ('error' in m)
      q.reject(new EmgChannelError(`EMG analysis of ${q.task.label} failed: ${m.error}`, m.raw));
    else {
      if (m.result?.filtered) this.keeper = t;
      this.channelsAnalysed++;
      q.resolve({ raw: m.raw, result: m.result });
    }
    this.pump();
  }

  private exited(t: PoolThread, code: number): void {
    this.live.delete(t);
    const why = t.crash ?? `exit code ${code}`;
    for (const q of t.inFlight.values())
      q.reject(
        new EmgChannelError(`EMG analysis of ${q.task.label} failed: its worker thread stopped (${why}).`),
      );
    t.inFlight.clear();
    if (this.live.size === 0) for (const resolve of this.stopWaiters.splice(0)) resolve();
    // Later, so that the analyses that just failed withdraw their queued channels before a replacement starts.
    setImmediate(() => this.pump());
  }

  private async stopThreads(): Promise<void> {
    const threads = [...this.live];
    for (const t of threads) t.stopping = true;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private clearIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

const withdrawn = (task: EmgChannelTask, raw: Float32Array): EmgChannelError =>
  new EmgChannelError(
    `EMG analysis of ${task.label} was withdrawn: the analysis it belonged to had ended.`,
    raw,
  );

let processPool: EmgWorkerPool | undefined;

/** This process's (this thread's) pool, made on first use with the defaults. */
export function processEmgPool(): EmgWorkerPool {
  processPool ??= new EmgWorkerPool();
  return processPool;
}

/** Stops the threads of {@link processEmgPool}, if it was made (clean shutdown). */
export async function closeProcessEmgPool(): Promise<void> {
  await processPool?.close();
}
