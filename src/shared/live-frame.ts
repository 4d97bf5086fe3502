import { z } from 'zod';

const float32Array = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');

/**
 * Live display frames: what the acquisition side sends the UI about 30 times a second.
 * Samples never travel one by one: each stream is reduced to per-pixel columns (min and max of the
 * samples that fall into one pixel), so the payload size depends on the chart width, not the sample rate.
 */
export const LiveStreamFrameSchema = z.object({
  deviceId: z.string(),
  streamId: z.string(),
  /** Column index (since the stream started) of the first column in this frame. */
  firstColumn: z.number().int().nonnegative(),
  /** Number of new columns per channel in this frame. */
  columns: z.number().int().nonnegative(),
  channelCount: z.number().int().nonnegative(),
  samplesPerColumn: z.number().positive(),
  /** Host time of the last sample folded into this frame, ms since the Unix epoch. */
  lastSampleTimeMs: z.number(),
  /** Channel-major minima: `min[channel * columns + column]`, in the channel's unit. */
  min: float32Array,
  /** Channel-major maxima, same layout as `min`. */
  max: float32Array,
});
export type LiveStreamFrame = z.infer<typeof LiveStreamFrameSchema>;

export const LiveFrameSchema = z.object({
  /** Host time at which the frame was sent, ms since the Unix epoch. */
  sentAtMs: z.number(),
  streams: z.array(LiveStreamFrameSchema),
});
export type LiveFrame = z.infer<typeof LiveFrameSchema>;

const MAGIC = 0x544e4c46; // 'TNLF'

/**
 * Binary wire form of a {@link LiveFrame} for transports that cannot carry typed arrays (WebSocket).
 * Layout (little-endian): u32 magic, u32 header byte length, UTF-8 JSON header padded to 4 bytes,
 * then for each stream its `min` and `max` Float32 arrays in header order.
 */
export function encodeLiveFrame(frame: LiveFrame): Uint8Array {
  const header = JSON.stringify({
    sentAtMs: frame.sentAtMs,
    streams: frame.streams.map(({ min: _min, max: _max, ...meta }) => meta),
  });
  const headerBytes = new TextEncoder().encode(header);
  const headerPadded = Math.ceil(headerBytes.length / 4) * 4;
  const floats = frame.streams.reduce((n, s) => n + s.min.length + s.max.length, 0);
  const out = new Uint8Array(8 + headerPadded + floats * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  let offset = 8 + headerPadded;
  for (const s of frame.streams) {
    for (const arr of [s.min, s.max]) {
      out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), offset);
      offset += arr.byteLength;
    }
  }
  return out;
}

/** Inverse of {@link encodeLiveFrame}; throws a descriptive error on a malformed buffer. */
export function decodeLiveFrame(bytes: Uint8Array): LiveFrame {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('live frame: bad magic at byte 0');
  }
  const headerLength = view.getUint32(4, true);
  const headerEnd = 8 + headerLength;
  if (headerEnd > bytes.byteLength)
    throw new Error(`live frame: header runs past the end at byte ${headerEnd}`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, headerEnd))) as {
    sentAtMs: number;
    streams: Omit<LiveStreamFrame, 'min' | 'max'>[];
  };
  let offset = 8 + Math.ceil(headerLength / 4) * 4;
  const take = (n: number): Float32Array => {
    if (offset + n * 4 > bytes.byteLength)
      throw new Error(`live frame: samples run past the end at byte ${offset}`);
    const copy = new Float32Array(n);
    new Uint8Array(copy.buffer).set(bytes.subarray(offset, offset + n * 4));
    offset += n * 4;
    return copy;
  };
  const streams = header.streams.map((meta) => {
    const n = meta.columns * meta.channelCount;
    const min = take(n);
    const max = take(n);
    return { ...meta, min, max };
  });
  return LiveFrameSchema.parse({ sentAtMs: header.sentAtMs, streams });
}
