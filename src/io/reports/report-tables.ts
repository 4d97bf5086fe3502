/**
 * The tables of the Tonus CSV reports, built from plain rows (docs/csv-columns.md lists every column).
 * Column names are stable: snake_case with the unit as suffix (`_h`, `_mg`, `_uV`); times are ISO 8601 with
 * offset, produced by the caller's `formatInstant` in the patient's zone. Patients appear by pseudonymous
 * code only.
 */
import type { SessionIndicatorRow } from '../../shared/analysis.js';
import type { CellValue, CsvTable } from './csv-cells.js';
import { roundTo } from './csv-cells.js';

export type FormatInstant = (instantMs: number) => string;

/** Dose-context columns shared by the session summary and the trend export. */
const doseContextColumns = [
  'dose_route',
  'dose_phase',
  'hours_since_dose_h',
  'hours_to_next_dose_h',
  'c_rel',
  'c_rel_p10',
  'c_rel_p90',
  'daily_dose_mg',
  'daily_dose_mg_per_kg',
  'itb_daily_ug',
  'hours_since_rate_change_h',
  'equilibrating',
] as const;

const num = (v: unknown, decimals = 4): number | null =>
  typeof v === 'number' ? roundTo(v, decimals) : null;

function doseContextCells(c: Record<string, unknown> | null): CellValue[] {
  if (!c) return doseContextColumns.map(() => null);
  return [
    typeof c.route === 'string' ? c.route : null,
    typeof c.phase === 'string' ? c.phase : null,
    num(c.hoursSinceDose),
    num(c.hoursToNextDose),
    num(c.cRel),
    num(c.cRelP10),
    num(c.cRelP90),
    num(c.dailyDoseMg),
    num(c.dailyDoseMgPerKg),
    num(c.itbDailyUg),
    num(c.hoursSinceRateChange),
    typeof c.isEquilibrating === 'boolean' ? c.isEquilibrating : null,
  ];
}

export interface SummaryRow {
  sessionId: number;
  patientCode: string | null;
  startTimeMs: number;
  endTimeMs: number | null;
  protocol: string;
  muscle: string | null;
  side: string | null;
  deviceName: string;
  origin: string;
  status: string;
  droppedSamples: number;
  gapCount: number;
  doseContext: Record<string, unknown> | null;
}

/** One row per session: header facts and the stored dose context. */
export function sessionSummaryTable(rows: readonly SummaryRow[], formatInstant: FormatInstant): CsvTable {
  return {
    columns: [
      'session_id',
      'patient_code',
      'start_time',
      'end_time',
      'duration_s',
      'protocol',
      'muscle',
      'side',
      'device',
      'origin',
      'status',
      'dropped_samples',
      'gap_count',
      ...doseContextColumns,
    ],
    rows: rows.map((r) => [
      r.sessionId,
      r.patientCode,
      formatInstant(r.startTimeMs),
      r.endTimeMs === null ? null : formatInstant(r.endTimeMs),
      r.endTimeMs === null ? null : roundTo((r.endTimeMs - r.startTimeMs) / 1000, 3),
      r.protocol,
      r.muscle,
      r.side,
      r.deviceName,
      r.origin,
      r.status,
      r.droppedSamples,
      r.gapCount,
      ...doseContextCells(r.doseContext),
    ]),
  };
}

export interface IndicatorRow extends SessionIndicatorRow {
  sessionId: number;
}

/** Per-session indicators (median of accepted trials), one row per indicator, muscle and side. */
export function indicatorTable(rows: readonly IndicatorRow[]): CsvTable {
  return {
    columns: [
      'session_id',
      'indicator_id',
      'muscle',
      'side',
      'value',
      'unit',
      'n',
      'cv',
      'algorithm_version',
      'protocol',
      'quality',
    ],
    rows: rows.map((r) => [
      r.sessionId,
      r.indicatorId,
      r.muscle,
      r.side,
      r.value,
      r.unit,
      r.n,
      r.cv,
      r.algorithmVersion,
      r.protocol,
      r.quality.join(';'),
    ]),
  };
}

