import { PAUSE_MARKER_PREFIX } from '../shared/api/session-api.js';
import type {
  RecordingStatus,
  SessionEndReason,
  SessionStatus,
  StreamQuality,
} from '../shared/api/session-api.js';
import type { SampleBlock, StreamDescriptor } from '../shared/samples.js';
import { blockLength } from '../shared/samples.js';
import type { Db } from '../storage/database.node.js';
import { insertMarker } from '../storage/markers.node.js';
import type { NewMarker } from '../storage/markers.node.js';
import type { ChunkToWrite } from '../storage/sample-chunks.node.js';
import { insertChunk } from '../storage/sample-chunks.node.js';
import { finishSession, setSessionStart, updateSessionQuality } from '../storage/sessions.node.js';
import type { SessionEnd } from '../storage/sessions.node.js';

/** Flush period, ms. Under a second so that a crash loses less than one second of samples. */
export const FLUSH_INTERVAL_MS = 500;
/** Longest chunk written, in seconds of samples. */
export const MAX_CHUNK_S = 1;

/** Where blocks come from (the acquisition). */
export interface BlockSource {
  onBlock(listener: (block: SampleBlock) => void): () => void;
}

export interface RecorderOptions {
  db: Db;
  sessionId: number;
  /**
   * The streams stored. A live recording passes the connected driver's streams here or, when the device has
   * not connected yet, through {@link Recorder.setStreams} once it has.
   */
  streams: readonly StreamDescriptor[];
  source: BlockSource;
  /** Called after each flush and when the recording ends. */
  onStatus?: (status: RecordingStatus) => void;
  /** Errors of timer flushes and bad blocks (default: printed to stderr); the recorder keeps going. */
  onError?: (err: Error) => void;
  flushIntervalMs?: number;
  nowMs?: () => number;
}

/** A run of consecutive samples not yet written: blocks whose sequence numbers follow each other. */
interface PendingRun {
  firstSeq: number;
  blocks: SampleBlock[];
  samples: number;
}

interface StreamState {
  descriptor: StreamDescriptor;
  /** `firstSeq` of the first block seen; stored sequence numbers count from it. */
  seqOrigin: number | undefined;
  /** Next expected stored sequence number. */
  nextSeq: number;
  runs: PendingRun[];
  received: number;
  dropped: number;
  gaps: number;
  firstTimeMs: number | undefined;
  lastTimeMs: number | undefined;
  /** Device losses while this stream had data (each also counted once in the session's gap count). */
  lossGaps: number;
  /** The device restarted after a loss: the next block starts a new sequence origin. */
  resumesAfterLoss: boolean;
  /** Samples received while the recording was paused (not stored; counted for the effective rate). */
  pausedSamples: number;
}

/** A pause in progress, or one resumed whose end waits for the first sample stored after it. */
interface PauseSpan {
  /** Sample time where the pause starts: just after the last stored sample (or the first skipped one). */
  startMs: number | undefined;
  /** Last sample time received while paused. */
  lastSeenMs: number | undefined;
  /** Wall time (nowMs) of the pause call. */
  wallStartMs: number;
}

/** A span in which the device was gone (see the acquisition's gaps). */
export interface DeviceLossGap {
  /** ms since epoch: last sample before the loss. */
  startMs: number;
  /** ms since epoch: first sample back, or when the recording or stream ended. */
  endMs: number;
  reason: string;
  reconnected: boolean;
}

/**
 * Writes the blocks of a live device into a session. Guarantees: blocks are buffered per stream and written
 * at least every `flushIntervalMs`, checked both by a timer and on every block that arrives (and on
 * {@link stop}) in one transaction together with gap markers and
 * the session's quality counters, so a killed process loses at most one flush period of samples and never
 * leaves a half-written flush. A jump in `firstSeq` counts dropped samples and records a `gap` marker;
 * the stored chunks keep their sequence numbers, so the gap stays visible. Stored sequence numbers count
 * from the first block received for each stream. A device loss ({@link Recorder.markDeviceLoss}) is recorded
 * the same way. Never holds a transaction across an await.
 *
 * Pause ({@link Recorder.pause}, {@link Recorder.resume}): blocks arriving while paused are not stored, but
 * their sequence numbers are consumed, so the stored chunks after the pause keep their place in time and the
 * paused span reads back as a sequence hole. That hole is a deliberate discontinuity: it is not counted as
 * dropped samples nor as a gap; it is one `pause` marker from just after the last sample stored before the
 * pause to the first sample stored after it (or to the last sample received when the recording ends paused).
 */
