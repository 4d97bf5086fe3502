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
 * backwards counter (device reset) counts no drop. With `host` times (s, one per sample, as stamped on
 * arrival) a silence of about a whole counter period or more beyond what the counter shows, and not
 * caught up over the next two periods (a host stall), adds whole periods.
 */
export function counterTimeline(
  counters: ArrayLike<number>,
  host?: { timesS: ArrayLike<number>; sampleRateHz: number },
): CounterTimeline {
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
    let advance = d > 0 && d % step === 0 ? d / step : 1;
    if (host !== undefined) {
      // A loss of a whole counter period or more is invisible in the counter; the host clock shows it.
      const period = modulus / step;
      const hostAdvance = ((host.timesS[i] as number) - (host.timesS[i - 1] as number)) * host.sampleRateHz;
      const extra = Math.round((hostAdvance - advance) / period) * period;
      if (extra > 0) {
        // A host stall that is caught up later is not a loss: the silence must still show further on.
        const j = Math.min(n - 1, i + 2 * period);
        const spanS = (host.timesS[j] as number) - (host.timesS[i - 1] as number);
        if (spanS * host.sampleRateHz > advance + (j - i) + extra / 2) advance += extra;
      }
    }
    dropped += advance - 1;
    positions[i] = (positions[i - 1] as number) + advance;
  }
  return { positions, droppedSamples: dropped, step, modulus };
}

/** Largest share by which a file's clock may disagree with its sample count before it is distrusted. */
export const CLOCK_TOLERANCE = 0.01;

/** A timeline, and a sentence for people when the file's clock disagrees with its sample count. */
export interface CheckedTimeline extends CounterTimeline {
  clockDisagreement?: string;
}

/**
 * {@link counterTimeline} that trusts the host clock only when it agrees with the samples: when the span of
 * the host times differs from the span the counter gives by more than {@link CLOCK_TOLERANCE} (a clock in
 * other units, one that jumped or drifted), the host times are ignored, drops come from the counter alone,
 * and `clockDisagreement` says so with the numbers, instead of the disagreement becoming dropped samples.
 */
export function checkedTimeline(
  counters: ArrayLike<number>,
  host: { timesS: ArrayLike<number>; sampleRateHz: number },
): CheckedTimeline {
  const byCounter = counterTimeline(counters);
  const n = counters.length;
  if (n < 2) return byCounter;
  const countS = (byCounter.positions[n - 1] as number) / host.sampleRateHz;
  const clockS = (host.timesS[n - 1] as number) - (host.timesS[0] as number);
  if (countS > 0 && Math.abs(clockS - countS) <= CLOCK_TOLERANCE * countS)
    return counterTimeline(counters, host);
  const share = countS > 0 ? `${((Math.abs(clockS - countS) / countS) * 100).toFixed(1)} %` : 'wholly';
  return {
    ...byCounter,
    clockDisagreement: `The file's clock spans ${clockS.toFixed(3)} s but its ${n} samples at ${host.sampleRateHz} Hz span ${countS.toFixed(3)} s (${share} apart); sample times follow the sample count.`,
  };
}
