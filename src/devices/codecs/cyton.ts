/**
 * OpenBCI Cyton (and Cyton + Daisy) serial stream codec.
 *
 * Source: ../shared/spec/devices.md §1 (OpenBCI Cyton data format docs, BrainFlow cyton.cpp / cyton_daisy.cpp,
 * OpenBCI_JavaScript_Utilities). 115200 baud 8-N-1, 250 packets/s.
 *
 * 33-byte packet (0-based offsets):
 * ```
 *  0      header 0xA0
 *  1      sample number, uint8, +1 per packet, wraps 255 → 0
 *  2..25  8 × int24 BE two's complement EXG counts (channel i at 2 + 3i)
 *  26..31 aux: stop C0 → accelerometer X, Y, Z as 3 × int16 BE (LIS3DH ±4 g, 0.000125 g/count, 25 Hz,
 *         most packets carry zeros); C1..C6 → raw/user/timestamp aux, not decoded here
 *  32     stop byte 0xC0..0xC6
 * ```
 * EXG µV = counts × 4.5 / gain / (2^23 − 1) × 1e6 (gain 24 by default → 0.0223517 µV/count).
 *
 * Framing: a candidate needs byte 0 = 0xA0 and byte 32 = 0xC0..0xC6. Right after an accepted packet (locked)
 * a candidate whose sample number follows is accepted at once; otherwise (after garbage or a lost packet) the
 * byte after it must also be the next header 0xA0, so garbage that happens to hold A0 … Cx is not taken for a
 * packet. On a mismatch the framer advances by one byte (not 33). Decisions depend only on bytes already
 * buffered and never on where chunks were cut, so the output is independent of chunk boundaries.
 *
 * Daisy (16 channels, 125 Hz): packets alternate between boards; odd sample numbers carry channels 1–8, even
 * ones channels 9–16 (spec §1.5). Pairing chosen here (as OpenBCI JS): a main-board packet (odd n) is merged
 * with the daisy packet n + 1 that follows it; the 16-channel sample index is (n + 1) / 2 counted from the
 * first pair. A half without its partner (lost packet) is dropped and shows as a gap.
 */

import { CounterUnwrapper } from '../clock.js';
import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { axes, BlockBuilder, ByteQueue, channels, emptyStats } from './codec.js';

export const CYTON_PACKET_BYTES = 33;
export const CYTON_HEADER = 0xa0;
export const CYTON_SAMPLE_RATE_HZ = 250;
export const CYTON_ACCEL_RATE_HZ = 25;
/** g per accelerometer count (LIS3DH ±4 g). */
export const CYTON_ACCEL_G_PER_COUNT = 0.002 / 16;
export const CYTON_DEFAULT_GAIN = 24;

/** µV per count for an ADS1299 channel at `gain`. */
export const cytonUvPerCount = (gain: number): number => (4.5 / gain / (2 ** 23 - 1)) * 1e6;

/** Reads a 24-bit big-endian two's complement integer. */
export function int24be(b: Uint8Array, offset: number): number {
  const v = ((b[offset] ?? 0) << 16) | ((b[offset + 1] ?? 0) << 8) | (b[offset + 2] ?? 0);
  return v & 0x800000 ? v - 0x1000000 : v;
}

const int16be = (b: Uint8Array, offset: number): number => {
  const v = ((b[offset] ?? 0) << 8) | (b[offset + 1] ?? 0);
  return v & 0x8000 ? v - 0x10000 : v;
};

export interface CytonCodecOptions {
  /** 16 channels at 125 Hz (Cyton + Daisy) instead of 8 at 250 Hz. */
  isDaisy?: boolean;
  /** Per-channel PGA gain (1, 2, 4, 6, 8, 12, 24); default 24 for every channel (the state after `d`). */
  gains?: readonly number[];
}

/** Streams of a Cyton: `exg` (µV) and `accel` (g). */
export function cytonStreams(isDaisy: boolean): StreamDescriptor[] {
  const n = isDaisy ? 16 : 8;
  const rangeUv = (4.5 / CYTON_DEFAULT_GAIN) * 1e6;
  return [
    {
      id: 'exg',
      label: isDaisy ? 'EXG (Cyton + Daisy)' : 'EXG (Cyton)',
      sampleRateHz: isDaisy ? CYTON_SAMPLE_RATE_HZ / 2 : CYTON_SAMPLE_RATE_HZ,
      channels: channels('exg', 'EXG', n, 'emg', 'uV', -rangeUv, rangeUv),
    },
    {
      id: 'accel',
      label: 'Accelerometer',
      sampleRateHz: CYTON_ACCEL_RATE_HZ,
      channels: axes('acc', 'Accel', 'accel', 'g', 4),
    },
  ];
}

/** Decoder for the Cyton byte stream; see the file header for the layout. */
export class CytonCodec implements Codec {
  readonly streams: readonly StreamDescriptor[];
  private readonly isDaisy: boolean;
  private readonly scales: number[];
  private readonly queue = new ByteQueue();
  private readonly counter = new CounterUnwrapper(256);
  private readonly exg: BlockBuilder;
  private readonly accel: BlockBuilder;
  private statsValue: CodecStats = emptyStats();
  private isResyncing = false;
  private isLocked = false;
  private expectedSampleNumber = -1;
  private firstRaw = -1;
  private pairBase = -1;
  private pendingMain: { raw: number; values: number[] } | undefined;