export class Recorder {
  private readonly streams = new Map<string, StreamState>();
  private readonly pendingMarkers: NewMarker[] = [];
  private unsubscribe: (() => void) | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private startSet = false;
  private readonly startedAtMs: number;
  private storedValues = 0;
  private status: SessionStatus = 'recording';
  private deviceLosses = 0;
  /** The pause in progress. */
  private paused: PauseSpan | undefined;
  /** A resumed pause whose marker is written once the first sample after it is stored (or at the end). */
  private resumed: PauseSpan | undefined;
  /** Wall time spent in pauses that have ended, ms. */
  private pausedTotalMs = 0;
  /** Blocks refused (channel count not the stream's), and the last refusal in words. */
  private refusedBlocks = 0;
  private lastRefusal: string | undefined;
  private nonFiniteBlocks = 0;
  private lastNonFinite: string | undefined;
  /** Wall time of the last flush (nowMs), for the flush driven by data arrival. */
  private lastFlushAtMs: number;

  constructor(private readonly options: RecorderOptions) {
    this.setStreams(options.streams);
    this.startedAtMs = (options.nowMs ?? Date.now)();
    this.lastFlushAtMs = this.startedAtMs;
  }

  /**
   * The streams to store, as the connected device delivers them. Replaces the streams given so far while
   * nothing has been received; afterwards a stream keeps its descriptor and only new stream ids are added.
   */
  setStreams(streams: readonly StreamDescriptor[]): void {
    const received = [...this.streams.values()].some((s) => s.received + s.pausedSamples > 0);
    if (!received) this.streams.clear();
    for (const descriptor of streams) {
      if (this.streams.has(descriptor.id)) continue;
      this.streams.set(descriptor.id, {
        descriptor,
        seqOrigin: undefined,
        nextSeq: 0,
        runs: [],
        received: 0,
        dropped: 0,
        gaps: 0,
        firstTimeMs: undefined,
        lastTimeMs: undefined,
        lossGaps: 0,
        resumesAfterLoss: false,
        pausedSamples: 0,
      });
    }
  }

  /** Stream descriptors in use. */
  get streamDescriptors(): StreamDescriptor[] {
    return [...this.streams.values()].map((s) => s.descriptor);
  }

  get sessionId(): number {
    return this.options.sessionId;
  }

