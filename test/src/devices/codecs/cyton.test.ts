import { describe, expect, it } from 'vitest';
import {
  CytonCodec,
  cytonUvPerCount,
  encodeCytonPacket,
  int24be,
} from '../../../../src/devices/codecs/cyton.js';
import { concatBytes, rows, streamCodecContract } from './codec-harness.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .split(/\s+/)
      .filter((x) => x && x !== '|')
      .map((x) => parseInt(x, 16)),
  );

/** §1.7 worked example. */
const GOLDEN = hex(
  'a0 2a | 00 06 90 | ff ff ff | 81 a1 01 | 7f ff ff | 80 00 00 | 00 00 00 | 00 10 00 | ff f0 00 | 04 00 ff 00 1f 40 | c0',
);

const packets = (from: number, count: number, stop = 0xc0): Uint8Array[] =>
  Array.from({ length: count }, (_, i) =>
    encodeCytonPacket(
      (from + i) & 0xff,
      Array.from({ length: 8 }, (_, c) => (i * 1000 + c * 37) * (c % 2 ? -1 : 1)),
      i % 10 === 0 ? [i, -i, 2000] : [0, 0, 0],
      stop,
    ),
  );

describe('Cyton codec', () => {
  it('decodes the int24 test vectors of §1.2', () => {
    expect(int24be(hex('00 06 90'), 0)).toBe(1680);
    expect(int24be(hex('02 c0 01'), 0)).toBe(180225);
    expect(int24be(hex('ff ff ff'), 0)).toBe(-1);
    expect(int24be(hex('81 a1 01'), 0)).toBe(-8281855);
  });

  it('decodes the §1.7 worked example to µV at gain 24 and accelerometer g', () => {
    const c = new CytonCodec();
    const r = rows(c.push(concatBytes([GOLDEN, Uint8Array.of(0xa0)])));
    const expectedUv = [37.5509, -0.0224, -185113.9066, 187500.0, -187500.0224, 0, 91.5527, -91.5527];
    const exg = r.exg?.[0]?.values ?? [];
    expectedUv.forEach((uv, i) => expect(exg[i]).toBeCloseTo(uv, uv > 1e5 || uv < -1e5 ? 0 : 3));
    expect(cytonUvPerCount(24)).toBeCloseTo(0.0223517, 6);
    const acc = r.accel?.[0]?.values ?? [];
    expect(acc[0]).toBeCloseTo(0.128, 6);
    expect(acc[1]).toBeCloseTo(-0.032, 6);
    expect(acc[2]).toBeCloseTo(1.0, 6);
    expect(c.stats()).toMatchObject({ packets: 1, garbageBytes: 0, droppedSamples: 0 });
  });

  it('accepts every stop byte C0–C6 and rejects C7', () => {
    for (let stop = 0xc0; stop <= 0xc6; stop++) {
      const c = new CytonCodec();
      expect(rows(c.push(concatBytes(packets(0, 2, stop)))).exg).toHaveLength(2);
    }
    const c = new CytonCodec();
    expect(c.push(concatBytes(packets(0, 2, 0xc7)))).toEqual([]);
    expect(c.stats().garbageBytes).toBe(66);
  });

  it('counts sample-number gaps across the 255 → 0 wrap as dropped samples', () => {
    const all = packets(250, 12);
    const kept = [...all.slice(0, 4), ...all.slice(7)];
    const c = new CytonCodec();
    const r = rows(c.push(concatBytes(kept)));
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2, 3, 7, 8, 9, 10, 11]);
    expect(c.stats().droppedSamples).toBe(3);
  });

  it('resyncs after garbage within the next intact packet and counts it', () => {
    const p = packets(0, 6);
    const garbage = Uint8Array.from([0xa0, 0x01, 0xc0, 0x55, 0xa0, ...new Array(40).fill(0xc3)]);
    const c = new CytonCodec();
    const r = rows(c.push(concatBytes([p[0]!, p[1]!, garbage, p[2]!, p[3]!, garbage, p[4]!, p[5]!])));
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(c.stats()).toMatchObject({ resyncs: 2, garbageBytes: 2 * garbage.length, droppedSamples: 0 });
  });

  it('pairs Daisy packets (odd = channels 1–8, even = 9–16) into 16-channel samples at 125 Hz', () => {
    const c = new CytonCodec({ isDaisy: true });
    expect(c.streams[0]).toMatchObject({ sampleRateHz: 125 });
    const r = rows(c.push(concatBytes(packets(0, 9))));
    // Packet 0 (even, no main half before it) is dropped; pairs (1,2) (3,4) (5,6) (7,8).
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2, 3]);
    const first = r.exg?.[0]?.values ?? [];
    expect(first).toHaveLength(16);
    expect(first[0]).toBeCloseTo(1000 * cytonUvPerCount(24), 3);
    expect(first[8]).toBeCloseTo(2000 * cytonUvPerCount(24), 3);
  });

  it('applies per-channel gains', () => {
    const c = new CytonCodec({ gains: [1, 24, 24, 24, 24, 24, 24, 24] });
    const r = rows(c.push(concatBytes([GOLDEN, Uint8Array.of(0xa0)])));
    expect(r.exg?.[0]?.values[0]).toBeCloseTo(1680 * 0.53644, 2);
  });

  describe('chunk boundaries and fuzzing', () => {
    streamCodecContract(
      () => new CytonCodec(),
      () => concatBytes([...packets(0, 5), Uint8Array.from([1, 2, 0xa0, 3]), ...packets(5, 5)]),
    );
  });
});
