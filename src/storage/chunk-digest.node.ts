import { createHash } from 'node:crypto';

/**
 * SHA-256 (lower-case hex) of a sample chunk's `data` bytes followed by its `timestamps` bytes (none when
 * the chunk is regular): what the recording workstation sends with a chunk and a pulling one checks.
 */
export function chunkDigest(data: Uint8Array, timestamps: Uint8Array | null): string {
  const h = createHash('sha256').update(data);
  if (timestamps) h.update(timestamps);
  return h.digest('hex');
}
