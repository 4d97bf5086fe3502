import { describe, expect, it } from 'vitest';
import {
  bitalinoCrc4,
  BitalinoCodec,
  bitalinoFrameBytes,
  bitalinoRateCommand,
  bitalinoStartCommand,
  decodeBitalinoFrame,
  encodeBitalinoFrame,
  isBitalinoFrameValid,
} from '../../../../src/devices/codecs/bitalino.js';
import { concatBytes, rows, streamCodecContract } from './codec-harness.js';

const hex = (s: string): Uint8Array => Uint8Array.from(s.split(/\s+/).map((x) => parseInt(x, 16)));

const frames = (count: number, n = 2, from = 0): Uint8Array[] =>
  Array.from({ length: count }, (_, i) =>
    encodeBitalinoFrame(
      (from + i) & 15,
      Array.from({ length: n }, (_, k) => ((i + from) * 37 + k * 101) % (k < 4 ? 1024 : 64)),
    ),
  );

describe('BITalino codec', () => {
  it('has the frame lengths of §4.3 and the command bytes of §4.2', () => {
    expect([1, 2, 3, 4, 5, 6].map(bitalinoFrameBytes)).toEqual([3, 4, 6, 7, 8, 8]);
    expect([1, 10, 100, 1000].map((r) => bitalinoRateCommand(r as 1))).toEqual([0x03, 0x43, 0x83, 0xc3]);
    expect(bitalinoStartCommand([1, 2, 3, 4, 5, 6])).toBe(0xfd);
    expect(bitalinoStartCommand([1, 2])).toBe(0x0d);
  });

  it('decodes the §4.5 golden frames and checks their CRC', () => {
    const a = hex('00 62 09 57');
    expect(isBitalinoFrameValid(a)).toBe(true);
    expect(decodeBitalinoFrame(a, 2)).toEqual({ seq: 5, digital: [0, 0, 0, 0], analog: [600, 512] });
    const b = hex('3f ca 12 80 00 fc af 94');
    expect(isBitalinoFrameValid(b)).toBe(true);
    expect(decodeBitalinoFrame(b, 6)).toEqual({
      seq: 9,
      digital: [1, 0, 1, 0],
      analog: [1023, 0, 512, 300, 40, 63],
    });
    const flipped = Uint8Array.from(a);
    flipped[0] = (flipped[0] ?? 0) ^ 0x10;
    expect(isBitalinoFrameValid(flipped)).toBe(false);
    expect(encodeBitalinoFrame(5, [600, 512])).toEqual(a);
    expect(encodeBitalinoFrame(9, [1023, 0, 512, 300, 40, 63], [1, 0, 1, 0])).toEqual(b);
    expect(bitalinoCrc4(b)).toBe(4);
  });

  it('converts EMG to mV and ACC to g', () => {
    const c = new BitalinoCodec({
      channels: [
        { input: 1, kind: 'emg' },
        { input: 2, kind: 'acc' },
      ],
      sampleRateHz: 1000,
    });
    const r = rows(
      c.push(concatBytes([encodeBitalinoFrame(5, [600, 260]), encodeBitalinoFrame(6, [512, 312])])),
    );
    expect(r.analog?.[0]?.values[0]).toBeCloseTo(0.2811, 4);
    expect(r.analog?.[0]?.values[1]).toBeCloseTo(0, 6);
    expect(r.analog?.[1]?.values[0]).toBeCloseTo(0, 6);
    expect(r.analog?.[1]?.values[1]).toBeCloseTo(1, 6);
    expect(c.streams[0]?.channels.map((ch) => ch.unit)).toEqual(['mV', 'g']);
  });

  it('counts sequence gaps (4-bit, wrapping) as dropped samples', () => {
    const all = frames(40);
    const kept = [...all.slice(0, 10), ...all.slice(13, 30), ...all.slice(31)];
    const c = new BitalinoCodec({
      channels: [
        { input: 1, kind: 'emg' },
        { input: 2, kind: 'raw' },
      ],
      sampleRateHz: 1000,
    });
    const r = rows(c.push(concatBytes(kept)));
    expect(r.analog).toHaveLength(36);
    expect(c.stats().droppedSamples).toBe(4);
    expect(r.analog?.at(-1)?.seq).toBe(39);
  });

  it('resyncs after garbage within two frames and counts it', () => {
    const f = frames(12, 6);
    const garbage = Uint8Array.from([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]);
    const c = new BitalinoCodec({
      channels: [1, 2, 3, 4, 5, 6].map((input) => ({ input, kind: 'raw' as const })),
      sampleRateHz: 100,
    });
    const r = rows(
      c.push(concatBytes([...f.slice(0, 4), garbage, ...f.slice(4, 8), garbage, ...f.slice(8)])),
    );
    expect(r.analog?.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(r.analog?.[0]?.values).toEqual(decodeBitalinoFrame(f[0]!, 6).analog);
    expect(c.stats()).toMatchObject({ resyncs: 2, garbageBytes: 14, droppedSamples: 0 });
  });

  it('rejects an invalid channel selection with a clear error', () => {
    expect(() => new BitalinoCodec({ channels: [{ input: 7, kind: 'emg' }], sampleRateHz: 100 })).toThrow(
      /1\.\.6/,
    );
  });

  for (const n of [1, 3, 5, 6]) {
    describe(`chunk boundaries and fuzzing, ${n} channels`, () => {
      streamCodecContract(
        () =>
          new BitalinoCodec({
            channels: Array.from({ length: n }, (_, i) => ({ input: i + 1, kind: 'raw' as const })),
            sampleRateHz: 1000,
          }),
        () => concatBytes([...frames(20, n), Uint8Array.from([9, 8, 7]), ...frames(20, n, 20)]),
      );
    });
  }
});
