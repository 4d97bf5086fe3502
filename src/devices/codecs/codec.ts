/**
 * The codec contract shared by every device protocol: pure bytes → {@link SampleBlock}s. No I/O, no timers, no
 * host clock. A codec's blocks carry device time (`firstSeq / sampleRateHz`, in ms from the stream's first
 * sample); the driver stamps host time on them with a fitted clock (see ../clock.ts).
 */

import type { ChannelDescriptor, SampleBlock, StreamDescriptor } from '../../shared/samples.js';

/** What a codec has seen since its last reset. Counters only grow. */
export interface CodecStats {
  /** Packets (frames, lines, notifications) decoded into samples or messages. */
  packets: number;
  /** Bytes skipped while looking for a packet boundary. */
  garbageBytes: number;
  /** Times the codec lost the packet boundary and found it again. */
  resyncs: number;
  /** Samples known to be lost from gaps in the device's counter, summed over streams. */
  droppedSamples: number;
  /** Packets or lines that had the right framing but could not be decoded (bad length, bad number). */
  malformed: number;
}

/** Non-sample information some devices send in-band. */
export type DeviceMessage =
  | { kind: 'text'; text: string }
  | { kind: 'impedance'; channel: number | 'ref'; ohms: number }
  | { kind: 'battery'; percent: number };

/**
 * A protocol decoder. Guarantees: `push` never throws on any input; output does not depend on how the byte
 * stream is split into chunks (for codecs of message-framed transports, such as BLE notifications, each chunk
 * is one message and this is stated in the codec); blocks of one stream come in sample order with
 * `firstSeq` jumping over lost samples.
 */
export interface Codec {
  readonly streams: readonly StreamDescriptor[];
  /**
   * Decodes a chunk. `source` names where it came from when a transport has several (the BLE characteristic
   * UUID, lowercase without dashes); byte-stream codecs ignore it.
   */
  push(chunk: Uint8Array, source?: string): SampleBlock[];
  /** Drops buffered bytes, counters and decoder state (use after a reconnection). */
  reset(): void;
  stats(): CodecStats;
  /** Returns and clears the in-band messages decoded since the last call. */
  takeMessages(): DeviceMessage[];
}

export const emptyStats = (): CodecStats => ({
  packets: 0,
  garbageBytes: 0,
  resyncs: 0,
  droppedSamples: 0,
  malformed: 0,
});

/**
 * Collects samples of one stream during one `push` and cuts them into blocks, a new block wherever the index
 * jumps. Timestamps are device time: index × 1000 / sampleRateHz.
 */
export class BlockBuilder {
  private firstSeq = -1;
  private nextSeq = -1;
  private lastSeqEver = -1;
  private columns: number[][];
  /** Indices skipped between consecutive samples (lost samples), since construction or reset. */
  dropped = 0;

  constructor(
    readonly streamId: string,
    readonly channelCount: number,
    readonly sampleRateHz: number,
  ) {
    this.columns = Array.from({ length: channelCount }, () => []);
  }

  /**
   * Adds one sample (one value per channel) at stream index `seq`; `out` receives a block if a jump closes one.
   * A sample whose index is not above every index added before is ignored (a stream never goes backwards).
   */
  add(seq: number, values: ArrayLike<number>, out: SampleBlock[]): void {
    if (seq <= this.lastSeqEver) return;
    if (this.lastSeqEver >= 0) this.dropped += seq - this.lastSeqEver - 1;
    this.lastSeqEver = seq;
    if (this.firstSeq >= 0 && seq !== this.nextSeq) this.flush(out);
    if (this.firstSeq < 0) this.firstSeq = seq;
    for (let c = 0; c < this.channelCount; c++) this.columns[c]?.push(values[c] ?? Number.NaN);
    this.nextSeq = seq + 1;
  }

  flush(out: SampleBlock[]): void {
    const n = this.columns[0]?.length ?? 0;
    if (this.firstSeq < 0 || n === 0) return;
    const timestampsMs = new Float64Array(n);
    const periodMs = 1000 / this.sampleRateHz;
    for (let i = 0; i < n; i++) timestampsMs[i] = (this.firstSeq + i) * periodMs;
    out.push({
      streamId: this.streamId,
      firstSeq: this.firstSeq,
      timestampsMs,
      data: this.columns.map((col) => Float32Array.from(col)),
    });
    this.columns = Array.from({ length: this.channelCount }, () => []);
    this.firstSeq = -1;
    this.nextSeq = -1;
  }

  reset(): void {
    this.columns = Array.from({ length: this.channelCount }, () => []);
    this.firstSeq = -1;
    this.nextSeq = -1;
    this.lastSeqEver = -1;
    this.dropped = 0;
  }
}

/** Builds channel descriptors `${prefix}1..n`. */
export function channels(
  prefix: string,
  labelPrefix: string,
  count: number,
  kind: ChannelDescriptor['kind'],
  unit: ChannelDescriptor['unit'],
  rangeMin: number,
  rangeMax: number,
): ChannelDescriptor[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    label: `${labelPrefix} ${i + 1}`,
    kind,
    unit,
    rangeMin,
    rangeMax,
  }));
}

/** Channel descriptors for x, y, z axes. */
export function axes(
  prefix: string,
  labelPrefix: string,
  kind: ChannelDescriptor['kind'],
  unit: ChannelDescriptor['unit'],
  range: number,
): ChannelDescriptor[] {
  return ['X', 'Y', 'Z'].map((a) => ({
    id: `${prefix}${a}`,
    label: `${labelPrefix} ${a}`,
    kind,
    unit,
    rangeMin: -range,
    rangeMax: range,
  }));
}

/** A growable byte buffer for stream framers: append chunks, read and consume from the front. */
export class ByteQueue {
  private buf = new Uint8Array(256);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length > this.buf.length || this.start === 0) {
        const grown = new Uint8Array(Math.max(this.buf.length * 2, live + chunk.length));
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      } else {
        this.buf.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Byte at offset `i` from the front (0 if out of range; callers check `length` first). */
  at(i: number): number {
    return this.buf[this.start + i] ?? 0;
  }

  /** The backing array and the index of the front byte in it (valid until the next append or consume). */
  get backing(): { bytes: Uint8Array; start: number } {
    return { bytes: this.buf, start: this.start };
  }

  /** A view of `n` bytes from offset `i` (valid until the next append). */
  view(i: number, n: number): Uint8Array {
    return this.buf.subarray(this.start + i, this.start + i + n);
  }

  consume(n: number): void {
    this.start = Math.min(this.end, this.start + n);
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
  }
}
