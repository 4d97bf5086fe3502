/**
 * Clock model for device streams: maps a stream's sample index (derived from the device's own counter, so drops
 * show as jumps) to host time (ms since the Unix epoch) by a fitted line `t(n) = t0 + n / fsEffective`.
 *
 * Observations are (index of the newest sample in a chunk, host receive time of that chunk). Transport latency
 * only ever delays arrival, so the fit runs through the lower envelope of the observations over a sliding
 * window (see {@link SampleClock}), never through arrival times themselves.
 * Pure: no timers, no I/O.
 */

import type { SampleBlock } from '../shared/samples.js';

/** Largest correction per sample when stamps follow a refit, as a fraction of the period. */
const SLEW_FRACTION = 0.25;

export interface SampleClockOptions {
  /** The rate the device claims, Hz. */
  nominalRateHz: number;
  /** Observations older than this span (in seconds of samples) leave the window. Default 30 s. */
  windowS?: number;
  /** Width of one envelope bin, seconds of samples: each bin keeps its least-delayed observation. Default 0.25 s. */
  binS?: number;
  /** The fitted rate is clamped to nominal × (1 ± this). Default 0.05 (crystals are far better than 5 %). */
  maxRateDeviation?: number;
  /** Minimum span of the window, in seconds of samples, before the slope is fitted rather than nominal. Default 2 s. */
  minFitSpanS?: number;
}

/**
 * A fitted clock for one stream. The window is cut into bins of `binS`; each bin keeps its least-delayed
 * observation (the lower envelope), the slope is a least-squares fit through those, and the line is shifted
 * down onto the lowest of them. Jitter and bursts only ever add delay, so they fall out of the envelope.
 *
 * Guarantees: {@link SampleClock.stamp} returns strictly increasing times (it slews across refits); memory is
 * bounded by windowS / binS.
 */
export class SampleClock {
  readonly nominalRateHz: number;
  private readonly windowSamples: number;
  private readonly binSamples: number;
  private readonly maxDeviation: number;
  private readonly minFitSpanSamples: number;
  private readonly nominalPeriodMs: number;
  private bins: number[] = [];
  private ns: number[] = [];
  private ts: number[] = [];
  private refN = 0;
  private refT = 0;
  private hasRef = false;
  private dirty = true;
  private periodMs: number;
  private interceptMs = 0;
  private lastStampN = -Infinity;
  private lastStampT = -Infinity;
  private newest = -Infinity;

  constructor(options: SampleClockOptions) {
    if (!(options.nominalRateHz > 0))
      throw new RangeError(`nominalRateHz must be > 0, got ${options.nominalRateHz}`);
    this.nominalRateHz = options.nominalRateHz;
    this.windowSamples = (options.windowS ?? 30) * options.nominalRateHz;
    this.binSamples = Math.max(1, (options.binS ?? 0.25) * options.nominalRateHz);
    this.maxDeviation = options.maxRateDeviation ?? 0.05;
    this.minFitSpanSamples = (options.minFitSpanS ?? 2) * options.nominalRateHz;
    this.nominalPeriodMs = 1000 / options.nominalRateHz;
    this.periodMs = this.nominalPeriodMs;
  }

  /** Records that sample `index` (and every sample before it) had arrived by host time `receivedAtMs`. */
  observe(index: number, receivedAtMs: number): void {
    if (!Number.isFinite(index) || !Number.isFinite(receivedAtMs) || index < this.newest) return;
    if (!this.hasRef) {
      this.refN = index;
      this.refT = receivedAtMs;
      this.hasRef = true;
    }
    this.newest = index;
    const n = index - this.refN;
    const t = receivedAtMs - this.refT;
    const bin = Math.floor(n / this.binSamples);
    const last = this.bins.length - 1;
    if (this.bins[last] === bin) {
      const residual = t - n * this.nominalPeriodMs;
      const kept = (this.ts[last] ?? 0) - (this.ns[last] ?? 0) * this.nominalPeriodMs;
      if (residual < kept) {
        this.ns[last] = n;
        this.ts[last] = t;
      }
    } else {
      this.bins.push(bin);
      this.ns.push(n);
      this.ts.push(t);
    }
    let drop = 0;
    while (drop < this.ns.length - 3 && n - (this.ns[drop] ?? n) > this.windowSamples) drop++;
    if (drop > 0) {
      this.bins.splice(0, drop);
      this.ns.splice(0, drop);
      this.ts.splice(0, drop);
    }
    this.dirty = true;
  }

  /** Number of envelope points in the window. */
  get observations(): number {
    return this.ns.length;
  }

  /** The fitted sample rate, Hz (nominal until the window spans `minFitSpanS`). */
  get effectiveRateHz(): number {
    this.fit();
    return 1000 / this.periodMs;
  }

  /** Host time (ms since epoch) of sample `index` under the current fit. */
  timeOf(index: number): number {
    this.fit();
    return this.refT + this.interceptMs + (index - this.refN) * this.periodMs;
  }

