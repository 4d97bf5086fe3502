import { StreamClocks } from '../../src/devices/clock.js';
import { BitalinoCodec, encodeBitalinoFrame } from '../../src/devices/codecs/bitalino.js';
import type { Codec } from '../../src/devices/codecs/codec.js';
import { CytonCodec, encodeCytonPacket } from '../../src/devices/codecs/cyton.js';
import {
  encodeGanglionPacket,
  GanglionCodec,
  ganglionFw2Field,
  ganglionFw3Field,
} from '../../src/devices/codecs/ganglion.js';
import { LineProtocolCodec } from '../../src/devices/codecs/line-protocol.js';
import { MetawearCodec } from '../../src/devices/codecs/metawear.js';
import { MYO_EMG_CHARS, MYO_IMU_CHAR, MyoCodec } from '../../src/devices/codecs/myo.js';
import { MyowarePeripheralCodec, myowareUartProfile } from '../../src/devices/codecs/myoware.js';
import type { Bench, BenchResult } from './harness.js';
import { timeIt } from './harness.js';

/** Seconds of device output decoded per pass. */
const SECONDS = 20;

interface Workload {
  name: string;
  /** Packets (frames, lines, notifications) the real device sends per second. */
  realPacketsPerSecond: number;
  /** Chunks as the transport delivers them (serial: runs of bytes; BLE: one notification each). */
  chunks: { bytes: Uint8Array; source?: string }[];
  packets: number;
  make: () => Codec;
}

const sine = (n: number, period: number, amp: number): number =>
  Math.round(amp * Math.sin((2 * Math.PI * n) / period));

/** Cuts a byte stream into serial-sized reads (an FTDI delivers up to ~62 bytes per USB frame, in bursts). */
function serialChunks(parts: Uint8Array[], chunkBytes: number): { bytes: Uint8Array }[] {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const out: { bytes: Uint8Array }[] = [];
  for (let i = 0; i < all.length; i += chunkBytes) out.push({ bytes: all.subarray(i, i + chunkBytes) });
  return out;
}

