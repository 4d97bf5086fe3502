/**
 * OpenBCI Ganglion BLE notification codec, firmware 2 (delta compression) and firmware 3 (truncated absolute).
 *
 * Source: ../shared/spec/devices.md §2 (OpenBCI Ganglion data format docs, OpenBCI_JavaScript_Utilities,
 * OpenBCI_NodeJS_Ganglion, OpenBCI_Ganglion_Library fw 3.0.2, BrainFlow ganglion_native.cpp).
 *
 * Message-framed: each chunk is one BLE notification from characteristic 2d30c082-… (up to 20 bytes).
 * ```
 *  byte 0   packet id
 *    fw2:   0 raw seed: 4 × int24 BE at 1, 4, 7, 10 (one sample) · 1–100 18-bit deltas + accel byte 19
 *           · 101–200 19-bit deltas
 *    fw3:   0–99 18-bit absolute + accel byte 19 · 100–199 19-bit absolute
 *    both:  201–204 impedance ch 1–4, 205 reference: ASCII digits up to 'Z', ohms · 206 ASCII part · 207 last part
 *  bytes 1… one MSB-first bit stream of 8 values of W bits (W = 18 or 19): sample A ch 1–4, sample B ch 1–4
 *  byte 19  (18-bit packets) int8 accelerometer: id % 10 = 1 → X, 2 → Y, 3 → Z; 0.016 g/count, 10 Hz
 * ```
 * fw2 values: sign from the LSB (official decoder): v = raw & 1 ? raw − 2^W : raw; then
 * s1 = last − d[0..3], s2 = s1 − d[4..7], last = s2. A seed (id 0) sets `last`.
 * fw3 values: sign-extend from the MSB, then << (24 − W).
 * Scale 1.2 / (8388607 × 1.5 × 51) V = 0.00186995 µV per count.
 *
 * Counters (spec §2.3; the wrap of the fw2 ring through the seed packet is an assumption, marked unconfirmed
 * in the spec): fw2 cycles 0, 1..100 (or 0, 101..200), 201 samples per cycle; fw3 cycles ids mod 100, two
 * samples per packet. A gap counts the missed samples. In fw2 a lost delta packet breaks the reconstruction,
 * so delta packets are discarded (and counted as lost) until the next seed packet.
 */

import { CounterUnwrapper } from '../clock.js';
import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { axes, BlockBuilder, channels, emptyStats } from './codec.js';

export const GANGLION_SERVICE = 'fe84';
export const GANGLION_RECEIVE_CHAR = '2d30c082f39f4ce6923f3484ea480596';
export const GANGLION_SEND_CHAR = '2d30c083f39f4ce6923f3484ea480596';
export const GANGLION_DISCONNECT_CHAR = '2d30c084f39f4ce6923f3484ea480596';
export const GANGLION_SOFTWARE_REVISION_CHAR = '2a28';
export const GANGLION_SAMPLE_RATE_HZ = 200;
export const GANGLION_ACCEL_RATE_HZ = 10;
export const GANGLION_UV_PER_COUNT = (1.2 / (8388607 * 1.5 * 51)) * 1e6;
export const GANGLION_ACCEL_G_PER_COUNT = 0.016;

export type GanglionFirmware = 2 | 3;

/** Reads value `k` of width `bits` from the MSB-first bit stream starting at byte 1. */
function readBits(p: Uint8Array, k: number, bits: number): number {
  let v = 0;
  const start = 8 + k * bits;
  for (let b = start; b < start + bits; b++) v = v * 2 + (((p[b >> 3] ?? 0) >> (7 - (b & 7))) & 1);
  return v;
}

/** The 8 signed values of a compressed packet, decoded with the given firmware's sign rule. */
export function decodeGanglionValues(
  packet: Uint8Array,
  bits: 18 | 19,
  firmware: GanglionFirmware,
): number[] {
  const full = 2 ** bits;
  const out: number[] = [];
  for (let k = 0; k < 8; k++) {
    const raw = readBits(packet, k, bits);
    if (firmware === 2) out.push(raw & 1 ? raw - full : raw);
    else out.push((raw >= full / 2 ? raw - full : raw) * 2 ** (24 - bits));
  }
  return out;
}

/** Streams of a Ganglion: `exg` 4 ch µV at 200 Hz, `accel` 3 axes g at 10 Hz. */
export const ganglionStreams = (): StreamDescriptor[] => [
  {
    id: 'exg',
    label: 'EXG (Ganglion)',
    sampleRateHz: GANGLION_SAMPLE_RATE_HZ,
    channels: channels('exg', 'EXG', 4, 'emg', 'uV', -15686, 15686),
  },
  {
    id: 'accel',
    label: 'Accelerometer',
    sampleRateHz: GANGLION_ACCEL_RATE_HZ,
    channels: axes('acc', 'Accel', 'accel', 'g', 2),
  },
];