  constructor(options: CytonCodecOptions = {}) {
    this.isDaisy = options.isDaisy ?? false;
    const n = this.isDaisy ? 16 : 8;
    this.scales = Array.from({ length: n }, (_, i) =>
      cytonUvPerCount(options.gains?.[i] ?? CYTON_DEFAULT_GAIN),
    );
    this.streams = cytonStreams(this.isDaisy);
    this.exg = new BlockBuilder('exg', n, this.streams[0]?.sampleRateHz ?? CYTON_SAMPLE_RATE_HZ);
    this.accel = new BlockBuilder('accel', 3, CYTON_ACCEL_RATE_HZ);
  }

  push(chunk: Uint8Array): SampleBlock[] {
    const out: SampleBlock[] = [];
    this.queue.append(chunk);
    const q = this.queue;
    while (q.length > 0) {
      if (q.at(0) !== CYTON_HEADER) {
        this.skip();
        continue;
      }
      if (q.length < CYTON_PACKET_BYTES) break;
      const stop = q.at(32);
      if (stop < 0xc0 || stop > 0xc6) {
        this.skip();
        continue;
      }
      if (!this.isLocked || q.at(1) !== this.expectedSampleNumber) {
        if (q.length < CYTON_PACKET_BYTES + 1) break;
        if (q.at(CYTON_PACKET_BYTES) !== CYTON_HEADER) {
          this.skip();
          continue;
        }
      }
      this.isLocked = true;
      this.expectedSampleNumber = (q.at(1) + 1) & 0xff;
      if (this.isResyncing) {
        this.statsValue.resyncs++;
        this.isResyncing = false;
      }
      this.decode(q.view(0, CYTON_PACKET_BYTES), out);
      q.consume(CYTON_PACKET_BYTES);
    }
    this.exg.flush(out);
    this.accel.flush(out);
    this.statsValue.droppedSamples = this.exg.dropped;
    return out;
  }

  reset(): void {
    this.queue.clear();
    this.counter.reset();
    this.exg.reset();
    this.accel.reset();
    this.statsValue = emptyStats();
    this.isResyncing = false;
    this.isLocked = false;
    this.expectedSampleNumber = -1;
    this.firstRaw = -1;
    this.pairBase = -1;
    this.pendingMain = undefined;
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
    this.isResyncing = true;
    this.isLocked = false;
  }

  private decode(p: Uint8Array, out: SampleBlock[]): void {
    this.statsValue.packets++;
    const sampleNumber = p[1] ?? 0;
    const { index } = this.counter.next(sampleNumber);
    if (this.firstRaw < 0) this.firstRaw = sampleNumber;
    const raw = this.firstRaw + index;
    const counts: number[] = [];
    for (let i = 0; i < 8; i++) counts.push(int24be(p, 2 + 3 * i));
    if (p[32] === 0xc0) {
      const a = [int16be(p, 26), int16be(p, 28), int16be(p, 30)];
      if (a[0] !== 0 || a[1] !== 0 || a[2] !== 0)
        this.accel.add(
          Math.floor(index / 10),
          a.map((c) => c * CYTON_ACCEL_G_PER_COUNT),
          out,
        );
    }
    if (!this.isDaisy) {
      this.exg.add(
        index,
        counts.map((c, i) => c * (this.scales[i] ?? 0)),
        out,
      );
      return;
    }
    if (raw % 2 === 1) {
      this.pendingMain = { raw, values: counts };
      return;
    }
    const main = this.pendingMain;
    this.pendingMain = undefined;
    if (!main || main.raw !== raw - 1) return;
    const pair = raw / 2;
    if (this.pairBase < 0) this.pairBase = pair;
    const values = [...main.values, ...counts].map((c, i) => c * (this.scales[i] ?? 0));
    this.exg.add(pair - this.pairBase, values, out);
  }
}

/** Encodes one Cyton packet (for emulators and tests): 8 int24 counts, optional accel counts, stop byte. */
export function encodeCytonPacket(
  sampleNumber: number,
  counts: readonly number[],
  accelCounts: readonly [number, number, number] = [0, 0, 0],
  stop = 0xc0,
): Uint8Array {
  const p = new Uint8Array(CYTON_PACKET_BYTES);
  p[0] = CYTON_HEADER;
  p[1] = sampleNumber & 0xff;
  for (let i = 0; i < 8; i++) {
    const v = (counts[i] ?? 0) & 0xffffff;
    p[2 + 3 * i] = (v >> 16) & 0xff;
    p[3 + 3 * i] = (v >> 8) & 0xff;
    p[4 + 3 * i] = v & 0xff;
  }
  for (let a = 0; a < 3; a++) {
    const v = (accelCounts[a] ?? 0) & 0xffff;
    p[26 + 2 * a] = (v >> 8) & 0xff;
    p[27 + 2 * a] = v & 0xff;
  }
  p[32] = stop;
  return p;
}
