import type { Recording } from '../../shared/recording.js';
import type { SampleBlock } from '../../shared/samples.js';
import type { BlockSink, DeviceDescriptor, DeviceDriver } from '../driver.js';
import { CanceledError } from '../driver.js';

/** The clock the playback device paces itself by; replaceable in tests. */
export interface PlaybackClock {
  nowMs(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Lets other work run between batches when playing as fast as possible. */
  yieldNow(): Promise<void>;
}

export const hostClock: PlaybackClock = {
  nowMs: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  yieldNow: () =>
    new Promise((resolve) =>
      typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
    ),
};

/** Playback speed: a factor of real time (0.25 to 64) or `max`, as fast as the sink takes blocks. */
export type PlaybackSpeed = number | 'max';

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 64;

export interface PlaybackOptions {
  speed?: PlaybackSpeed;
  /** Start again from the beginning at the end (default false: stop at the end). */
  loop?: boolean;
  /** Recording time covered by one block of each stream, ms (default 20, as a real device delivers). */
  blockMs?: number;
  /** Host interval between paced ticks, ms (default 20). */
  tickMs?: number;
  clock?: PlaybackClock;
}

/** The device id of a replay of `source`. */
export const playbackDeviceId = (source: string): string => `replay:${source}`;

interface StreamCursor {
  id: string;
  rateHz: number;
  length: number;
  data: readonly Float32Array[];
  /** Sample times relative to the recording start, ms, when the stream carries them. */
  relMs: Float64Array | undefined;
  /** Next sample index in the file. */
  next: number;
}

/**
 * The replay device: plays a {@link Recording} as if it were hardware.
 *
 * Guarantees: blocks of each stream come in sample order and, across streams, in recording-time order
 * (one block per stream per `blockMs` step); sample times are the file's (`startTimeMs + i/fs`, or the
 * stream's own `timestampsMs`), never the host clock. `firstSeq` never decreases: it is the file sample
 * index plus the stream length times the pass number, where a new pass starts at each loop and at each
 * backward seek; timestamps of later passes are shifted by whole recording durations so they keep
 * increasing. A forward seek shows as a jump in `firstSeq` and time. Blocks share memory with the
 * recording (do not write into them).
 */
export class PlaybackDriver implements DeviceDriver {
  readonly descriptor: DeviceDescriptor;
  /** Length of the recording, s. */
  readonly durationS: number;
  private readonly cursors: StreamCursor[];
  private readonly clock: PlaybackClock;
  private speed: PlaybackSpeed;
  private readonly loop: boolean;
  private readonly blockMs: number;
  private readonly tickMs: number;
  private sink: BlockSink | undefined;
  private timer: unknown;
  private running = false;
  private generation = 0;
  /** Playback position, ms since the recording start. */
  private positionMs = 0;
  private passCount = 0;
  private lastTickMs = 0;
  private endedResolve: (() => void) | undefined;
  private endedPromise: Promise<void> = Promise.resolve();

  constructor(
    private readonly recording: Recording,
    options: PlaybackOptions = {},
  ) {
    this.speed = checkSpeed(options.speed ?? 1);
    this.loop = options.loop ?? false;
    this.blockMs = options.blockMs ?? 20;
    this.tickMs = options.tickMs ?? 20;
    this.clock = options.clock ?? hostClock;
    this.descriptor = {
      id: playbackDeviceId(recording.source),
      name: `Replay of ${recording.source}`,
      transport: 'file',
      streams: recording.streams.map((s) => s.descriptor),
    };
    this.cursors = recording.streams.map((s) => ({
      id: s.descriptor.id,
      rateHz: s.descriptor.sampleRateHz,
      length: s.data[0]?.length ?? 0,
      data: s.data,
      relMs: s.timestampsMs && Float64Array.from(s.timestampsMs, (t) => t - recording.startTimeMs),
      next: 0,
    }));
    this.durationS =
      Math.max(
        0,
        ...this.cursors.map((c) => (c.length === 0 ? 0 : this.timeOf(c, c.length - 1) + 1000 / c.rateHz)),
      ) / 1000;
  }

  /** Current position, s since the recording start: everything before it has been delivered. */
  get positionS(): number {
    return this.positionMs / 1000;
  }

  /** Passes started so far: 0 on the first, +1 at each loop and each backward seek. */
  get pass(): number {
    return this.passCount;
  }

  /** Resolves when a non-looping playback has delivered the whole recording (or was stopped). */
  get ended(): Promise<void> {
    return this.endedPromise;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CanceledError();
  }