const int24be = (p: Uint8Array, o: number): number => {
  const v = ((p[o] ?? 0) << 16) | ((p[o + 1] ?? 0) << 8) | (p[o + 2] ?? 0);
  return v & 0x800000 ? v - 0x1000000 : v;
};

/** Decoder for Ganglion notifications (one notification per `push`); see the file header. */
export class GanglionCodec implements Codec {
  readonly streams = ganglionStreams();
  private readonly exg = new BlockBuilder('exg', 4, GANGLION_SAMPLE_RATE_HZ);
  private readonly accel = new BlockBuilder('accel', 3, GANGLION_ACCEL_RATE_HZ);
  private counter: CounterUnwrapper;
  private statsValue: CodecStats = emptyStats();
  private last: number[] | undefined;
  private accelXyz = [0, 0, 0];
  private text = '';
  private messages: DeviceMessage[] = [];
  /** fw3: the last accepted packet's id mod 100, and a packet that jumped, held until confirmed. */
  private lastFw3Pos: number | undefined;
  private heldFw3: Uint8Array | undefined;

  constructor(private firmwareValue: GanglionFirmware = 2) {
    this.counter = new CounterUnwrapper(firmwareValue === 2 ? 101 : 100);
  }

  get firmware(): GanglionFirmware {
    return this.firmwareValue;
  }

  /** Switches the firmware generation (detected at connect from characteristic 2a28) and resets. */
  setFirmware(firmware: GanglionFirmware): void {
    this.firmwareValue = firmware;
    this.counter = new CounterUnwrapper(firmware === 2 ? 101 : 100);
    this.reset();
  }

  push(chunk: Uint8Array): SampleBlock[] {
    const out: SampleBlock[] = [];
    this.decode(chunk, out);
    this.exg.flush(out);
    this.accel.flush(out);
    this.statsValue.droppedSamples = this.exg.dropped;
    return out;
  }

  reset(): void {
    this.exg.reset();
    this.accel.reset();
    this.counter.reset();
    this.statsValue = emptyStats();
    this.last = undefined;
    this.accelXyz = [0, 0, 0];
    this.text = '';
    this.messages = [];
    this.lastFw3Pos = undefined;
    this.heldFw3 = undefined;
  }

  stats(): CodecStats {
    return { ...this.statsValue };
  }

  takeMessages(): DeviceMessage[] {
    const m = this.messages;
    this.messages = [];
    return m;
  }

  private decode(p: Uint8Array, out: SampleBlock[]): void {
    const id = p[0];
    if (id === undefined) {
      this.statsValue.malformed++;
      return;
    }
    if (id >= 201 && id <= 205) return this.impedance(p, id);
    if (id === 206 || id === 207) {
      this.text += String.fromCharCode(...p.subarray(1));
      if (id === 207) {
        this.messages.push({ kind: 'text', text: this.text });
        this.text = '';
      }
      this.statsValue.packets++;
      return;
    }
    if (id > 200 || (this.firmware === 3 && id > 199)) {
      this.statsValue.malformed++;
      return;
    }
    if (this.firmware === 2) this.decodeFw2(p, id, out);
    else this.decodeFw3(p, id, out);
  }

  private impedance(p: Uint8Array, id: number): void {
    let digits = '';
    let i = 1;
    for (; i < p.length && p[i] !== 0x5a; i++) digits += String.fromCharCode(p[i] ?? 0);
    if (i >= p.length || !/^\d+$/.test(digits)) {
      this.statsValue.malformed++;
      return;
    }
    this.statsValue.packets++;
    this.messages.push({ kind: 'impedance', channel: id === 205 ? 'ref' : id - 200, ohms: Number(digits) });
  }

  private decodeFw2(p: Uint8Array, id: number, out: SampleBlock[]): void {
    const bits = id >= 101 ? 19 : 18;
    if (p.length < (id === 0 ? 13 : bits === 18 ? 20 : 20)) {
      this.statsValue.malformed++;
      return;
    }
    const pos = id === 0 ? 0 : ((id - 1) % 100) + 1;
    const { index, gap } = this.counter.next(pos);
    this.statsValue.packets++;
    const cycle = Math.floor(index / 101);
    const base = cycle * 201 + (pos === 0 ? 0 : 2 * pos - 1);
    if (id === 0) {
      this.last = [int24be(p, 1), int24be(p, 4), int24be(p, 7), int24be(p, 10)];
      this.exg.add(
        base,
        this.last.map((c) => c * GANGLION_UV_PER_COUNT),
        out,
      );
      return;
    }
    if (gap > 0) this.last = undefined;
    if (bits === 18) this.accelByte(p, id, index, out);
    const last = this.last;
    if (!last) return;
    const d = decodeGanglionValues(p, bits, 2);
    const s1 = last.map((v, c) => v - (d[c] ?? 0));
    const s2 = s1.map((v, c) => v - (d[4 + c] ?? 0));
    this.last = s2;
    this.exg.add(
      base,
      s1.map((c) => c * GANGLION_UV_PER_COUNT),
      out,
    );
    this.exg.add(
      base + 1,
      s2.map((c) => c * GANGLION_UV_PER_COUNT),
      out,
    );
  }

