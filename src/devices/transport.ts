/**
 * Transport: bytes in and out of a device, with the host receive time of every chunk. Codecs never see a
 * transport; drivers join the two.
 */

import { CanceledError } from './driver.js';

/** One chunk as it arrived. */
export interface TransportChunk {
  bytes: Uint8Array;
  /** Host time the chunk was received, ms since the Unix epoch. */
  receivedAtMs: number;
  /** Which channel it came from when a transport has several (BLE characteristic UUID, noble form). */
  source?: string;
}

/**
 * A byte link to one device. Guarantees: `open` rejects with `CanceledError` if its signal aborts first;
 * `chunks` yields chunks in arrival order and throws `DeviceDisconnectedError` when the device goes away
 * (unplugged, out of range); `close` is idempotent and ends `chunks` normally.
 */
export interface Transport {
  /** Device spec, e.g. `serial:/dev/ttyUSB0` or `ble:c0ffee…`. */
  readonly id: string;
  open(signal?: AbortSignal): Promise<void>;
  /** Writes bytes; `target` selects the characteristic on BLE, and `withoutResponse` the ATT write command. */
  write(bytes: Uint8Array, target?: string, withoutResponse?: boolean): Promise<void>;
  readonly chunks: ChunkQueue;
  close(): Promise<void>;
  /** Battery level in percent, for transports whose device reports it (BLE battery service). */
  readonly batteryPercent?: number | undefined;
  /**
   * Resolves as soon as the device is seen again after it went away (its port reappears), so a reconnection
   * can start at once instead of after a fixed wait; rejects with `CanceledError` when `signal` aborts.
   * Transports that cannot watch for their device leave it out.
   */
  waitUntilPresent?(signal: AbortSignal): Promise<void>;
}

/**
 * An unbounded async queue of chunks with an end and a failure state; one consumer at a time. `next` takes one
 * chunk, waiting up to `timeoutMs` (then resolves `undefined`), and rejects with the failure once the
 * buffered chunks are drained.
 */
export class ChunkQueue implements AsyncIterable<TransportChunk> {
  private items: TransportChunk[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private isEnded = false;

  push(chunk: TransportChunk): void {
    if (this.isEnded || this.failure) return;
    this.items.push(chunk);
    this.wake();
  }

  /** Ends the queue with an error (the device went away). */
  fail(error: Error): void {
    if (this.isEnded || this.failure) return;
    this.failure = error;
    this.wake();
  }

  /** Ends the queue normally (closed by the host). */
  end(): void {
    this.isEnded = true;
    this.wake();
  }

  /** Starts over for a new connection. */
  restart(): void {
    this.items = [];
    this.failure = undefined;
    this.isEnded = false;
  }

  /** Drops buffered chunks (e.g. handshake text before streaming). */
  clear(): void {
    this.items = [];
  }

  get isOpen(): boolean {
    return !this.isEnded && !this.failure;
  }

  async next(timeoutMs = Infinity, signal?: AbortSignal): Promise<TransportChunk | undefined> {
    for (;;) {
      const item = this.items.shift();
      if (item) return item;
      if (this.failure) throw this.failure;
      if (this.isEnded) return undefined;
      if (signal?.aborted) throw new CanceledError();
      const isWoken = await new Promise<boolean>((resolve) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const settle = (woken: boolean): void => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(woken);
        };
        const onAbort = (): void => settle(true);
        if (Number.isFinite(timeoutMs)) timer = setTimeout(() => settle(false), timeoutMs);
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiter = () => settle(true);
      });
      this.waiter = undefined;
      if (!isWoken) return undefined;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TransportChunk> {
    for (;;) {
      const chunk = await this.next();
      if (!chunk) return;
      yield chunk;
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/**
 * Reads text (latin1) from `queue` until `isDone(text)` holds; rejects with a clear message after
 * `timeoutMs` without it, or with `CanceledError` on abort.
 */
export async function readTextUntil(
  queue: ChunkQueue,
  isDone: (text: string) => boolean,
  timeoutMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (!isDone(text)) {
    const left = deadline - Date.now();
    const chunk = left > 0 ? await queue.next(left, signal) : undefined;
    if (signal?.aborted) throw new CanceledError();
    if (!chunk) {
      const tail = text.length > 60 ? `…${text.slice(-60)}` : text;
      throw new Error(`${what}: no reply within ${timeoutMs} ms (received ${JSON.stringify(tail)})`);
    }
    text += String.fromCharCode(...chunk.bytes);
  }
  return text;
}
