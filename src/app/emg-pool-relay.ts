import type { MessagePort } from 'node:worker_threads';
import type { EmgChannelResult } from '../indicators/emg-channel-analysis.js';
import {
  answerBuffers,
  EmgChannelError,
  movable,
  type EmgChannelDone,
  type EmgChannelRunner,
  type EmgChannelTask,
} from './emg-channel-tasks.js';

/** What a thread asks the thread that owns the pool: analyse a channel, or withdraw one it asked for. */
export type EmgRelayRequest =
  | { type: 'run'; id: number; task: EmgChannelTask }
  | { type: 'cancel'; id: number }
  | { type: 'give'; buffer: ArrayBuffer };

/** The answer to a `run` request: the raw samples back (when they still exist), and the result or why not. */
export type EmgRelayReply =
  | { id: number; raw: Float32Array; result: EmgChannelResult | undefined }
  | { id: number; raw?: Float32Array; error: string };

const isRequest = (m: unknown): m is EmgRelayRequest => {
  const r = m as { type?: unknown; id?: unknown; task?: { raw?: unknown }; buffer?: unknown } | null;
  if (typeof r !== 'object' || r === null) return false;
  if (r.type === 'give') return r.buffer instanceof ArrayBuffer;
  if (typeof r.id !== 'number') return false;
  return r.type === 'cancel' || (r.type === 'run' && r.task?.raw instanceof Float32Array);
};

/**
 * Serves the channel tasks another thread (a job worker) sends over `port` with `pool`, moving every
 * buffer on (never copying). The port never keeps this thread alive. Call the returned function when that
 * thread has ended: its tasks still queued are withdrawn and the port is closed, so a job that dies leaves
 * the pool as it was.
 */
export function serveEmgChannels(port: MessagePort, pool: EmgChannelRunner): () => void {
  const pending = new Map<number, AbortController>();
  let open = true;
  const answer = (reply: EmgRelayReply, buffers: ArrayBuffer[]): void => {
    if (open) port.postMessage(reply, buffers);
  };
  port.on('message', (m: unknown) => {
    if (!isRequest(m)) return;
    if (m.type === 'give') return pool.giveBack(m.buffer);
    if (m.type === 'cancel') return pending.get(m.id)?.abort();
    const abort = new AbortController();
    pending.set(m.id, abort);
    pool.run(m.task, abort.signal).then(
      (done) => {
        pending.delete(m.id);
        answer({ id: m.id, ...done }, answerBuffers(done.raw, done.result));
      },
      (err: unknown) => {
        pending.delete(m.id);
        const raw = err instanceof EmgChannelError ? err.raw : undefined;
        const error = err instanceof Error ? err.message : String(err);
        answer(raw ? { id: m.id, raw, error } : { id: m.id, error }, raw ? answerBuffers(raw) : []);
      },
    );
  });
  port.unref();
  return () => {
    open = false;
    for (const abort of pending.values()) abort.abort();
    pending.clear();
    port.close();
  };
}

interface Asked {
  resolve: (done: EmgChannelDone) => void;
  reject: (err: EmgChannelError) => void;
}

/**
 * The {@link EmgChannelRunner} of a thread that does not own the pool (a job worker): each task goes over
 * `port` to the thread that does (see {@link serveEmgChannels}), its samples moved. The port keeps this
 * thread alive only while a task is out.
 */
export class EmgChannelsOverPort implements EmgChannelRunner {
  private readonly asked = new Map<number, Asked>();
  private nextId = 0;

  constructor(
    private readonly port: MessagePort,
    readonly minEmgSamples: number,
  ) {
    port.on('message', (m: EmgRelayReply) => {
      const asked = this.asked.get(m.id);
      if (!asked) return;
      this.asked.delete(m.id);
      if (this.asked.size === 0) port.unref();
      if ('error' in m) asked.reject(new EmgChannelError(m.error, m.raw));
      else asked.resolve({ raw: m.raw, result: m.result });
    });
    port.unref();
  }

  giveBack(filtered: ArrayBuffer): void {
    this.port.postMessage({ type: 'give', buffer: filtered } satisfies EmgRelayRequest, [filtered]);
  }

  run(task: EmgChannelTask, signal?: AbortSignal): Promise<EmgChannelDone> {
    return new Promise<EmgChannelDone>((resolve, reject) => {
      const id = this.nextId++;
      this.asked.set(id, { resolve, reject });
      this.port.ref();
      const request: EmgRelayRequest = { type: 'run', id, task: { ...task, raw: movable(task.raw) } };
      this.port.postMessage(request, [request.task.raw.buffer as ArrayBuffer]);
      signal?.addEventListener(
        'abort',
        () => {
          if (this.asked.has(id)) this.port.postMessage({ type: 'cancel', id } satisfies EmgRelayRequest);
        },
        { once: true },
      );
    });
  }
}
