import type { Migration } from '../migration.js';

/**
 * Patients, sessions and what a session holds: ~1 s sample chunks (Float32 channel-major blobs), markers,
 * and analyses with their per-event rows (one row per stretch, pendulum drop, clonus episode, onset).
 * Times are ms since the Unix epoch (REAL where sub-ms precision matters), ISO 8601 text for audit columns.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'recording-core',
  up: `
    CREATE TABLE patients (
      id INTEGER PRIMARY KEY,
      code TEXT NOT NULL UNIQUE,
      birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
      gmfcs_level INTEGER CHECK (gmfcs_level IS NULL OR gmfcs_level BETWEEN 1 AND 5),
      affected_side TEXT CHECK (affected_side IS NULL OR affected_side IN ('left', 'right', 'bilateral', 'none')),
      weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg > 0),
      note TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER REFERENCES patients(id) ON DELETE RESTRICT,
      protocol TEXT NOT NULL,
      muscle TEXT,
      side TEXT CHECK (side IS NULL OR side IN ('left', 'right')),
      device_id TEXT NOT NULL,
      device_name TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('live', 'import', 'replay')),
      source_file TEXT,
      start_time_ms REAL NOT NULL,
      end_time_ms REAL,
      status TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'interrupted')),
      streams_json TEXT NOT NULL,
      dropped_samples INTEGER NOT NULL DEFAULT 0,
      gap_count INTEGER NOT NULL DEFAULT 0,
      effective_rates_json TEXT,
      clinical_json TEXT,
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_patient_start ON sessions (patient_id, start_time_ms);
    CREATE INDEX sessions_status ON sessions (status);

    CREATE TABLE sample_chunks (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      stream_id TEXT NOT NULL,
      first_seq INTEGER NOT NULL,
      sample_count INTEGER NOT NULL CHECK (sample_count > 0),
      channel_count INTEGER NOT NULL CHECK (channel_count > 0),
      first_time_ms REAL NOT NULL,
      last_time_ms REAL NOT NULL,
      data BLOB NOT NULL,
      timestamps BLOB,
      UNIQUE (session_id, stream_id, first_seq)
    ) STRICT;

    CREATE TABLE markers (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      time_ms REAL NOT NULL,
      duration_ms REAL,
      kind TEXT NOT NULL CHECK (kind IN ('marker', 'protocol-step', 'gap', 'dose', 'note')),
      text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX markers_session_time ON markers (session_id, time_ms);

    CREATE TABLE analyses (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      algorithm_version TEXT NOT NULL,
      params_json TEXT NOT NULL,
      summary_json TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX analyses_session ON analyses (session_id, created_at);

    CREATE TABLE analysis_events (
      id INTEGER PRIMARY KEY,
      analysis_id INTEGER NOT NULL REFERENCES analyses(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      event_index INTEGER NOT NULL,
      start_s REAL NOT NULL,
      end_s REAL,
      values_json TEXT NOT NULL,
      UNIQUE (analysis_id, kind, event_index)
    ) STRICT;
  `,
};