  /** Subscribes to the source and starts the flush timer. */
  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.source.onBlock((block) => {
      this.push(block);
      this.flushIfDue();
    });
    this.timer = setInterval(() => {
      try {
        this.flush();
      } catch (err) {
        this.report(err);
      }
    }, this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS);
  }

  private report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.options.onError) this.options.onError(error);
    else console.error(`Recorder (session ${this.options.sessionId}): ${error.message}`);
  }

  /**
   * Records a device loss: a `gap` marker over the span, one gap in the session's count (and in each stream's
   * that had data), and — because a reconnected
   * device counts its samples from zero again — a new sequence origin for each stream's next block, placed
   * after the samples the span would have held (counted as dropped), so stored sequence numbers keep
   * increasing and the hole stays visible. Ignored once the recording has ended.
   */
  markDeviceLoss(gap: DeviceLossGap): void {
    if (this.status !== 'recording') return;
    const durationMs = Math.max(0, gap.endMs - gap.startMs);
    this.pendingMarkers.push({
      sessionId: this.options.sessionId,
      timeMs: gap.startMs,
      durationMs,
      kind: 'gap',
      text: `Device lost: ${gap.reason.trim().replace(/\.$/, '')}; ${
        gap.reconnected ? `reconnected after ${(durationMs / 1000).toFixed(1)} s` : 'not reconnected'
      }`,
    });
    for (const s of this.streams.values()) {
      if (s.seqOrigin === undefined) continue;
      s.lossGaps += 1;
      s.resumesAfterLoss = true;
    }
    this.deviceLosses += 1;
  }

  /** Whether the recording is paused. */
  get isPaused(): boolean {
    return this.paused !== undefined;
  }

  /**
   * Stops storing blocks until {@link resume}. Returns false (and changes nothing) when already paused or
   * when the recording has ended.
   */
  pause(): boolean {
    if (this.status !== 'recording' || this.paused) return false;
    const nowMs = (this.options.nowMs ?? Date.now)();
    // Paused again before anything was stored since the last resume: one pause, continued.
    this.paused = this.resumed
      ? { ...this.resumed, wallStartMs: nowMs }
      : { startMs: this.lastStoredEndMs(), lastSeenMs: undefined, wallStartMs: nowMs };
    this.resumed = undefined;
    this.options.onStatus?.(this.currentStatus());
    return true;
  }

  /**
   * Stores blocks again. The pause becomes a `pause` marker when the first block after it is stored (or
   * when the recording ends). Returns false (and changes nothing) when not paused or when the recording has
   * ended.
   */
  resume(): boolean {
    const p = this.paused;
    if (this.status !== 'recording' || !p) return false;
    this.paused = undefined;
    this.pausedTotalMs += Math.max(0, (this.options.nowMs ?? Date.now)() - p.wallStartMs);
    this.resumed = p;
    this.options.onStatus?.(this.currentStatus());
    return true;
  }

  /**
   * Sample time just after the last stored sample of the stream that ends first (streams arrive in blocks of
   * different lengths, so the span where any stream lacks data starts there); undefined before any.
   */
  private lastStoredEndMs(): number | undefined {
    let end: number | undefined;
    for (const s of this.streams.values()) {
      if (s.lastTimeMs === undefined) continue;
      const e = s.lastTimeMs + 1000 / s.descriptor.sampleRateHz;
      end = end === undefined ? e : Math.min(end, e);
    }
    return end;
  }

  /** Queues the `pause` marker of `p`, ending at `endMs` (sample time). */
  private closePause(p: PauseSpan, endMs: number | undefined): void {
    this.resumed = undefined;
    const startMs = p.startMs ?? endMs;
    if (startMs === undefined) return;
    const durationMs = Math.max(0, (endMs ?? startMs) - startMs);
    this.pendingMarkers.push({
      sessionId: this.options.sessionId,
      timeMs: startMs,
      durationMs,
      kind: 'pause',
      text: `${PAUSE_MARKER_PREFIX} (${(durationMs / 1000).toFixed(1)} s)`,
    });
  }

  /**
   * Accepts one block. Blocks of unknown streams, empty blocks and blocks already seen (sequence numbers
   * behind the stream) are ignored; a block whose channel count differs from the descriptor is refused
   * through `onError`; so is a block holding a NaN or infinite sample or timestamp (reported once, counted
   * in {@link refusedNonFiniteBlocks}; its samples become a gap of dropped samples). While paused a block only advances its stream's sequence (see the class comment).
   */
  push(block: SampleBlock): void {
    const s = this.streams.get(block.streamId);
    const n = blockLength(block);
    if (!s || n === 0 || this.status !== 'recording') return;
    if (block.data.length !== s.descriptor.channels.length) {
      this.refusedBlocks += 1;
      this.lastRefusal = `Stream ${block.streamId}: block at seq ${block.firstSeq} has ${block.data.length} channels, descriptor has ${s.descriptor.channels.length}.`;
      this.report(new RangeError(this.lastRefusal));
      return;
    }
    const nonFinite = firstNonFinite(block, n);
    if (nonFinite !== undefined) {
      this.nonFiniteBlocks += 1;
      this.lastNonFinite = `Stream ${block.streamId}: block at seq ${block.firstSeq} has a non-finite ${nonFinite}.`;
      if (this.nonFiniteBlocks === 1) this.report(new RangeError(this.lastNonFinite));
      return;
    }
    if (s.resumesAfterLoss) {
      s.resumesAfterLoss = false;
      const periodMs = 1000 / s.descriptor.sampleRateHz;
      const missing =
        s.lastTimeMs === undefined
          ? 0
          : Math.max(0, Math.round(((block.timestampsMs[0] ?? s.lastTimeMs) - s.lastTimeMs) / periodMs) - 1);
      s.dropped += missing;
      s.nextSeq += missing;
      s.seqOrigin = block.firstSeq - s.nextSeq;
    }
    s.seqOrigin ??= block.firstSeq;
    const seq = block.firstSeq - s.seqOrigin;
    if (seq < s.nextSeq) return;
    if (this.paused) {
      s.nextSeq = seq + n;
      s.pausedSamples += n;
      s.firstTimeMs ??= block.timestampsMs[0];
      s.lastTimeMs = block.timestampsMs[n - 1];
      this.paused.startMs ??= block.timestampsMs[0];
      this.paused.lastSeenMs = Math.max(this.paused.lastSeenMs ?? -Infinity, s.lastTimeMs ?? -Infinity);
      return;
    }
    if (this.resumed) this.closePause(this.resumed, block.timestampsMs[0]);
    if (seq > s.nextSeq) {
      const missing = seq - s.nextSeq;
      const periodMs = 1000 / s.descriptor.sampleRateHz;
      const gapStartMs = (block.timestampsMs[0] ?? 0) - missing * periodMs;
      s.dropped += missing;
      s.gaps += 1;
      this.pendingMarkers.push({
        sessionId: this.options.sessionId,
        timeMs: gapStartMs,
        durationMs: missing * periodMs,
        kind: 'gap',
        text: `Gap: ${missing} ${s.descriptor.id} samples dropped`,
      });
    }
    let run = s.runs.at(-1);
    if (!run || run.firstSeq + run.samples !== seq) {
      run = { firstSeq: seq, blocks: [], samples: 0 };
      s.runs.push(run);
    }
    run.blocks.push(block);
    run.samples += n;
    s.nextSeq = seq + n;
    s.received += n;
    s.firstTimeMs ??= block.timestampsMs[0];
    s.lastTimeMs = block.timestampsMs[n - 1];
  }

  /**
   * Flushes when a flush period has passed since the last one. Called on every block that arrives, so the
   * flush follows the data even when a busy event loop delays the timer (the timer still flushes a device
   * that has gone quiet).
   */
  private flushIfDue(): void {
    const nowMs = (this.options.nowMs ?? Date.now)();
    if (nowMs - this.lastFlushAtMs < (this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS)) return;
    try {
      this.flush();
    } catch (err) {
      this.report(err);
    }
  }

  /**
   * Writes everything buffered, gap markers and quality counters in one transaction. When the write fails
   * the buffer is kept for the next flush and the error is thrown.
   */
  flush(): void {
    const { db, sessionId } = this.options;
    this.lastFlushAtMs = (this.options.nowMs ?? Date.now)();
    const chunks: ChunkToWrite[] = [];
    for (const s of this.streams.values()) {
      for (const run of s.runs) chunks.push(...toChunks(sessionId, s.descriptor, run));
    }
    const markers = [...this.pendingMarkers];
    const firstTimes = [...this.streams.values()]
      .filter((s) => s.seqOrigin !== undefined && s.firstTimeMs !== undefined)
      .map((s) => s.firstTimeMs as number);
    db.transaction(() => {
      if (!this.startSet && firstTimes.length > 0) {
        setSessionStart(db, sessionId, Math.min(...firstTimes));
        this.startSet = true;
      }
      for (const c of chunks) insertChunk(db, c);
      for (const m of markers) insertMarker(db, m);
      updateSessionQuality(db, sessionId, this.quality());
    }).immediate();
    for (const s of this.streams.values()) s.runs = [];
    this.pendingMarkers.splice(0, markers.length);
    for (const c of chunks) this.storedValues += c.count * c.data.length;
    this.options.onStatus?.(this.currentStatus());
  }

  /**
   * Flushes what is buffered and ends the session with `status` (`complete` on a normal stop) and why, its end
   * time at the last sample received. A recording that stored nothing is never `complete`: it ends
   * `interrupted`, its reason `no-data` (a device loss or shutdown keeps its own reason), and the detail says
   * what arrived and what was refused. Idempotent. Returns the final status.
   */
  stop(
    status: Exclude<SessionStatus, 'recording'> = 'complete',
    end: SessionEnd = { reason: 'user' },
  ): RecordingStatus {
    if (this.status !== 'recording') return this.currentStatus();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const open = this.paused ?? this.resumed;
    if (open) {
      if (this.paused)
        this.pausedTotalMs += Math.max(0, (this.options.nowMs ?? Date.now)() - this.paused.wallStartMs);
      this.paused = undefined;
      this.closePause(open, open.lastSeenMs ?? open.startMs);
    }
    this.flush();
    const last = Math.max(...[...this.streams.values()].map((s) => s.lastTimeMs ?? -Infinity));
    const endMs = Number.isFinite(last) ? last : (this.options.nowMs ?? Date.now)();
    const stored = this.storedValues > 0;
    const finalStatus = stored ? status : 'interrupted';
    const finalEnd = stored ? end : this.emptyEnd(end);
    finishSession(this.options.db, this.options.sessionId, finalStatus, endMs, finalEnd);
    this.status = finalStatus;
    const final = this.currentStatus();
    this.options.onStatus?.(final);
    return final;
  }

  /** Why a recording that stored nothing ended, in words. */
  private emptyEnd(end: SessionEnd): SessionEnd {
    const keep: readonly SessionEndReason[] = ['device-lost', 'shutdown', 'crash'];
    const reason = keep.includes(end.reason) ? end.reason : 'no-data';
    const received = [...this.streams.values()].reduce((n, s) => n + s.received + s.pausedSamples, 0);
    const why =
      this.refusedBlocks > 0
        ? `${this.refusedBlocks} blocks from the device did not match its streams (${this.lastRefusal ?? ''})`
        : this.nonFiniteBlocks > 0
          ? `${this.nonFiniteBlocks} blocks from the device held non-finite values (${this.lastNonFinite ?? ''})`
          : this.streams.size === 0
            ? 'the device declared no streams'
            : received > 0
              ? 'every sample arrived while the recording was paused'
              : 'the device sent no samples';
    const detail = `Nothing was stored: ${why.replace(/\.\)$/, ')')}.`;
    return { reason, detail: end.detail ? `${end.detail} ${detail}` : detail };
  }

  /** Blocks refused because a sample or timestamp was NaN or infinite (their samples count as dropped). */
  get refusedNonFiniteBlocks(): number {
    return this.nonFiniteBlocks;
  }

  /** Per-stream quality so far. */
  quality(): { droppedSamples: number; gapCount: number; quality: Record<string, StreamQuality> } {
    const quality: Record<string, StreamQuality> = {};
    let droppedSamples = 0;
    let gapCount = 0;
    for (const s of this.streams.values()) {
      const spanMs = (s.lastTimeMs ?? 0) - (s.firstTimeMs ?? 0);
      const seen = s.received + s.pausedSamples;
      quality[s.descriptor.id] = {
        nominalHz: s.descriptor.sampleRateHz,
        effectiveHz: seen > 1 && spanMs > 0 ? ((seen - 1) * 1000) / spanMs : null,
        samples: s.received,
        droppedSamples: s.dropped,
        gaps: s.gaps + s.lossGaps,
      };
      droppedSamples += s.dropped;
      gapCount += s.gaps;
    }
    gapCount += this.deviceLosses;
    return { droppedSamples, gapCount, quality };
  }

  /** Status now; `elapsedS` is recorded time (wall time since the start minus the time paused). */
  currentStatus(): RecordingStatus {
    const q = this.quality();
    const nowMs = (this.options.nowMs ?? Date.now)();
    const pausedMs = this.pausedTotalMs + (this.paused ? Math.max(0, nowMs - this.paused.wallStartMs) : 0);
    return {
      sessionId: this.options.sessionId,
      status: this.status,
      paused: this.paused !== undefined,
      elapsedS: Math.max(0, (nowMs - this.startedAtMs - pausedMs) / 1000),
      samples: this.storedValues,
      droppedSamples: q.droppedSamples,
      gapCount: q.gapCount,
    };
  }
}