  /**
   * fw3 ids are absolute mod 100, so one garbage notification could move the stream by up to 99 packets
   * (almost 1 s). A packet that jumps is held until the next one confirms it (the next id follows it); if the
   * next one follows the last accepted packet instead, the held one was garbage and is counted as malformed.
   * A real loss costs one packet of latency, never data.
   */
  private decodeFw3(p: Uint8Array, id: number, out: SampleBlock[]): void {
    if (p.length < 20) {
      this.statsValue.malformed++;
      return;
    }
    const pos = id % 100;
    const held = this.heldFw3;
    if (this.lastFw3Pos === undefined || pos === (this.lastFw3Pos + 1) % 100) {
      if (held) this.statsValue.malformed++;
      this.heldFw3 = undefined;
      this.acceptFw3(p, id, out);
    } else if (held && pos === (((held[0] ?? 0) % 100) + 1) % 100) {
      this.heldFw3 = undefined;
      this.acceptFw3(held, held[0] ?? 0, out);
      this.acceptFw3(p, id, out);
    } else {
      if (held) this.statsValue.malformed++;
      this.heldFw3 = p.slice(0, 20);
    }
  }

  private acceptFw3(p: Uint8Array, id: number, out: SampleBlock[]): void {
    const bits = id >= 100 ? 19 : 18;
    this.lastFw3Pos = id % 100;
    const { index } = this.counter.next(id % 100);
    this.statsValue.packets++;
    const v = decodeGanglionValues(p, bits, 3);
    this.exg.add(
      2 * index,
      v.slice(0, 4).map((c) => c * GANGLION_UV_PER_COUNT),
      out,
    );
    this.exg.add(
      2 * index + 1,
      v.slice(4).map((c) => c * GANGLION_UV_PER_COUNT),
      out,
    );
    if (bits === 18) this.accelByte(p, id, index, out);
  }

  private accelByte(p: Uint8Array, id: number, packetIndex: number, out: SampleBlock[]): void {
    const raw = p[19] ?? 0;
    const g = (raw >= 128 ? raw - 256 : raw) * GANGLION_ACCEL_G_PER_COUNT;
    const axis = id % 10;
    if (axis >= 1 && axis <= 3) this.accelXyz[axis - 1] = g;
    if (axis === 3) this.accel.add(Math.floor(packetIndex / 10), this.accelXyz, out);
  }
}

/** Encodes 8 values of W bits into a packet (for emulators and tests); values must already carry the sign rule. */
export function encodeGanglionPacket(
  id: number,
  fields: readonly number[],
  bits: 18 | 19,
  accelByte = 0,
): Uint8Array {
  const p = new Uint8Array(20);
  p[0] = id;
  const full = 2 ** bits;
  for (let k = 0; k < 8; k++) {
    const raw = (((fields[k] ?? 0) % full) + full) % full;
    for (let b = 0; b < bits; b++) {
      const bit = Math.floor(raw / 2 ** (bits - 1 - b)) & 1;
      const pos = 8 + k * bits + b;
      p[pos >> 3] = (p[pos >> 3] ?? 0) | (bit << (7 - (pos & 7)));
    }
  }
  if (bits === 18) p[19] = accelByte & 0xff;
  return p;
}

/** Firmware-2 delta field for a delta `d`: low W bits with the sign stored in bit 0 (the official encoder). */
export const ganglionFw2Field = (d: number, bits: 18 | 19): number => {
  const full = 2 ** bits;
  const low = ((d % full) + full) % full;
  return d < 0 ? low | 1 : low & ~1;
};

/** Firmware-3 field for a 24-bit sample: arithmetic shift, LSB replaced by the sign (the fw 3 encoder). */
export const ganglionFw3Field = (sample: number, bits: 18 | 19): number => {
  const shifted = Math.floor(sample / 2 ** (24 - bits));
  const full = 2 ** bits;
  const low = ((shifted % full) + full) % full;
  return sample < 0 ? low | 1 : low & ~1;
};
