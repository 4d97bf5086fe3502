/** A local foreign key that crosses to the server as the referenced row's UUID. */
export interface SyncRef {
  /** Local integer column, e.g. `patient_id`. */
  column: string;
  /** Local table it points into. */
  table: string;
  /** Server column holding the referenced row's UUID, e.g. `patient_uuid`. */
  serverColumn: string;
}

/**
 * How one local table crosses to the server. `columns` have the same names and types on both sides.
 * Merge rules (docs/server.md, "Conflicts"):
 * - `lww`: last writer wins on `updated_at`, then on workstation id; the loser is told the winner;
 * - `append`: rows are events, never rewritten: the server keeps the union of every workstation's rows;
 * - `replace`: the latest push of the row replaces it (rows with no edit time of their own).
 */
export interface SyncedTable {
  table: string;
  columns: readonly string[];
  refs: readonly SyncRef[];
  merge: 'lww' | 'append' | 'replace';
}

const patientRef: SyncRef = { column: 'patient_id', table: 'patients', serverColumn: 'patient_uuid' };

/** Entities pushed and pulled on their own, in dependency order (a row's references come before it). */
export const syncedTables: readonly SyncedTable[] = [
  {
    table: 'patients',
    columns: [
      'code',
      'birth_year',
      'gmfcs_level',
      'affected_side',
      'weight_kg',
      'note',
      'created_at',
      'updated_at',
    ],
    refs: [],
    merge: 'lww',
  },
  {
    table: 'dose_events',
    columns: [
      'time_ms',
      'route',
      'kind',
      'amount',
      'unit',
      'status',
      'note',
      'deleted',
      'created_at',
      'updated_at',
    ],
    refs: [patientRef],
    merge: 'lww',
  },
  {
    table: 'dose_audit',
    columns: ['action', 'changed_by', 'changed_at', 'old_json', 'new_json', 'reason'],
    refs: [{ column: 'dose_event_id', table: 'dose_events', serverColumn: 'dose_event_uuid' }, patientRef],
    merge: 'append',
  },
  {
    table: 'regimens',
    columns: ['amount_mg', 'times_local_json', 'start_ms', 'end_ms', 'note', 'created_at'],
    refs: [patientRef],
    merge: 'replace',
  },
  {
    table: 'side_effects',
    columns: ['time_ms', 'kind', 'severity', 'note', 'created_at'],
    refs: [patientRef],
    merge: 'replace',
  },
];

/** Completed sessions: immutable once on the server; their parts travel with them. */
export const sessionTable: SyncedTable = {
  table: 'sessions',
  columns: [
    'protocol',
    'muscle',
    'side',
    'device_id',
    'device_name',
    'origin',
    'source_file',
    'start_time_ms',
    'end_time_ms',
    'status',
    'streams_json',
    'dropped_samples',
    'gap_count',
    'effective_rates_json',
    'clinical_json',
    'note',
    'created_at',
    'end_reason',
    'end_detail',
  ],
  refs: [patientRef],
  merge: 'append',
};

/** Parts of a session with their own UUID: added, never changed. */
export const sessionEvents = {
  markers: ['time_ms', 'duration_ms', 'kind', 'text'],
  analyses: ['algorithm_version', 'params_json', 'summary_json', 'created_at'],
} as const;

/** Columns of the per-event rows of an analysis (keyed by analysis, kind and index): immutable like it. */
export const analysisEventColumns = ['kind', 'event_index', 'start_s', 'end_s', 'values_json'] as const;

/** Parts of a session derived from it and the dose log: the latest computation replaces the previous one. */
export const sessionDerived = {
  session_dose_context: [
    'route',
    'phase',
    'hours_since_dose',
    'hours_to_next_dose',
    'c_rel',
    'c_rel_p10',
    'c_rel_p90',
    'daily_dose_mg',
    'daily_dose_mg_per_kg',
    'itb_daily_ug',
    'hours_since_rate_change',
    'is_equilibrating',
    'context_json',
    'computed_at',
  ],
  session_indicators: [
    'start_time_ms',
    'indicator_id',
    'value',
    'unit',
    'n',
    'cv',
    'quality_json',
    'algorithm_version',
    'muscle',
    'side',
    'protocol',
  ],
} as const;

/** Columns of a raw sample chunk (keyed by session, stream and first sample number). */
export const chunkColumns = [
  'stream_id',
  'first_seq',
  'sample_count',
  'channel_count',
  'first_time_ms',
  'last_time_ms',
  'data',
  'timestamps',
] as const;

/** `$1, $2, …` for `count` parameters starting after `offset`. */
export const placeholders = (count: number, offset = 0): string =>
  Array.from({ length: count }, (_, i) => `$${offset + i + 1}`).join(', ');

/** Local SELECT of one row of `t` with its references turned into UUIDs. */
export function localRowSql(t: SyncedTable): string {
  const refs = t.refs.map(
    (r) => `(SELECT uuid FROM ${r.table} WHERE id = t.${r.column}) AS ${r.serverColumn}`,
  );
  return `SELECT t.id, t.uuid, t.workstation_id, ${[...t.columns.map((c) => `t.${c}`), ...refs].join(', ')}
    FROM ${t.table} t WHERE t.id = ?`;
}
