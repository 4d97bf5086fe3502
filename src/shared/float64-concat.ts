/**
 * The arrays one after another in one Float64Array. With a single piece, that piece itself (no copy): callers
 * own their pieces and do not write them afterwards.
 */
export function concatFloat64(pieces: readonly Float64Array[]): Float64Array {
  if (pieces.length === 1 && pieces[0]) return pieces[0];
  const out = new Float64Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
