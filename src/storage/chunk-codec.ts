/**
 * Sample chunk codec: how one chunk of a stream is stored in `sample_chunks` (migration 0002).
 *
 * Byte layout of `data` (Tonus's own format, no external document): `channelCount * sampleCount` IEEE 754
 * float32 values, little-endian, channel-major: all samples of channel 0, then all of channel 1, …, so
 * byte offset of (channel c, sample i) is `4 * (c * sampleCount + i)`. Values are in the channel
 * descriptor's unit.
 *
 * Byte layout of `timestamps` (present only when the sample times are irregular): `sampleCount` IEEE 754
 * float64 values, little-endian, ms since the Unix epoch. When absent, sample i of the chunk is at
 * `firstTimeMs + i * 1000 / sampleRateHz`.
 */

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function requireLittleEndian(): void {
  if (!littleEndian) throw new Error('Tonus sample chunks need a little-endian machine.');
}

/** Sample times closer than this to the nominal grid (ms) count as regular. */
export const TIMESTAMP_TOLERANCE_MS = 1e-3;

/**
 * Encodes samples `[start, start + count)` of every channel into one channel-major float32 blob.
 * Guarantees `result.byteLength === 4 * data.length * count`.
 */
export function encodeChunkData(data: readonly Float32Array[], start: number, count: number): Uint8Array {
  requireLittleEndian();
  const out = new Float32Array(data.length * count);
  data.forEach((channel, c) => {
    if (start + count > channel.length)
      throw new RangeError(`Channel ${c} has ${channel.length} samples, fewer than ${start + count}.`);
    out.set(channel.subarray(start, start + count), c * count);
  });
  return new Uint8Array(out.buffer);
}

/**
 * Decodes a blob made by {@link encodeChunkData} into `out[c]` at `offset` for every channel c.
 * Throws a RangeError naming `where` when the blob's size does not match `channelCount * sampleCount`.
 */
export function decodeChunkDataInto(
  bytes: Uint8Array,
  channelCount: number,
  sampleCount: number,
  out: readonly Float32Array[],
  offset: number,
  where: string,
): void {
  requireLittleEndian();
  const expected = 4 * channelCount * sampleCount;
  if (bytes.byteLength !== expected) {
    throw new RangeError(
      `${where}: sample blob has ${bytes.byteLength} bytes, expected ${expected} (${channelCount} channels x ${sampleCount} samples x 4).`,
    );
  }
  if (out.length !== channelCount)
    throw new RangeError(`${where}: ${channelCount} channels stored, ${out.length} expected.`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const values = new Float32Array(aligned.buffer, aligned.byteOffset, channelCount * sampleCount);
  out.forEach((channel, c) => {
    if (offset + sampleCount > channel.length)
      throw new RangeError(`${where}: chunk ends at sample ${offset + sampleCount}, past ${channel.length}.`);
    channel.set(values.subarray(c * sampleCount, (c + 1) * sampleCount), offset);
  });
}

/** Decodes a blob made by {@link encodeChunkData} into fresh channel arrays. */
export function decodeChunkData(
  bytes: Uint8Array,
  channelCount: number,
  sampleCount: number,
  where: string,
): Float32Array[] {
  const out = Array.from({ length: channelCount }, () => new Float32Array(sampleCount));
  decodeChunkDataInto(bytes, channelCount, sampleCount, out, 0, where);
  return out;
}

/**
 * Whether `timestampsMs[start, start + count)` departs from the grid `timestampsMs[start] + i * 1000 /
 * sampleRateHz` by more than {@link TIMESTAMP_TOLERANCE_MS}; only then must the chunk store its times.
 */
export function timestampsAreIrregular(
  timestampsMs: Float64Array,
  start: number,
  count: number,
  sampleRateHz: number,
): boolean {
  const first = timestampsMs[start] ?? 0;
  const periodMs = 1000 / sampleRateHz;
  for (let i = 1; i < count; i++) {
    if (Math.abs((timestampsMs[start + i] ?? 0) - (first + i * periodMs)) > TIMESTAMP_TOLERANCE_MS)
      return true;
  }
  return false;
}

/** Encodes sample times `[start, start + count)` as little-endian float64 ms. */
export function encodeTimestamps(timestampsMs: Float64Array, start: number, count: number): Uint8Array {
  requireLittleEndian();
  const out = timestampsMs.slice(start, start + count);
  return new Uint8Array(out.buffer);
}

/** Decodes a blob made by {@link encodeTimestamps}; throws naming `where` when its size is not `8 * count`. */
export function decodeTimestamps(bytes: Uint8Array, count: number, where: string): Float64Array {
  requireLittleEndian();
  if (bytes.byteLength !== 8 * count)
    throw new RangeError(`${where}: timestamp blob has ${bytes.byteLength} bytes, expected ${8 * count}.`);
  const copy = new Uint8Array(bytes);
  return new Float64Array(copy.buffer, 0, count);
}