export interface EventRow {
  analysisId: number;
  algorithmVersion: string;
  kind: string;
  eventIndex: number;
  startS: number;
  endS: number | null;
  values: Record<string, unknown>;
}

/**
 * Per-event table of one kind (stretch, drop, clonus, window…): fixed columns, then the analysis' own value
 * keys in alphabetical order (the analysis names them with their unit, e.g. `peakVelDegS`). Nested values
 * are written as JSON text.
 */
export function eventTable(
  sessionId: number,
  sessionStartMs: number,
  rows: readonly EventRow[],
  formatInstant: FormatInstant,
): CsvTable {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].sort();
  return {
    columns: [
      'session_id',
      'analysis_id',
      'algorithm_version',
      'kind',
      'event_index',
      'start_time',
      'start_s',
      'end_s',
      ...keys,
    ],
    rows: rows.map((r) => [
      sessionId,
      r.analysisId,
      r.algorithmVersion,
      r.kind,
      r.eventIndex,
      formatInstant(sessionStartMs + r.startS * 1000),
      r.startS,
      r.endS,
      ...keys.map((k): CellValue => {
        const v = r.values[k];
        if (v === undefined || v === null) return null;
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
        return JSON.stringify(v);
      }),
    ]),
  };
}

export interface DoseLogRow {
  id: number;
  patientCode: string;
  timeMs: number;
  route: string;
  kind: string;
  amount: number;
  unit: string;
  status: string;
  note?: string;
}

/** The dose log: one row per entry, amounts in the unit column's unit (mg, ug, ug_per_day). */
export function doseLogTable(rows: readonly DoseLogRow[], formatInstant: FormatInstant): CsvTable {
  return {
    columns: ['dose_id', 'patient_code', 'time', 'route', 'kind', 'amount', 'unit', 'status', 'note'],
    rows: rows.map((r) => [
      r.id,
      r.patientCode,
      formatInstant(r.timeMs),
      r.route,
      r.kind,
      r.amount,
      r.unit,
      r.status,
      r.note ?? null,
    ]),
  };
}

export interface TrendExportRow extends Omit<SessionIndicatorRow, 'quality'> {
  patientCode: string;
  sessionId: number;
  startTimeMs: number;
  phase: string;
  hoursSinceDose: number | null;
  cRel: number | null;
  dailyDoseMg: number | null;
  dailyDoseMgPerKg: number | null;
  itbDailyUg: number | null;
  /** The smallest real change the trend judges this value's changes against, in its unit (null: none yet). */
  mdc95: number | null;
  /** Where `mdc95` comes from, in words ("own repeated sessions (10)", "published: Schless et al. 2015 …"). */
  mdc95Source: string | null;
}

/** Trend export: one row per session and indicator with the dose covariates the trend views plot. */
export function trendTable(rows: readonly TrendExportRow[], formatInstant: FormatInstant): CsvTable {
  return {
    columns: [
      'patient_code',
      'session_id',
      'start_time',
      'indicator_id',
      'muscle',
      'side',
      'value',
      'unit',
      'n',
      'cv',
      'algorithm_version',
      'protocol',
      'dose_phase',
      'hours_since_dose_h',
      'c_rel',
      'daily_dose_mg',
      'daily_dose_mg_per_kg',
      'itb_daily_ug',
      'mdc95',
      'mdc95_source',
    ],
    rows: rows.map((r) => [
      r.patientCode,
      r.sessionId,
      formatInstant(r.startTimeMs),
      r.indicatorId,
      r.muscle,
      r.side,
      r.value,
      r.unit,
      r.n,
      r.cv,
      r.algorithmVersion,
      r.protocol,
      r.phase,
      roundTo(r.hoursSinceDose, 4),
      roundTo(r.cRel, 4),
      roundTo(r.dailyDoseMg, 4),
      roundTo(r.dailyDoseMgPerKg, 4),
      roundTo(r.itbDailyUg, 4),
      roundTo(r.mdc95, 4),
      r.mdc95Source,
    ]),
  };
}
