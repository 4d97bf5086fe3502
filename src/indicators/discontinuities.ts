import type { DiscontinuityS } from './types.js';

/**
 * A signal with its paused spans cut out, for statistics that must not see them (rest level, noise floor,
 * spectrum, onset baselines): a paused span holds filler (zeros), not a quiet muscle. Index maps go both
 * ways; `toOriginal` of a spliced index is the original sample it came from.
 */
export interface Splice {
  /** Kept ranges of the original, `[start, end)` sample indices, in order. */
  kept: readonly (readonly [number, number])[];
  /** Length after splicing. */
  length: number;
  /** The samples of `x` in the kept ranges, contiguous. */
  take(x: ArrayLike<number>): Float64Array;
  /** Original index of spliced sample `j` (`j` = length maps to the original length). */
  toOriginal(j: number): number;
  /** Spliced index of original sample `i`; a dropped sample maps to the next kept one. */
  toSpliced(i: number): number;
}

/**
 * The splice of a signal of `n` samples at `sampleRateHz` that drops every sample inside `spans` (seconds,
 * sample i at i / sampleRateHz; overlapping spans merge). Undefined when nothing would be dropped.
 */
export function spliceOut(
  n: number,
  sampleRateHz: number,
  spans: readonly DiscontinuityS[] | undefined,
): Splice | undefined {
  const cuts = (spans ?? [])
    .map((d): [number, number] => [
      Math.max(0, Math.floor(d.startS * sampleRateHz)),
      Math.min(n, Math.ceil(d.endS * sampleRateHz)),
    ])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  if (cuts.length === 0) return undefined;
  const kept: [number, number][] = [];
  let from = 0;
  for (const [a, b] of cuts) {
    if (a > from) kept.push([from, a]);
    from = Math.max(from, b);
  }
  if (from < n) kept.push([from, n]);
  const offsets: number[] = [];
  let length = 0;
  for (const [a, b] of kept) {
    offsets.push(length);
    length += b - a;
  }
  return {
    kept,
    length,
    take(x) {
      const out = new Float64Array(length);
      kept.forEach(([a, b], k) => {
        for (let i = a; i < b; i++) out[(offsets[k] ?? 0) + i - a] = x[i] ?? 0;
      });
      return out;
    },
    toOriginal(j) {
      for (let k = kept.length - 1; k >= 0; k--) {
        const o = offsets[k] ?? 0;
        if (j >= o) return Math.min((kept[k]?.[0] ?? 0) + j - o, kept[k]?.[1] ?? n);
      }
      return j;
    },
    toSpliced(i) {
      let j = 0;
      for (const [a, b] of kept) {
        if (i < a) return j;
        if (i < b) return j + i - a;
        j += b - a;
      }
      return j;
    },
  };
}
