import { describe, expect, it } from 'vitest';
import { chunkDigest } from '../../../src/storage/chunk-digest.node.js';
import { encodeChunkData } from '../../../src/storage/chunk-codec.js';
import { chunkDamage } from '../../../src/storage/sync-chunks-pull.node.js';

const data = Buffer.from(encodeChunkData([Float32Array.of(1, 2, 3), Float32Array.of(4, 5, 6)], 0, 3));
const times = Buffer.from(new Float64Array([0, 4, 8]).buffer);
const chunk = (over: Partial<Parameters<typeof chunkDamage>[0]> = {}) => ({
  stream_id: 'exg',
  first_seq: 250,
  sample_count: 3,
  channel_count: 2,
  first_time_ms: 0,
  last_time_ms: 8,
  data,
  timestamps: times,
  digest: chunkDigest(data, times),
  ...over,
});

describe('checking a pulled sample chunk', () => {
  it('accepts an intact chunk, with or without the digest of chunks sent before it existed', () => {
    expect(chunkDamage(chunk())).toBeUndefined();
    expect(chunkDamage(chunk({ digest: null }))).toBeUndefined();
    expect(chunkDamage(chunk({ timestamps: null, digest: chunkDigest(data, null) }))).toBeUndefined();
  });

  it('names the piece and what is wrong: sizes, then content against the digest', () => {
    expect(chunkDamage(chunk({ data: data.subarray(4), digest: null }))).toBe(
      'stream exg from sample 250: 20 bytes of samples, expected 24',
    );
    expect(chunkDamage(chunk({ timestamps: times.subarray(8) }))).toBe(
      'stream exg from sample 250: 16 bytes of sample times, expected 24',
    );
    const flipped = Buffer.from(times);
    flipped[3] = flipped[3]! ^ 1;
    expect(chunkDamage(chunk({ timestamps: flipped }))).toBe(
      'stream exg from sample 250: its content differs from what the recording workstation sent (checksum)',
    );
  });
});
