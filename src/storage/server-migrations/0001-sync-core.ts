import type { Migration } from '../migration.js';

/**
 * The shared store of every workstation of every site, in schema `tonus`. Each synced row is keyed by the
 * UUID (v7) its workstation gave it and carries its `site_id`; local integer ids never reach the server.
 * Column types mirror the local SQLite ones (JSON stays text), so a row crosses unchanged.
 *
 * Conflict rules are enforced here, not only in the client:
 * - `sessions` (complete or interrupted only) and `sample_chunks` are immutable: an UPDATE that changes
 *   anything but `change_seq` is refused by a trigger;
 * - `dose_audit` is append-only (UPDATE and DELETE refused): the dose history is the union of every
 *   workstation's events;
 * - `patient_audit` keeps every version a workstation sent, with the value it replaced and whether it won
 *   (last writer wins on `updated_at`, then workstation id).
 *
 * `change_seq` (one sequence for all tables) orders changes for the pull cursor of each workstation.
 */
export const serverMigration0001: Migration = {
  version: 1,
  name: 'sync-core',
  up: `
    CREATE SCHEMA IF NOT EXISTS tonus;
    CREATE SEQUENCE tonus.change_seq;

    CREATE TABLE tonus.sites (
      site_id text PRIMARY KEY CHECK (site_id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
      name text NOT NULL,
      role_name text UNIQUE,
      sync_chunks boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE tonus.workstations (
      workstation_id uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      first_seen_at timestamptz NOT NULL DEFAULT now(),
      last_push_at timestamptz,
      last_pull_seq bigint NOT NULL DEFAULT 0
    );

    CREATE TABLE tonus.patients (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      code text NOT NULL,
      birth_year integer,
      gmfcs_level integer,
      affected_side text,
      weight_kg double precision,
      note text,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq'),
      UNIQUE (site_id, code)
    );
    CREATE INDEX patients_change ON tonus.patients (change_seq);

    CREATE TABLE tonus.patient_audit (
      id bigserial PRIMARY KEY,
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      incoming_updated_at text NOT NULL,
      incoming jsonb NOT NULL,
      previous jsonb,
      outcome text NOT NULL CHECK (outcome IN ('created', 'won', 'lost', 'same')),
      UNIQUE (patient_uuid, workstation_id, incoming_updated_at)
    );

    CREATE TABLE tonus.sessions (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      patient_uuid uuid REFERENCES tonus.patients(uuid),
      protocol text NOT NULL,
      muscle text,
      side text,
      device_id text NOT NULL,
      device_name text NOT NULL,
      origin text NOT NULL,
      source_file text,
      start_time_ms double precision NOT NULL,
      end_time_ms double precision,
      status text NOT NULL CHECK (status IN ('complete', 'interrupted')),
      streams_json text NOT NULL,
      dropped_samples bigint NOT NULL,
      gap_count bigint NOT NULL,
      effective_rates_json text,
      clinical_json text,
      note text,
      created_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX sessions_change ON tonus.sessions (change_seq);
    CREATE INDEX sessions_patient ON tonus.sessions (patient_uuid, start_time_ms);

    CREATE TABLE tonus.markers (
      uuid uuid PRIMARY KEY,
      session_uuid uuid NOT NULL REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      time_ms double precision NOT NULL,
      duration_ms double precision,
      kind text NOT NULL,
      text text NOT NULL
    );
    CREATE INDEX markers_session ON tonus.markers (session_uuid);

    CREATE TABLE tonus.analyses (
      uuid uuid PRIMARY KEY,
      session_uuid uuid NOT NULL REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      algorithm_version text NOT NULL,
      params_json text NOT NULL,
      summary_json text NOT NULL,
      created_at text NOT NULL
    );
    CREATE INDEX analyses_session ON tonus.analyses (session_uuid);

    CREATE TABLE tonus.session_dose_context (
      session_uuid uuid PRIMARY KEY REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      route text NOT NULL,
      phase text NOT NULL,
      hours_since_dose double precision,
      hours_to_next_dose double precision,
      c_rel double precision,
      c_rel_p10 double precision,
      c_rel_p90 double precision,
      daily_dose_mg double precision,
      daily_dose_mg_per_kg double precision,
      itb_daily_ug double precision,
      hours_since_rate_change double precision,
      is_equilibrating integer,
      context_json text NOT NULL,
      computed_at text NOT NULL
    );

    CREATE TABLE tonus.session_indicators (
      id bigserial PRIMARY KEY,
      session_uuid uuid NOT NULL REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      start_time_ms double precision NOT NULL,
      indicator_id text NOT NULL,
      value double precision NOT NULL,
      unit text NOT NULL,
      n integer NOT NULL,
      cv double precision,
      quality_json text NOT NULL,
      algorithm_version text NOT NULL,
      muscle text,
      side text,
      protocol text NOT NULL,
      UNIQUE NULLS NOT DISTINCT (session_uuid, indicator_id, muscle, side)
    );
    CREATE INDEX session_indicators_indicator ON tonus.session_indicators (indicator_id);

    CREATE TABLE tonus.sample_chunks (
      session_uuid uuid NOT NULL REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      stream_id text NOT NULL,
      first_seq bigint NOT NULL,
      sample_count integer NOT NULL,
      channel_count integer NOT NULL,
      first_time_ms double precision NOT NULL,
      last_time_ms double precision NOT NULL,
      data bytea NOT NULL,
      timestamps bytea,
      PRIMARY KEY (session_uuid, stream_id, first_seq)
    );

    CREATE TABLE tonus.dose_events (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      time_ms double precision NOT NULL,
      route text NOT NULL,
      kind text NOT NULL,
      amount double precision NOT NULL,
      unit text NOT NULL,
      status text NOT NULL,
      note text,
      deleted integer NOT NULL,
      created_at text NOT NULL,
      updated_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX dose_events_change ON tonus.dose_events (change_seq);

    CREATE TABLE tonus.dose_audit (
      uuid uuid PRIMARY KEY,
      dose_event_uuid uuid NOT NULL REFERENCES tonus.dose_events(uuid),
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      action text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      changed_by text NOT NULL,
      changed_at text NOT NULL,
      old_json text,
      new_json text,
      reason text,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX dose_audit_change ON tonus.dose_audit (change_seq);

    CREATE TABLE tonus.regimens (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      amount_mg double precision NOT NULL,
      times_local_json text NOT NULL,
      start_ms double precision NOT NULL,
      end_ms double precision,
      note text,
      created_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX regimens_change ON tonus.regimens (change_seq);

    CREATE TABLE tonus.side_effects (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      patient_uuid uuid NOT NULL REFERENCES tonus.patients(uuid),
      time_ms double precision NOT NULL,
      kind text NOT NULL,
      severity text NOT NULL,
      note text,
      created_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX side_effects_change ON tonus.side_effects (change_seq);

    CREATE FUNCTION tonus.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;
      END IF;
      IF (to_jsonb(NEW) - 'change_seq') IS DISTINCT FROM (to_jsonb(OLD) - 'change_seq') THEN
        RAISE EXCEPTION '% rows are immutable once stored', TG_TABLE_NAME;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER sessions_immutable BEFORE UPDATE ON tonus.sessions
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();
    CREATE TRIGGER sample_chunks_immutable BEFORE UPDATE OR DELETE ON tonus.sample_chunks
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();
    CREATE TRIGGER dose_audit_append_only BEFORE UPDATE OR DELETE ON tonus.dose_audit
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();
    CREATE TRIGGER patient_audit_append_only BEFORE UPDATE OR DELETE ON tonus.patient_audit
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();
  `,
};
