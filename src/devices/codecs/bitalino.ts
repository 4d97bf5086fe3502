/**
 * BITalino (original and (r)evolution) frame codec, serial / BT-SPP / BLE byte stream.
 *
 * Source: ../shared/spec/devices.md §4 (BITalinoWorld revolution-python-api bitalino.py and cpp-api
 * bitalino.cpp; transfer functions by P. Gomes; BITalino forum).
 *
 * Frame length L for n selected analog channels: n ≤ 4 ? ceil((12 + 10n) / 8) : ceil((52 + 6(n − 4)) / 8)
 * → 3, 4, 6, 7, 8, 8 bytes for n = 1..6. Fields are indexed from the end, B(k) = frame[L − k]:
 * ```
 *  seq (4 bit, wraps 15 → 0)  B(1) >> 4           CRC4            B(1) & 0x0F
 *  digital D0..D3             B(2) bits 7..4
 *  analog #1 (10 bit)         ((B(2) & 0x0F) << 6) | (B(3) >> 2)
 *  analog #2 (10 bit)         ((B(3) & 0x03) << 8) | B(4)
 *  analog #3 (10 bit)         (B(5) << 2) | (B(6) >> 6)
 *  analog #4 (10 bit)         ((B(6) & 0x3F) << 4) | (B(7) >> 4)
 *  analog #5 (6 bit)          ((B(7) & 0x0F) << 2) | (B(8) >> 6)
 *  analog #6 (6 bit)          B(8) & 0x3F
 * ```
 * Analog #k is the k-th selected channel in ascending order. The bit depth used for unit conversion is that of
 * the frame position (#1–#4 10-bit, #5–#6 6-bit), the only depth the frame carries (spec §4.3 leaves the
 * mapping for mixed selections unconfirmed).
 *
 * CRC4 (x⁴ + x + 1, table form of cpp-api) over the whole frame with the CRC nibble taken as 0.
 *
 * Units: EMG mV = ((ADC / 2^bits) − 0.5) × 3.3 / 1009 × 1000 ((r)evolution; the original board uses gain 1000);
 * ACC g = ((ADC − Cmin) / (Cmax − Cmin)) × 2 − 1 with per-device calibration (forum values 208 / 312 are
 * the default here; calibrate with a slow 360° rotation); `raw` channels stay in counts.
 *
 * Framing: CRC4 alone accepts 1 in 16 random frames, so after garbage the codec only re-locks on two
 * back-to-back frames that both pass CRC and whose sequence numbers follow; once locked, each frame at the
 * expected position that passes CRC is accepted (sequence jumps count as dropped samples). A failing frame
 * drops one byte and unlocks. Decisions depend only on buffered bytes, so output is split-independent.
 */