function workloads(): Workload[] {
  const cytonPackets = 250 * SECONDS;
  const cyton = Array.from({ length: cytonPackets }, (_, n) =>
    encodeCytonPacket(
      n,
      [0, 1, 2, 3, 4, 5, 6, 7].map((c) => sine(n, 25 + c, 100000)),
      n % 10 ? [0, 0, 0] : [100, -50, 8000],
    ),
  );
  const bitFrames = 1000 * SECONDS;
  const bitalino = Array.from({ length: bitFrames }, (_, n) =>
    encodeBitalinoFrame(
      n & 15,
      [0, 1, 2, 3, 4, 5].map((k) => (512 + sine(n, 50 + k, 400)) >> (k >= 4 ? 4 : 0)),
    ),
  );
  const lines = 500 * SECONDS;
  const text = new TextEncoder().encode(
    Array.from({ length: lines }, (_, n) => `${300 + sine(n, 100, 200)},${2048 + sine(n, 7, 1500)}\r\n`).join(
      '',
    ),
  );
  const ganglionNotes = 100 * SECONDS;
  const ganglion3 = Array.from({ length: ganglionNotes }, (_, k) => ({
    bytes: encodeGanglionPacket(
      k % 100,
      Array.from({ length: 8 }, (_, i) => ganglionFw3Field(sine(2 * k + (i >> 2), 40, 500000), 18)),
      18,
      k & 0x3f,
    ),
  }));
  const ganglion2 = Array.from({ length: ganglionNotes }, (_, k) => {
    const pos = k % 101;
    if (pos === 0) return { bytes: new Uint8Array(20) };
    return {
      bytes: encodeGanglionPacket(
        pos,
        Array.from({ length: 8 }, (_, i) => ganglionFw2Field(sine(k + i, 30, 3000), 18)),
        18,
        3,
      ),
    };
  });
  const myo = Array.from({ length: 150 * SECONDS }, (_, k) =>
    k % 3 === 2
      ? { bytes: new Uint8Array(20).fill(k & 0xff), source: MYO_IMU_CHAR }
      : { bytes: new Uint8Array(16).fill(k & 0x7f), source: MYO_EMG_CHARS[k % 4] ?? '' },
  );
  const myoware = Array.from({ length: 100 * SECONDS }, (_, k) => ({
    bytes: new TextEncoder().encode(`${1000 + sine(k, 50, 900)}.00`),
  }));
  const metawear = Array.from({ length: 100 * SECONDS }, (_, k) => {
    const b = new Uint8Array(8);
    b.set([0x03, 0x04]);
    const v = new DataView(b.buffer);
    v.setInt16(2, sine(k, 20, 8000), true);
    v.setInt16(4, sine(k, 30, 8000), true);
    v.setInt16(6, 8192, true);
    return { bytes: b };
  });
  return [
    {
      name: 'OpenBCI Cyton (33-byte packets, 62-byte reads)',
      realPacketsPerSecond: 250,
      chunks: serialChunks(cyton, 62),
      packets: cytonPackets,
      make: () => new CytonCodec(),
    },
    {
      name: 'BITalino 6 ch @ 1000 Hz (8-byte frames, CRC4)',
      realPacketsPerSecond: 1000,
      chunks: serialChunks(bitalino, 62),
      packets: bitFrames,
      make: () =>
        new BitalinoCodec({
          channels: [1, 2, 3, 4, 5, 6].map((input) => ({ input, kind: 'emg' as const })),
          sampleRateHz: 1000,
        }),
    },
    {
      name: 'line protocol (MyoWare UART profile) @ 500 lines/s',
      realPacketsPerSecond: 500,
      chunks: serialChunks([text], 62),
      packets: lines,
      make: () => new LineProtocolCodec(myowareUartProfile(500)),
    },
    {
      name: 'Ganglion fw 3 (18-bit notifications)',
      realPacketsPerSecond: 100,
      chunks: ganglion3,
      packets: ganglionNotes,
      make: () => new GanglionCodec(3),
    },
    {
      name: 'Ganglion fw 2 (seed + 18-bit deltas)',
      realPacketsPerSecond: 100,
      chunks: ganglion2,
      packets: ganglionNotes,
      make: () => new GanglionCodec(2),
    },
    {
      name: 'Myo (4 EMG characteristics + IMU)',
      realPacketsPerSecond: 150,
      chunks: myo,
      packets: myo.length,
      make: () => new MyoCodec(),
    },
    {
      name: 'MyoWare BLE text notifications',
      realPacketsPerSecond: 100,
      chunks: myoware,
      packets: myoware.length,
      make: () => new MyowarePeripheralCodec(100),
    },
    {
      name: 'MetaWear accelerometer notifications',
      realPacketsPerSecond: 100,
      chunks: metawear,
      packets: metawear.length,
      make: () => new MetawearCodec(),
    },
  ];
}

export const bench: Bench = {
  name: 'codec decode throughput (packets/s vs the device real packet rate)',
  async run() {
    const results: BenchResult[] = [];
    for (const w of workloads()) {
      let decoded = 0;
      const t = timeIt(() => {
        const codec = w.make();
        decoded = 0;
        for (const c of w.chunks)
          for (const b of codec.push(c.bytes, c.source)) decoded += b.timestampsMs.length;
      }, 400);
      if (decoded === 0) throw new Error(`${w.name}: nothing decoded`);
      results.push({
        name: w.name,
        throughput: t.perSecond * w.packets,
        unit: ' packets/s',
        baselineName: 'real time',
        baselineThroughput: w.realPacketsPerSecond,
        note: `${SECONDS} s of device output, ${t.calls} passes`,
      });
    }
    const cyton = workloads()[0];
    if (cyton) {
      const t = timeIt(() => {
        const codec = cyton.make();
        const clocks = new StreamClocks(codec.streams);
        let at = 1.7e12;
        for (const c of cyton.chunks) {
          at += 8;
          clocks.stampAll(codec.push(c.bytes), at);
        }
      }, 400);
      results.push({
        name: 'OpenBCI Cyton codec + fitted clock stamping',
        throughput: t.perSecond * cyton.packets,
        unit: ' packets/s',
        baselineName: 'real time',
        baselineThroughput: cyton.realPacketsPerSecond,
      });
    }
    return results;
  },
};