  /**
   * Returns a copy of `block` whose timestamps come from the fit (its `firstSeq` is the index of its first
   * sample). When a refit moves the line, stamps slew towards it by at most a quarter period per sample, so
   * times are strictly increasing across all blocks stamped by this clock and no step is shorter than 3/4 or
   * longer than 5/4 of the fitted period.
   */
  stamp(block: SampleBlock): SampleBlock {
    const n = block.timestampsMs.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const index = block.firstSeq + i;
      let t = this.timeOf(index);
      if (index > this.lastStampN && Number.isFinite(this.lastStampT)) {
        const steps = index - this.lastStampN;
        const predicted = this.lastStampT + steps * this.periodMs;
        const slack = steps * this.periodMs * SLEW_FRACTION;
        t = Math.min(predicted + slack, Math.max(predicted - slack, t));
      }
      out[i] = t;
      if (index > this.lastStampN) {
        this.lastStampN = index;
        this.lastStampT = t;
      }
    }
    return { ...block, timestampsMs: out };
  }

  /** Forgets every observation (after a reconnection the device counter restarts). */
  reset(): void {
    this.bins = [];
    this.ns = [];
    this.ts = [];
    this.hasRef = false;
    this.dirty = true;
    this.periodMs = this.nominalPeriodMs;
    this.interceptMs = 0;
    this.lastStampN = -Infinity;
    this.lastStampT = -Infinity;
    this.newest = -Infinity;
  }

  private fit(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const count = this.ns.length;
    let period = this.nominalPeriodMs;
    const first = this.ns[0] ?? 0;
    const last = this.ns[count - 1] ?? 0;
    if (count >= 3 && last - first >= this.minFitSpanSamples) {
      let mn = 0;
      let mt = 0;
      for (let i = 0; i < count; i++) {
        mn += this.ns[i] ?? 0;
        mt += this.ts[i] ?? 0;
      }
      mn /= count;
      mt /= count;
      let sxy = 0;
      let sxx = 0;
      for (let i = 0; i < count; i++) {
        const dn = (this.ns[i] ?? 0) - mn;
        sxy += dn * ((this.ts[i] ?? 0) - mt);
        sxx += dn * dn;
      }
      if (sxx > 0) period = sxy / sxx;
      const lo = this.nominalPeriodMs / (1 + this.maxDeviation);
      const hi = this.nominalPeriodMs / (1 - this.maxDeviation);
      period = Math.min(hi, Math.max(lo, period));
    }
    let intercept = Infinity;
    for (let i = 0; i < count; i++)
      intercept = Math.min(intercept, (this.ts[i] ?? 0) - (this.ns[i] ?? 0) * period);
    this.periodMs = period;
    this.interceptMs = Number.isFinite(intercept) ? intercept : 0;
  }
}

/**
 * Unwraps a device's wrapping packet or sample counter into a monotonic index and counts the values skipped.
 * A repeated counter value is read as a full wrap (modulus − 1 values lost), the only reading consistent with
 * a counter that never goes backwards.
 */
export class CounterUnwrapper {
  private previous: number | undefined;
  private index = -1;
  /** Counter values skipped so far (each one is one lost packet or sample, as the caller defines). */
  skipped = 0;

  constructor(readonly modulus: number) {}

  /** Feeds the next counter value (0 ≤ value < modulus); returns its index and how many values were skipped. */
  next(value: number): { index: number; gap: number } {
    if (this.previous === undefined) {
      this.previous = value;
      this.index = 0;
      return { index: 0, gap: 0 };
    }
    const gap = this.gapTo(value);
    this.previous = value;
    this.index += gap + 1;
    this.skipped += gap;
    return { index: this.index, gap };
  }

  /** The gap {@link next} would report for `value`, without feeding it (0 before the first value). */
  gapTo(value: number): number {
    if (this.previous === undefined) return 0;
    return (((value - this.previous - 1) % this.modulus) + this.modulus) % this.modulus;
  }

  /** Takes `value` as the next counter value with no gap (a resync after the device's counter restarted). */
  restartAt(value: number): number {
    this.previous = value;
    this.index += 1;
    return this.index;
  }

  reset(): void {
    this.previous = undefined;
    this.index = -1;
    this.skipped = 0;
  }
}

/** One clock per stream id; stamps codec output with fitted host times. */
export class StreamClocks {
  private readonly clocks = new Map<string, SampleClock>();

  constructor(
    streams: readonly { id: string; sampleRateHz: number }[],
    options: Omit<SampleClockOptions, 'nominalRateHz'> = {},
  ) {
    for (const s of streams)
      this.clocks.set(s.id, new SampleClock({ ...options, nominalRateHz: s.sampleRateHz }));
  }

  /** Observes the newest sample of each block as received at `receivedAtMs`, then stamps every block. */
  stampAll(blocks: readonly SampleBlock[], receivedAtMs: number): SampleBlock[] {
    for (const b of blocks) {
      const n = b.timestampsMs.length;
      if (n > 0) this.clocks.get(b.streamId)?.observe(b.firstSeq + n - 1, receivedAtMs);
    }
    return blocks.map((b) => this.clocks.get(b.streamId)?.stamp(b) ?? b);
  }

  get(streamId: string): SampleClock | undefined {
    return this.clocks.get(streamId);
  }

  reset(): void {
    for (const c of this.clocks.values()) c.reset();
  }
}