import { CounterUnwrapper } from '../clock.js';
import type { ChannelDescriptor, SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { BlockBuilder, ByteQueue, emptyStats } from './codec.js';

/** Sampling-rate codes accepted by the device (command `(code << 6) | 0x03`). */
export const BITALINO_RATES_HZ = [1, 10, 100, 1000] as const;
export type BitalinoRateHz = (typeof BITALINO_RATES_HZ)[number];

export type BitalinoChannelKind = 'emg' | 'acc' | 'raw';

export interface BitalinoChannel {
  /** Physical analog input 1..6 (A1..A6). */
  input: number;
  kind: BitalinoChannelKind;
}

export interface BitalinoCodecOptions {
  channels: readonly BitalinoChannel[];
  sampleRateHz: BitalinoRateHz;
  /** `revolution` (default) or the original board (EMG gain 1000). */
  model?: 'revolution' | 'original';
  /** Accelerometer calibration counts; default 208 / 312 (forum values for the original board). */
  accCalibration?: { minCounts: number; maxCounts: number };
}

const CRC_TABLE = [0, 3, 6, 5, 12, 15, 10, 9, 11, 8, 13, 14, 7, 4, 1, 2] as const;

/** Frame length in bytes for `n` selected analog channels (1..6). */
export function bitalinoFrameBytes(n: number): number {
  return n <= 4 ? Math.ceil((12 + 10 * n) / 8) : Math.ceil((52 + 6 * (n - 4)) / 8);
}

/** CRC4 of a frame (its own CRC nibble counts as 0), as the device computes it. */
export function bitalinoCrc4(frame: Uint8Array): number {
  let crc = 0;
  const last = frame.length - 1;
  for (let i = 0; i < last; i++) {
    const b = frame[i] ?? 0;
    crc = (CRC_TABLE[crc] ?? 0) ^ (b >> 4);
    crc = (CRC_TABLE[crc] ?? 0) ^ (b & 0x0f);
  }
  const l = frame[last] ?? 0;
  crc = (CRC_TABLE[crc] ?? 0) ^ (l >> 4);
  return CRC_TABLE[crc] ?? 0;
}

export const isBitalinoFrameValid = (frame: Uint8Array): boolean =>
  bitalinoCrc4(frame) === ((frame[frame.length - 1] ?? 0) & 0x0f);

/** CRC check of the `length`-byte frame at `offset` of `bytes`, without a copy (the codec's hot path). */
function isFrameValidAt(bytes: Uint8Array, offset: number, length: number): boolean {
  let crc = 0;
  const last = offset + length - 1;
  for (let i = offset; i < last; i++) {
    const b = bytes[i] ?? 0;
    crc = (CRC_TABLE[crc] ?? 0) ^ (b >> 4);
    crc = (CRC_TABLE[crc] ?? 0) ^ (b & 0x0f);
  }
  const l = bytes[last] ?? 0;
  crc = (CRC_TABLE[crc] ?? 0) ^ (l >> 4);
  return (CRC_TABLE[crc] ?? 0) === (l & 0x0f);
}

/** Decoded fields of one frame. */
export interface BitalinoFrame {
  seq: number;
  digital: [number, number, number, number];
  analog: number[];
}

/** Decodes one frame of `n` channels (no CRC check). */
export function decodeBitalinoFrame(frame: Uint8Array, n: number): BitalinoFrame {
  const L = frame.length;
  const B = (k: number): number => frame[L - k] ?? 0;
  const all = [
    ((B(2) & 0x0f) << 6) | (B(3) >> 2),
    ((B(3) & 0x03) << 8) | B(4),
    (B(5) << 2) | (B(6) >> 6),
    ((B(6) & 0x3f) << 4) | (B(7) >> 4),
    ((B(7) & 0x0f) << 2) | (B(8) >> 6),
    B(8) & 0x3f,
  ];
  return {
    seq: B(1) >> 4,
    digital: [(B(2) >> 7) & 1, (B(2) >> 6) & 1, (B(2) >> 5) & 1, (B(2) >> 4) & 1],
    analog: all.slice(0, n),
  };
}

/** Encodes one frame (for emulators and tests), CRC included. */
export function encodeBitalinoFrame(
  seq: number,
  analog: readonly number[],
  digital: readonly number[] = [0, 0, 0, 0],
): Uint8Array {
  const n = analog.length;
  const L = bitalinoFrameBytes(n);
  const f = new Uint8Array(L);
  const set = (k: number, v: number): void => {
    f[L - k] = ((f[L - k] ?? 0) | v) & 0xff;
  };
  const a = (i: number): number => analog[i] ?? 0;
  set(1, (seq & 0x0f) << 4);
  set(
    2,
    ((digital[0] ?? 0) << 7) | ((digital[1] ?? 0) << 6) | ((digital[2] ?? 0) << 5) | ((digital[3] ?? 0) << 4),
  );
  set(2, (a(0) >> 6) & 0x0f);
  set(3, (a(0) & 0x3f) << 2);
  if (n >= 2) {
    set(3, (a(1) >> 8) & 0x03);
    set(4, a(1) & 0xff);
  }
  if (n >= 3) {
    set(5, (a(2) >> 2) & 0xff);
    set(6, (a(2) & 0x03) << 6);
  }
  if (n >= 4) {
    set(6, (a(3) >> 4) & 0x3f);
    set(7, (a(3) & 0x0f) << 4);
  }
  if (n >= 5) {
    set(7, (a(4) >> 2) & 0x0f);
    set(8, (a(4) & 0x03) << 6);
  }
  if (n >= 6) set(8, a(5) & 0x3f);
  f[L - 1] = ((f[L - 1] ?? 0) & 0xf0) | bitalinoCrc4(f);
  return f;
}

/** Bits of analog frame position k (0-based). */
const fieldBits = (k: number): number => (k < 4 ? 10 : 6);

/** EMG in mV from counts of a field with `bits` bits ((r)evolution sensor, gain 1009; original 1000). */
export const bitalinoEmgMv = (counts: number, bits: number, gain = 1009): number =>
  ((counts / 2 ** bits - 0.5) * 3.3 * 1000) / gain;

/** Command byte selecting the sampling rate. */
export const bitalinoRateCommand = (rateHz: BitalinoRateHz): number =>
  (BITALINO_RATES_HZ.indexOf(rateHz) << 6) | 0x03;

/** Command byte starting live acquisition of the given physical inputs (1..6). */
export const bitalinoStartCommand = (inputs: readonly number[]): number => {
  let mask = 0;
  for (const i of inputs) mask |= 1 << (i - 1);
  return ((mask << 2) | 0x01) & 0xff;
};

export const BITALINO_VERSION_COMMAND = 0x07;
export const BITALINO_STOP_COMMAND = 0x00;

/** The one `analog` stream of a BITalino: selected inputs in ascending order, units by channel kind. */
export function bitalinoStreams(options: BitalinoCodecOptions): StreamDescriptor[] {
  const sorted = [...options.channels].sort((a, b) => a.input - b.input);
  const chans: ChannelDescriptor[] = sorted.map((c) =>
    c.kind === 'emg'
      ? {
          id: `A${c.input}`,
          label: `EMG A${c.input}`,
          kind: 'emg',
          unit: 'mV',
          rangeMin: -1.65,
          rangeMax: 1.65,
        }
      : c.kind === 'acc'
        ? { id: `A${c.input}`, label: `ACC A${c.input}`, kind: 'accel', unit: 'g', rangeMin: -3, rangeMax: 3 }
        : {
            id: `A${c.input}`,
            label: `A${c.input}`,
            kind: 'other',
            unit: 'counts',
            rangeMin: 0,
            rangeMax: 1023,
          },
  );
  return [{ id: 'analog', label: 'BITalino analog', sampleRateHz: options.sampleRateHz, channels: chans }];
}

/** Decoder for the BITalino frame stream; see the file header. */
export class BitalinoCodec implements Codec {
  readonly streams: readonly StreamDescriptor[];
  readonly frameBytes: number;
  private readonly convert: ((counts: number) => number)[];
  private readonly queue = new ByteQueue();
  private readonly counter = new CounterUnwrapper(16);
  private readonly block: BlockBuilder;
  private statsValue: CodecStats = emptyStats();
  private isLocked = false;
  private hasSkipped = false;
  private readonly values: number[];

  constructor(options: BitalinoCodecOptions) {
    const n = options.channels.length;
    if (n < 1 || n > 6) throw new RangeError(`BITalino needs 1 to 6 channels, got ${n}`);
    const inputs = options.channels.map((c) => c.input);
    if (inputs.some((i) => !Number.isInteger(i) || i < 1 || i > 6) || new Set(inputs).size !== n)
      throw new RangeError(`BITalino inputs must be distinct integers 1..6, got [${inputs.join(', ')}]`);
    this.frameBytes = bitalinoFrameBytes(n);
    this.streams = bitalinoStreams(options);
    const sorted = [...options.channels].sort((a, b) => a.input - b.input);
    const gain = options.model === 'original' ? 1000 : 1009;
    const cal = options.accCalibration ?? { minCounts: 208, maxCounts: 312 };
    this.convert = sorted.map((c, k) =>
      c.kind === 'emg'
        ? (v: number) => bitalinoEmgMv(v, fieldBits(k), gain)
        : c.kind === 'acc'
          ? (v: number) => ((v - cal.minCounts) / (cal.maxCounts - cal.minCounts)) * 2 - 1
          : (v: number) => v,
    );
    this.block = new BlockBuilder('analog', n, options.sampleRateHz);
    this.values = new Array<number>(n).fill(0);
  }

  push(chunk: Uint8Array): SampleBlock[] {
    const out: SampleBlock[] = [];
    this.queue.append(chunk);
    const q = this.queue;
    const L = this.frameBytes;
    while (q.length >= L) {
      const { bytes, start } = q.backing;
      if (!isFrameValidAt(bytes, start, L)) {
        this.skip();
        continue;
      }
      const seq = (bytes[start + L - 1] ?? 0) >> 4;
      if (!this.isLocked) {
        if (q.length < 2 * L) break;
        const nextSeq = (bytes[start + 2 * L - 1] ?? 0) >> 4;
        if (!isFrameValidAt(bytes, start + L, L) || nextSeq !== ((seq + 1) & 0x0f)) {
          this.skip();
          continue;
        }
        if (this.hasSkipped) this.statsValue.resyncs++;
        this.hasSkipped = false;
        this.isLocked = true;
      }
      this.decodeAt(bytes, start, seq, out);
      q.consume(L);
    }
    this.block.flush(out);
    this.statsValue.droppedSamples = this.block.dropped;
    return out;
  }

  reset(): void {
    this.queue.clear();
    this.counter.reset();
    this.block.reset();
    this.statsValue = emptyStats();
    this.isLocked = false;
    this.hasSkipped = false;
  }

  stats(): CodecStats {
    return { ...this.statsValue };
  }

  takeMessages(): DeviceMessage[] {
    return [];
  }

  private skip(): void {
    this.queue.consume(1);
    this.statsValue.garbageBytes++;
    this.isLocked = false;
    this.hasSkipped = true;
  }

  private decodeAt(bytes: Uint8Array, start: number, seq: number, out: SampleBlock[]): void {
    const end = start + this.frameBytes;
    const B = (k: number): number => bytes[end - k] ?? 0;
    const n = this.convert.length;
    const v = this.values;
    v[0] = ((B(2) & 0x0f) << 6) | (B(3) >> 2);
    if (n > 1) v[1] = ((B(3) & 0x03) << 8) | B(4);
    if (n > 2) v[2] = (B(5) << 2) | (B(6) >> 6);
    if (n > 3) v[3] = ((B(6) & 0x3f) << 4) | (B(7) >> 4);
    if (n > 4) v[4] = ((B(7) & 0x0f) << 2) | (B(8) >> 6);
    if (n > 5) v[5] = B(8) & 0x3f;
    for (let k = 0; k < n; k++) v[k] = this.convert[k]?.(v[k] ?? 0) ?? Number.NaN;
    this.statsValue.packets++;
    const { index } = this.counter.next(seq);
    this.block.add(index, v, out);
  }
}
