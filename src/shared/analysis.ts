/**
 * The JSON-serialisable result of a per-session analysis, stored by src/storage/analyses.node.ts in the
 * `analyses` and `analysis_events` tables of migration 0002. Numbers are finite or null (never NaN/Infinity),
 * so JSON.stringify → JSON.parse round-trips every value.
 */

export type AnalysisValue = number | boolean | string | null;

export type AnalysisEventKind = 'stretch' | 'drop' | 'clonus' | 'onset';

/** One row per stretch, pendulum drop, clonus episode or EMG onset; `index` counts from 0 within its kind. */
export interface AnalysisEvent {
  kind: AnalysisEventKind;
  index: number;
  /** Seconds from the start of the recording. */
  startS: number;
  endS?: number;
  values: Record<string, AnalysisValue>;
}

/** domain.md §8.3: one indicator of one session, ready for trending. */
export interface IndicatorValue {
  id: string;
  value: number | boolean | string;
  unit: string;
  n: number;
  cv?: number;
  trialsRejected: number;
  quality: string[];
  algorithmVersion: string;
  params: Record<string, number | string | boolean>;
  /** Muscle, channel or joint the value belongs to (e.g. `emg/rectus_femoris_mV`, `imu/rotRate_x_rad_s`). */
  site: string;
}

export interface EmgChannelSummary {
  stream: string;
  channel: string;
  label: string;
  sampleRateHz: number;
  /** Unit of `rms` (the file's unit). */
  unit: string;
  rms: number | null;
  /** `rms` in µV when the unit is a voltage; null for ADC counts. */
  rmsUv: number | null;
  medianFrequencyHz: number | null;
  meanFrequencyHz: number | null;
  onsets: { startS: number; endS: number }[];
  bandHz: [number, number];
  notchApplied: boolean;
  lineNoiseRatioDb: number | null;
  rest: {
    rmsRest: number | null;
    noiseFloor: number | null;
    snrRestDb: number | null;
    activeAtRestFraction: number | null;
  };
  quality: string[];
  /** Good / check / off by the same rules and thresholds as the Devices and Live screens (whole session). */
  verdict?: 'good' | 'check' | 'off';
  /** One sentence per reason the verdict is not good. */
  verdictReasons?: string[];
  /** Noise level as the live screens measure it (median of the quietest 250 ms per 2 s), µV. */
  noiseUv?: number | null;
  /** Why `quality` flags more than the verdict (flags the live screens do not test), in words. */
  qualityNote?: string;
}

export interface ImuChannelSummary {
  stream: string;
  channel: string;
  label: string;
  kind: string;
  unit: string;
  sampleRateHz: number;
  /** Dominant 3–12 Hz frequency of this single axis, when a clear peak exists; otherwise null. */
  tremorPeakHz: number | null;
  /** Power within ±1 Hz of the peak over the 3–12 Hz power. */
  tremorProminence: number | null;
}

export interface AnalysisSummary {
  source: string;
  durationS: number;
  emg: EmgChannelSummary[];
  imu: ImuChannelSummary[];
  /** Per-protocol summaries (only those the signals allowed), values flattened to AnalysisValue. */
  protocols: Record<string, Record<string, AnalysisValue>>;
  indicators: IndicatorValue[];
}

export interface SessionAnalysis {
  algorithmVersion: string;
  params: Record<string, AnalysisValue>;
  summary: AnalysisSummary;
  events: AnalysisEvent[];
}

/** A number as stored: finite numbers unchanged, NaN/±Infinity/undefined → null. */
export const finiteOrNull = (v: number | null | undefined): number | null =>
  v !== null && v !== undefined && Number.isFinite(v) ? v : null;

/** One stored indicator value of a session, as trends and reports read it back (table `session_indicators`). */
export interface SessionIndicatorRow {
  indicatorId: string;
  muscle: string | null;
  side: string | null;
  value: number;
  unit: string;
  n: number;
  cv: number | null;
  algorithmVersion: string;
  protocol: string;
  quality: string[];
}
