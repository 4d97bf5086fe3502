import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChunkData,
  decodeTimestamps,
  encodeChunkData,
  encodeTimestamps,
  timestampsAreIrregular,
} from '../../../src/storage/chunk-codec.js';

describe('sample chunk codec', () => {
  it('round-trips any slice of any channels bit for bit, channel-major', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        (channels, length, a, b) => {
          const data = Array.from({ length: channels }, (_, c) =>
            Float32Array.from({ length }, (_, i) => Math.fround(Math.sin(c * 1000 + i) * 1e3)),
          );
          const start = a % length;
          const count = 1 + (b % (length - start));
          const bytes = encodeChunkData(data, start, count);
          expect(bytes.byteLength).toBe(4 * channels * count);
          const view = new Float32Array(bytes.buffer, bytes.byteOffset, channels * count);
          expect(view[count]).toBe(channels > 1 ? data[1]?.[start] : undefined);
          const back = decodeChunkData(bytes, channels, count, 'test');
          back.forEach((ch, c) => expect(ch).toEqual(data[c]?.subarray(start, start + count)));
        },
      ),
    );
  });

  it('decodes a blob that is not 4-byte aligned in its buffer', () => {
    const bytes = encodeChunkData([new Float32Array([1.5, -2.25]), new Float32Array([3, 4])], 0, 2);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    expect(decodeChunkData(shifted.subarray(1), 2, 2, 'test')).toEqual([
      new Float32Array([1.5, -2.25]),
      new Float32Array([3, 4]),
    ]);
  });

  it('refuses a blob whose size does not match, naming where', () => {
    const bytes = encodeChunkData([new Float32Array(10)], 0, 10);
    expect(() =>
      decodeChunkData(bytes.subarray(0, 39), 1, 10, 'session 3, stream emg, chunk at seq 0'),
    ).toThrow('session 3, stream emg, chunk at seq 0: sample blob has 39 bytes, expected 40');
    expect(() => decodeTimestamps(new Uint8Array(12), 2, 'here')).toThrow(
      'here: timestamp blob has 12 bytes',
    );
  });

  it('stores times only when they leave the nominal grid', () => {
    const regular = Float64Array.from({ length: 100 }, (_, i) => 1.7e12 + i * 0.5);
    expect(timestampsAreIrregular(regular, 0, 100, 2000)).toBe(false);
    expect(timestampsAreIrregular(regular, 0, 100, 1000)).toBe(true);
    const jittered = regular.slice();
    jittered[50] = (jittered[50] ?? 0) + 0.01;
    expect(timestampsAreIrregular(jittered, 0, 100, 2000)).toBe(true);
    expect(timestampsAreIrregular(jittered, 51, 49, 2000)).toBe(false);
    expect(decodeTimestamps(encodeTimestamps(jittered, 40, 20), 20, 'x')).toEqual(jittered.subarray(40, 60));
  });
});
