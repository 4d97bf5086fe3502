/**
 * The one channel-quality verdict of the Devices and Live screens (live-signal-quality.ts, over the last
 * seconds) and of the stored analysis (session-analysis.ts, over the whole session): same measures, same
 * thresholds, same words. Rules, first match wins:
 * - `off` (electrode off or lead broken) when the channel is railed (≥ 50 % of samples at the range limit),
 *   flat for over 1 s, or mains hum dominates (line noise detected while even the quietest 250 ms of the
 *   band-passed signal is above `humOffUv`, default 50 µV RMS);
 * - `check` when clipping exceeds 0.1 %, line noise is detected (> 10 dB, domain.md §1.3), or the quietest
 *   250 ms exceeds `noisyUv` (default 20 µV RMS);
 * - `good` otherwise.
 */

/** `good`: usable as is; `check`: usable, but look at the electrode; `off`: no usable signal. */
export type ChannelVerdict = 'good' | 'check' | 'off';

/** Why a channel is not `good`; each one comes with a sentence. */
export type SignalQualityIssue =
  'waiting' | 'railed' | 'flatLine' | 'humDominates' | 'clipping' | 'lineNoise' | 'noisyBaseline';

export interface ChannelMeasures {
  /** Share of samples at the range limits, 0–1. */
  clippedFraction: number;
  /** SD below 0.5 µV (0 for unscaled units) for over 1 s. */
  isFlat: boolean;
  /** RMS of the band-passed signal in its quietest 250 ms, µV; null for IMU and unscaled units. */
  noiseUv: number | null;
  /** domain.md §1.3 line-noise ratio, dB; null when not measurable. */
  lineNoiseDb: number | null;
}

export interface VerdictThresholds {
  mainsHz?: 50 | 60;
  /** Quietest-window RMS above which a baseline is "noisy", µV (default 20). */
  noisyUv?: number;
  /** Quietest-window RMS above which detected line noise means the electrode is off, µV (default 50). */
  humOffUv?: number;
}

export const CLIPPING_CHECK_FRACTION = 0.001;
export const RAILED_FRACTION = 0.5;
export const LINE_NOISE_DB = 10;

/** Verdict, issues (most serious first) and one plain sentence per issue. */
export function channelVerdict(
  m: ChannelMeasures,
  thresholds: VerdictThresholds = {},
): { verdict: ChannelVerdict; issues: SignalQualityIssue[]; reasons: string[] } {
  const mainsHz = thresholds.mainsHz ?? 50;
  const noisyUv = thresholds.noisyUv ?? 20;
  const humOffUv = thresholds.humOffUv ?? 50;
  const issues: SignalQualityIssue[] = [];
  const reasons: string[] = [];
  const add = (issue: SignalQualityIssue, reason: string): void => {
    issues.push(issue);
    reasons.push(reason);
  };
  const pct = (f: number): string => `${(100 * f).toFixed(f < 0.01 ? 2 : 0)} %`;
  const { clippedFraction, isFlat, noiseUv, lineNoiseDb } = m;
  const hasLineNoise = lineNoiseDb !== null && lineNoiseDb > LINE_NOISE_DB;
  if (clippedFraction >= RAILED_FRACTION)
    add(
      'railed',
      `Railed: ${pct(clippedFraction)} of samples at the range limit (electrode off or lead broken).`,
    );
  if (isFlat) add('flatLine', 'Flat line for over 1 s (electrode off or channel not connected).');
  if (hasLineNoise && noiseUv !== null && noiseUv > humOffUv)
    add(
      'humDominates',
      `Mains hum dominates (${lineNoiseDb.toFixed(0)} dB, baseline ${noiseUv.toFixed(0)} µV): electrode off or loose.`,
    );
  const isOff = issues.length > 0;
  if (!isOff && clippedFraction > CLIPPING_CHECK_FRACTION)
    add('clipping', `Clipping: ${pct(clippedFraction)} of samples at the range limit.`);
  if (!isOff && hasLineNoise)
    add(
      'lineNoise',
      `Line noise ${lineNoiseDb.toFixed(0)} dB at ${mainsHz} Hz: check the electrode and cables.`,
    );
  if (!isOff && noiseUv !== null && noiseUv > noisyUv)
    add(
      'noisyBaseline',
      `Noisy baseline: ${noiseUv.toFixed(0)} µV RMS at its quietest (check skin contact).`,
    );
  return { verdict: isOff ? 'off' : issues.length > 0 ? 'check' : 'good', issues, reasons };
}
