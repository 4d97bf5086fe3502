import type { Migration } from '../migration.js';

/**
 * The dose log and what hangs off it (domain spec §6, §8): dose events with their audit trail, regimens,
 * side effects, per-patient PK settings and time zone, each session's dose context (derived; recomputed
 * when the dose log changes), and a flat `session_indicators` table for trend queries. Instants are ms
 * since the Unix epoch (UTC); the patient's IANA zone turns them into local times for display.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'dosing-and-trends',
  up: `
    CREATE TABLE patient_pk_settings (
      patient_id INTEGER PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,
      age_group TEXT NOT NULL CHECK (age_group IN ('child', 'adult')),
      half_life_h REAL NOT NULL CHECK (half_life_h > 0),
      tmax_h REAL NOT NULL CHECK (tmax_h > 0),
      time_zone TEXT NOT NULL,
      absolute_mode INTEGER NOT NULL DEFAULT 0 CHECK (absolute_mode IN (0, 1)),
      ke0_per_h REAL CHECK (ke0_per_h IS NULL OR ke0_per_h > 0),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE dose_events (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      time_ms REAL NOT NULL,
      route TEXT NOT NULL CHECK (route IN ('oral', 'itb_bolus', 'itb_continuous', 'injection')),
      kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'extra', 'rate_change', 'flex_bolus', 'refill', 'alarm')),
      amount REAL NOT NULL CHECK (amount >= 0),
      unit TEXT NOT NULL CHECK (unit IN ('mg', 'ug', 'ug_per_day')),
      status TEXT NOT NULL DEFAULT 'taken' CHECK (status IN ('taken', 'missed')),
      note TEXT,
      deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX dose_events_patient_time ON dose_events (patient_id, time_ms);

    CREATE TABLE dose_audit (
      id INTEGER PRIMARY KEY,
      dose_event_id INTEGER NOT NULL REFERENCES dose_events(id) ON DELETE CASCADE,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      changed_by TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      old_json TEXT,
      new_json TEXT,
      reason TEXT
    ) STRICT;
    CREATE INDEX dose_audit_event ON dose_audit (dose_event_id, id);

    CREATE TABLE regimens (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      amount_mg REAL NOT NULL CHECK (amount_mg > 0),
      times_local_json TEXT NOT NULL,
      start_ms REAL NOT NULL,
      end_ms REAL CHECK (end_ms IS NULL OR end_ms > start_ms),
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX regimens_patient_start ON regimens (patient_id, start_ms);

    CREATE TABLE side_effects (
      id INTEGER PRIMARY KEY,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      time_ms REAL NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('dizziness', 'nausea', 'fatigue', 'drowsiness', 'weakness', 'other')),
      severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
      note TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX side_effects_patient_time ON side_effects (patient_id, time_ms);

    CREATE TABLE session_dose_context (
      session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
      route TEXT NOT NULL,
      phase TEXT NOT NULL,
      hours_since_dose REAL,
      hours_to_next_dose REAL,
      c_rel REAL,
      c_rel_p10 REAL,
      c_rel_p90 REAL,
      daily_dose_mg REAL,
      daily_dose_mg_per_kg REAL,
      itb_daily_ug REAL,
      hours_since_rate_change REAL,
      is_equilibrating INTEGER CHECK (is_equilibrating IS NULL OR is_equilibrating IN (0, 1)),
      context_json TEXT NOT NULL,
      computed_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE session_indicators (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      start_time_ms REAL NOT NULL,
      indicator_id TEXT NOT NULL,
      value REAL NOT NULL,
      unit TEXT NOT NULL,
      n INTEGER NOT NULL CHECK (n >= 0),
      cv REAL,
      quality_json TEXT NOT NULL DEFAULT '[]',
      algorithm_version TEXT NOT NULL,
      muscle TEXT,
      side TEXT CHECK (side IS NULL OR side IN ('left', 'right')),
      protocol TEXT NOT NULL,
      UNIQUE (session_id, indicator_id, muscle, side)
    ) STRICT;
    CREATE INDEX session_indicators_trend
      ON session_indicators (patient_id, indicator_id, muscle, side, start_time_ms);
  `,
};