/** Splits a run into chunks of at most {@link MAX_CHUNK_S} seconds, copying its blocks into one array each. */
function toChunks(sessionId: number, descriptor: StreamDescriptor, run: PendingRun): ChunkToWrite[] {
  const channels = descriptor.channels.length;
  const data = Array.from({ length: channels }, () => new Float32Array(run.samples));
  const timestampsMs = new Float64Array(run.samples);
  let offset = 0;
  for (const b of run.blocks) {
    b.data.forEach((ch, c) => (data[c] as Float32Array).set(ch, offset));
    timestampsMs.set(b.timestampsMs, offset);
    offset += blockLength(b);
  }
  const maxSamples = Math.max(1, Math.round(descriptor.sampleRateHz * MAX_CHUNK_S));
  const chunks: ChunkToWrite[] = [];
  for (let start = 0; start < run.samples; start += maxSamples) {
    chunks.push({
      sessionId,
      streamId: descriptor.id,
      sampleRateHz: descriptor.sampleRateHz,
      firstSeq: run.firstSeq + start,
      data,
      timestampsMs,
      start,
      count: Math.min(maxSamples, run.samples - start),
    });
  }
  return chunks;
}

/** What in a block is NaN or infinite ("value of channel 2 at sample 5"), or undefined when all is finite. */
function firstNonFinite(block: SampleBlock, n: number): string | undefined {
  for (let i = 0; i < n; i++) if (!Number.isFinite(block.timestampsMs[i])) return `timestamp at sample ${i}`;
  for (const [c, channel] of block.data.entries())
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(channel[i])) return `value of channel ${c + 1} at sample ${i}`;
  return undefined;
}
