/**
 * A finite physical range for a channel whose file states none: the span of its samples widened by 1 % on
 * each side (by 1 when the channel is flat at 0), so that no sample reads as clipped and exports (EDF
 * physical minimum and maximum) keep their resolution. [−1, 1] for an empty channel.
 */
export function rangeAround(samples: ArrayLike<number>): { rangeMin: number; rangeMax: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return { rangeMin: -1, rangeMax: 1 };
  const pad = Math.max(Math.abs(min), Math.abs(max)) * 0.01 || 1;
  return { rangeMin: min - pad, rangeMax: max + pad };
}