  async start(sink: BlockSink): Promise<void> {
    await this.stop();
    this.sink = sink;
    this.running = true;
    const generation = ++this.generation;
    this.endedPromise = new Promise((resolve) => (this.endedResolve = resolve));
    if (this.speed === 'max') void this.runFlat(generation);
    else {
      this.lastTickMs = this.clock.nowMs();
      this.schedule(generation);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.generation++;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.sink = undefined;
    this.finish();
  }

  async disconnect(): Promise<void> {
    await this.stop();
  }

  /** Changes the speed, also while playing. */
  setSpeed(speed: PlaybackSpeed): void {
    const wasMax = this.speed === 'max';
    this.speed = checkSpeed(speed);
    if (!this.running) return;
    const generation = ++this.generation;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (this.speed === 'max') void this.runFlat(generation);
    else {
      if (wasMax) this.lastTickMs = this.clock.nowMs();
      this.schedule(generation);
    }
  }

  /** Moves the position to `positionS` (clamped to the recording); see the class comment for `firstSeq`. */
  seek(positionS: number): void {
    const targetMs = Math.min(Math.max(0, positionS * 1000), this.durationS * 1000);
    if (targetMs < this.positionMs) this.passCount++;
    this.positionMs = targetMs;
    for (const c of this.cursors) c.next = this.indexAt(c, targetMs);
  }

  private schedule(generation: number): void {
    this.timer = this.clock.setTimer(() => {
      if (generation !== this.generation || !this.running) return;
      const now = this.clock.nowMs();
      const elapsed = now - this.lastTickMs;
      this.lastTickMs = now;
      this.advance(this.positionMs + elapsed * (this.speed as number), generation);
      if (this.running && generation === this.generation) this.schedule(generation);
    }, this.tickMs);
  }

  private async runFlat(generation: number): Promise<void> {
    const batchMs = 10_000;
    while (this.running && generation === this.generation) {
      this.advance(this.positionMs + batchMs, generation);
      await this.clock.yieldNow();
    }
  }

  /** Delivers everything up to `targetMs`, in `blockMs` steps, handling the end and loops. */
  private advance(targetMs: number, generation: number): void {
    const endMs = this.durationS * 1000;
    while (this.running && generation === this.generation && this.positionMs < targetMs) {
      const stepEnd = Math.min(targetMs, this.positionMs + this.blockMs, endMs);
      this.positionMs = stepEnd;
      for (const c of this.cursors) {
        const to = this.indexAt(c, stepEnd);
        if (to > c.next) {
          this.sink?.(this.block(c, c.next, to));
          if (generation !== this.generation) return;
          c.next = to;
        }
      }
      if (this.positionMs >= endMs) {
        if (!this.loop || endMs === 0) {
          this.running = false;
          if (this.timer !== undefined) this.clock.clearTimer(this.timer);
          this.timer = undefined;
          this.finish();
          return;
        }
        this.passCount++;
        targetMs -= endMs;
        this.positionMs = 0;
        for (const c of this.cursors) c.next = 0;
      }
    }
  }

  private block(c: StreamCursor, from: number, to: number): SampleBlock {
    const shiftMs = this.recording.startTimeMs + this.passCount * this.durationS * 1000;
    const timestampsMs = new Float64Array(to - from);
    for (let i = from; i < to; i++) timestampsMs[i - from] = shiftMs + this.timeOf(c, i);
    return {
      streamId: c.id,
      firstSeq: this.passCount * c.length + from,
      timestampsMs,
      data: c.data.map((ch) => ch.subarray(from, to)),
    };
  }

  /** Time of sample `i` relative to the recording start, ms. */
  private timeOf(c: StreamCursor, i: number): number {
    return c.relMs !== undefined ? (c.relMs[i] as number) : (i * 1000) / c.rateHz;
  }

  /** Number of samples of `c` before `relMs`. */
  private indexAt(c: StreamCursor, relMs: number): number {
    if (c.relMs === undefined)
      return Math.min(c.length, Math.max(0, Math.ceil((relMs * c.rateHz) / 1000 - 1e-9)));
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((c.relMs[mid] as number) < relMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private finish(): void {
    const resolve = this.endedResolve;
    this.endedResolve = undefined;
    resolve?.();
  }
}

function checkSpeed(speed: PlaybackSpeed): PlaybackSpeed {
  if (speed === 'max') return speed;
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED))
    throw new RangeError(`playback speed ${speed} is outside ${MIN_SPEED}x to ${MAX_SPEED}x (or "max")`);
  return speed;
}
