import { describe, expect, it } from 'vitest';
import {
  decodeGanglionValues,
  encodeGanglionPacket,
  GanglionCodec,
  ganglionFw2Field,
  ganglionFw3Field,
  GANGLION_UV_PER_COUNT,
} from '../../../../src/devices/codecs/ganglion.js';
import { messageCodecContract, rows } from './codec-harness.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .split(/\s+/)
      .filter((x) => x && x !== '|')
      .map((x) => parseInt(x, 16)),
  );
const counts = (uv: number[] | undefined): number[] =>
  (uv ?? []).map((v) => Math.round(v / GANGLION_UV_PER_COUNT));

const V18A = hex('01 00 00 00 00 20 00 28 00 04 80 00 bc 00 07 00 28 c0 0a 0e');
const V18B = hex('01 ff ff 7f ff bf ff e7 ff f5 00 01 4f 8e 30 00 1f f0 01 00');
const V19A = hex('65 00 00 00 00 08 00 05 00 00 48 00 09 f0 01 b0 00 30 00 08');
const V19B = hex('65 ff ff bf ff ef ff fc ff ff 58 00 0b 3e 38 e0 00 3f f0 01');
const SEED = hex('00 | 00 06 90 | ff ff ff | 00 00 00 | 00 10 00 00 00 00 00 00 00 00 00');

describe('Ganglion codec', () => {
  it('decodes the §2.8 source vectors with the official (LSB sign) rule', () => {
    expect(decodeGanglionValues(V18A, 18, 2)).toEqual([0, 2, 10, 4, 131074, 245760, 114698, 49162]);
    expect(decodeGanglionValues(V18B, 18, 2)).toEqual([-3, -5, -7, -11, -262139, -198429, -262137, -4095]);
    expect(decodeGanglionValues(V19A, 19, 2)).toEqual([0, 2, 10, 4, 262148, 507910, 393222, 8]);
    expect(decodeGanglionValues(V19B, 19, 2)).toEqual([-3, -5, -7, -11, -262139, -198429, -262137, -4095]);
  });

  it('reconstructs the chained firmware-2 example (seed, then deltas) in µV', () => {
    const c = new GanglionCodec(2);
    const r = rows([...c.push(SEED), ...c.push(V18B)]);
    expect(r.exg?.map((x) => counts(x.values))).toEqual([
      [1680, -1, 0, 4096],
      [1683, 4, 7, 4107],
      [263822, 198433, 262144, 8202],
    ]);
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2]);
  });

  it('reads the accelerometer byte by id % 10 at 0.016 g/count', () => {
    const c = new GanglionCodec(2);
    c.push(SEED);
    const out = [1, 2, 3].flatMap((id) => c.push(encodeGanglionPacket(id, [], 18, [14, -2, 63][id - 1])));
    const acc = rows(out).accel?.[0]?.values ?? [];
    expect(acc[0]).toBeCloseTo(0.224, 6);
    expect(acc[1]).toBeCloseTo(-0.032, 6);
    expect(acc[2]).toBeCloseTo(1.008, 6);
  });

  it('decodes firmware 3 absolute samples (the §2.8 −1000000 example) and its encoder round-trips', () => {
    expect(ganglionFw3Field(-1000000, 18)).toBe(0x3c2f7);
    const p = encodeGanglionPacket(5, [0x3c2f7, 0, 0, 0, ganglionFw3Field(64 * 1000, 18), 0, 0, 0], 18);
    expect(decodeGanglionValues(p, 18, 3).slice(0, 5)).toEqual([-1000000, 0, 0, 0, 64000]);
    const c = new GanglionCodec(3);
    const r = rows([...c.push(p), ...c.push(encodeGanglionPacket(106, [ganglionFw3Field(-3232, 19)], 19))]);
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2, 3]);
    expect(counts(r.exg?.[2]?.values)[0]).toBe(-3232);
  });

  it('decodes impedance and multi-part ASCII messages (§2.6 source vectors)', () => {
    const c = new GanglionCodec(2);
    c.push(hex('ca 31 32 30 37 5a'));
    c.push(hex('ce 61 63 63 65 6c 65 72 6f 6d 65 74 65 72 20 65 6e 61 62 6c'));
    c.push(hex('cf 65 64 0a'));
    expect(c.takeMessages()).toEqual([
      { kind: 'impedance', channel: 2, ohms: 1207 },
      { kind: 'text', text: 'accelerometer enabled\n' },
    ]);
    expect(c.takeMessages()).toEqual([]);
  });

  it('counts lost packets, and after a firmware-2 gap waits for the next seed rather than guessing', () => {
    const c = new GanglionCodec(2);
    const out = [
      ...c.push(SEED),
      ...c.push(encodeGanglionPacket(1, [ganglionFw2Field(-2, 18)], 18)),
      ...c.push(encodeGanglionPacket(3, [ganglionFw2Field(-2, 18)], 18)),
      ...c.push(encodeGanglionPacket(4, [], 18)),
      ...c.push(SEED),
    ];
    const r = rows(out);
    // seed 0 → samples 0; id 1 → 1,2; ids 2..100 lost/discarded; next cycle seed → 201.
    expect(r.exg?.map((x) => x.seq)).toEqual([0, 1, 2, 201]);
    expect(c.stats().droppedSamples).toBe(198);
    const fw3 = new GanglionCodec(3);
    fw3.push(encodeGanglionPacket(98, [], 18));
    fw3.push(encodeGanglionPacket(1, [], 18));
    fw3.push(encodeGanglionPacket(2, [], 18));
    expect(fw3.stats().droppedSamples).toBe(4);
  });

  it('firmware 3: a garbage notification whose id jumps does not move time; a real loss is kept once confirmed', () => {
    const c = new GanglionCodec(3);
    const seqs: number[] = [];
    const push = (id: number): void => {
      for (const b of c
        .push(encodeGanglionPacket(id, [1, 2, 3, 4, 5, 6, 7, 8], 18))
        .filter((x) => x.streamId === 'exg'))
        for (let i = 0; i < b.timestampsMs.length; i++) seqs.push(b.firstSeq + i);
    };
    // Packets 10, 11, a garbage packet claiming id 60 (would jump 48 packets, 0.48 s), then 12, 13.
    [10, 11, 60, 12, 13].forEach(push);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(c.stats().malformed).toBe(1);
    expect(c.stats().droppedSamples).toBe(0);
    // A real loss of ids 14..19: 20 jumps, 21 confirms it; both are decoded in order, the gap counted.
    [20, 21].forEach(push);
    expect(seqs.slice(8)).toEqual([20, 21, 22, 23]);
    expect(c.stats().droppedSamples).toBe(12);
    expect(c.stats().malformed).toBe(1);
  });

  it('skips a garbage notification between packets and decodes the next one', () => {
    const c = new GanglionCodec(2);
    c.push(SEED);
    c.push(hex('d5 01 02'));
    c.push(hex('ca 31 32'));
    expect(rows(c.push(V18B)).exg).toHaveLength(2);
    expect(c.stats().malformed).toBe(2);
  });

  describe('fuzzing, firmware 2', () => messageCodecContract(() => new GanglionCodec(2), [undefined]));
  describe('fuzzing, firmware 3', () => messageCodecContract(() => new GanglionCodec(3), [undefined]));
});
