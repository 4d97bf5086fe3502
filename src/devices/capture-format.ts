/**
 * Byte capture format: the raw chunks a transport delivered, with their host receive times, so that a session
 * with a real device can be replayed through the real codec as a regression fixture.
 *
 * Two files: `NAME.bin` (the bytes) and `NAME.bin.json` (the sidecar, {@link CaptureSidecar}).
 * ```
 *  .bin   header  8 bytes  ASCII "TONUSCAP"
 *                 2 bytes  uint16 LE format version (1)
 *         records, repeated to the end of the file:
 *                 8 bytes  float64 LE receive time, ms since sidecar.startedAtMs
 *                 1 byte   source: 0 = none, k = sidecar.sources[k − 1] (a BLE characteristic UUID)
 *                 4 bytes  uint32 LE length n
 *                 n bytes  the chunk exactly as received
 * ```
 * Source: this project (no public raw-capture format exists for these devices, spec §6.2).
 */

import { z } from 'zod';

export const CAPTURE_MAGIC = 'TONUSCAP';
export const CAPTURE_VERSION = 1;
const HEADER_BYTES = 10;
const RECORD_HEADER_BYTES = 13;

export const CaptureSidecarSchema = z
  .object({
    format: z.literal('tonus-capture'),
    version: z.literal(CAPTURE_VERSION),
    /** The device spec the capture was made with (`serial:/dev/ttyUSB0?kind=cyton`); replay builds its codec from it. */
    device: z.string().min(1),
    /** Host time of the capture's time zero, ms since the Unix epoch. */
    startedAtMs: z.number(),
    sources: z.array(z.string()).max(255),
    chunks: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    durationMs: z.number().nonnegative(),
    /** Free text: where it was recorded, with what firmware. */
    note: z.string().optional(),
  })
  .strict();
export type CaptureSidecar = z.infer<typeof CaptureSidecarSchema>;

export interface CaptureRecord {
  offsetMs: number;
  source?: string;
  bytes: Uint8Array;
}

/** Encodes the header of a capture file. */
export function encodeCaptureHeader(): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES);
  for (let i = 0; i < 8; i++) h[i] = CAPTURE_MAGIC.charCodeAt(i);
  new DataView(h.buffer).setUint16(8, CAPTURE_VERSION, true);
  return h;
}

/** Encodes one record; `sourceIndex` is 0 or 1 + the index in the sidecar's sources. */
export function encodeCaptureRecord(offsetMs: number, sourceIndex: number, bytes: Uint8Array): Uint8Array {
  const r = new Uint8Array(RECORD_HEADER_BYTES + bytes.length);
  const v = new DataView(r.buffer);
  v.setFloat64(0, offsetMs, true);
  v.setUint8(8, sourceIndex);
  v.setUint32(9, bytes.length, true);
  r.set(bytes, RECORD_HEADER_BYTES);
  return r;
}

/** Decodes a whole capture file; errors name the file and the byte offset. */
export function decodeCapture(
  file: Uint8Array,
  sources: readonly string[],
  fileName = 'capture',
): CaptureRecord[] {
  const magic = String.fromCharCode(...file.subarray(0, 8));
  if (file.length < HEADER_BYTES || magic !== CAPTURE_MAGIC)
    throw new Error(`${fileName}: not a Tonus capture (no "${CAPTURE_MAGIC}" header at byte 0)`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint16(8, true);
  if (version !== CAPTURE_VERSION)
    throw new Error(`${fileName}: capture version ${version} is not supported (byte 8)`);
  const out: CaptureRecord[] = [];
  let o = HEADER_BYTES;
  while (o < file.length) {
    if (o + RECORD_HEADER_BYTES > file.length)
      throw new Error(`${fileName}: truncated record header at byte ${o}`);
    const offsetMs = view.getFloat64(o, true);
    const src = view.getUint8(o + 8);
    const n = view.getUint32(o + 9, true);
    if (o + RECORD_HEADER_BYTES + n > file.length)
      throw new Error(`${fileName}: record at byte ${o} says ${n} bytes but the file ends first`);
    if (src > sources.length)
      throw new Error(
        `${fileName}: record at byte ${o} names source ${src}, the sidecar has ${sources.length}`,
      );
    const rec: CaptureRecord = {
      offsetMs,
      bytes: file.slice(o + RECORD_HEADER_BYTES, o + RECORD_HEADER_BYTES + n),
    };
    const s = src > 0 ? sources[src - 1] : undefined;
    if (s !== undefined) rec.source = s;
    out.push(rec);
    o += RECORD_HEADER_BYTES + n;
  }
  return out;
}
