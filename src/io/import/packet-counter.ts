/**
 * Dropped-sample accounting from a wrapping packet counter (OpenBCI `Sample Index`, BrainFlow
 * `package_num`): the counter steps by a fixed amount per sample and wraps at a modulus, so a jump larger
 * than the step means samples were lost on the way to the host.
 */

export interface CounterTimeline {
  /** Position of each received sample on the device's sample grid (0 for the first, gaps where drops were). */
  positions: Float64Array;
  droppedSamples: number;
  /** Counter step per sample (1 for Cyton at 250 Hz, 2 for Cyton + Daisy). */
  step: number;
  /** Counter modulus (256 for the Cyton's 8-bit counter). */
  modulus: number;
}

/**
 * Places samples on the device's grid from their counters. The step is the most common forward difference;
 * the modulus is 256 when every counter fits in a byte, else the largest counter + step. A repeated or
 * backwards counter (device reset) counts no drop.
 */
export function counterTimeline(counters: ArrayLike<number>): CounterTimeline {
  const n = counters.length;
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, counters[i] as number);
  const histogram = new Map<number, number>();
  const probe = Math.min(n, 2000);
  let modulus = max <= 255 ? 256 : max + 1;
  for (let i = 1; i < probe; i++) {
    const d = ((((counters[i] as number) - (counters[i - 1] as number)) % modulus) + modulus) % modulus;
    if (d > 0) histogram.set(d, (histogram.get(d) ?? 0) + 1);
  }
  let step = 1;
  let best = 0;
  for (const [d, count] of histogram) {
    if (count > best) {
      best = count;
      step = d;
    }
  }
  if (max > 255) modulus = max + step;
  const positions = new Float64Array(n);
  let dropped = 0;
  for (let i = 1; i < n; i++) {
    const d = ((((counters[i] as number) - (counters[i - 1] as number)) % modulus) + modulus) % modulus;
    const advance = d > 0 && d % step === 0 ? d / step : 1;
    dropped += advance - 1;
    positions[i] = (positions[i - 1] as number) + advance;
  }
  return { positions, droppedSamples: dropped, step, modulus };
}
