/** Deterministic test signals: a seeded PRNG (mulberry32) with Box–Muller Gaussians. */
export function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export function sine(
  amplitude: number,
  freqHz: number,
  sampleRateHz: number,
  n: number,
  phase = 0,
): Float64Array {
  return Float64Array.from(
    { length: n },
    (_, i) => amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRateHz + phase),
  );
}

export function rmsOf(x: ArrayLike<number>, start = 0, end = x.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s += (x[i] ?? 0) ** 2;
  return Math.sqrt(s / (end - start));
}
