import type { Migration } from '../migration.js';

/** Tables added here that hold a site's data, with what a site's role may do on each. */
const siteTables: ReadonlyArray<{ table: string; privileges: string }> = [
  { table: 'deletion_events', privileges: 'SELECT, INSERT' },
  { table: 'patient_pk_settings', privileges: 'SELECT, INSERT, UPDATE' },
  { table: 'analysis_events', privileges: 'SELECT, INSERT' },
  { table: 'session_notes', privileges: 'SELECT, INSERT, UPDATE' },
];

/**
 * What the first sync schema left out (issue 17, sync gaps):
 * - `deletion_events`: a delete or undo of a patient or session is an event, appended and never rewritten
 *   (union of every workstation's); whether an item is hidden is decided by its latest event (by `at_ms`,
 *   then workstation id, then UUID), which `tonus.entity_visibility` gives for every item that has one;
 * - `patient_pk_settings`: a patient's PK settings and time zone, last writer wins on `updated_at`, then
 *   workstation id (as patient fields);
 * - `analysis_events`: the per-event rows of an analysis (stretches, drops, onsets), immutable like the
 *   analysis they belong to;
 * - `session_notes`: a session's note as edited after it was recorded (the session row keeps the note it
 *   was stored with, immutable), last writer wins on `updated_at`, then workstation id;
 * - a session's end reason and its words (`end_reason`, `end_detail`, local migration 0005);
 * - `sample_chunks.digest`: the SHA-256 (hex) of a chunk's `data` followed by its `timestamps`, computed by
 *   the workstation that recorded it, so a workstation that pulls the chunk can check it arrived intact.
 * Each new table has the site row-level security of server migration 0002.
 */
export const serverMigration0005: Migration = {
  version: 5,
  name: 'sync-deletions-and-settings',
  up: `
    CREATE TABLE tonus.deletion_events (
      uuid uuid PRIMARY KEY,
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      entity text NOT NULL CHECK (entity IN ('patient', 'session')),
      entity_uuid uuid NOT NULL,
      action text NOT NULL CHECK (action IN ('delete', 'undo')),
      at_ms double precision NOT NULL,
      description text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX deletion_events_change ON tonus.deletion_events (change_seq);
    CREATE INDEX deletion_events_entity ON tonus.deletion_events (entity_uuid, at_ms);
    CREATE TRIGGER deletion_events_append_only BEFORE UPDATE OR DELETE ON tonus.deletion_events
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();

    CREATE VIEW tonus.entity_visibility WITH (security_invoker = true) AS
      SELECT DISTINCT ON (entity_uuid) entity_uuid, entity, site_id, action = 'delete' AS deleted, at_ms
        FROM tonus.deletion_events
       ORDER BY entity_uuid, at_ms DESC, workstation_id DESC, uuid DESC;
    GRANT SELECT ON tonus.entity_visibility TO tonus_site;

    CREATE TABLE tonus.patient_pk_settings (
      patient_uuid uuid PRIMARY KEY REFERENCES tonus.patients(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      age_group text NOT NULL,
      half_life_h double precision NOT NULL,
      tmax_h double precision NOT NULL,
      time_zone text NOT NULL,
      absolute_mode integer NOT NULL,
      ke0_per_h double precision,
      updated_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX patient_pk_settings_change ON tonus.patient_pk_settings (change_seq);

    CREATE TABLE tonus.analysis_events (
      analysis_uuid uuid NOT NULL REFERENCES tonus.analyses(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      kind text NOT NULL,
      event_index integer NOT NULL,
      start_s double precision NOT NULL,
      end_s double precision,
      values_json text NOT NULL,
      PRIMARY KEY (analysis_uuid, kind, event_index)
    );
    CREATE TRIGGER analysis_events_immutable BEFORE UPDATE OR DELETE ON tonus.analysis_events
      FOR EACH ROW EXECUTE FUNCTION tonus.refuse_change();

    CREATE TABLE tonus.session_notes (
      session_uuid uuid PRIMARY KEY REFERENCES tonus.sessions(uuid),
      site_id text NOT NULL REFERENCES tonus.sites(site_id),
      workstation_id uuid NOT NULL,
      note text,
      updated_at text NOT NULL,
      change_seq bigint NOT NULL DEFAULT nextval('tonus.change_seq')
    );
    CREATE INDEX session_notes_change ON tonus.session_notes (change_seq);

    ALTER TABLE tonus.sessions ADD COLUMN end_reason text, ADD COLUMN end_detail text;
    ALTER TABLE tonus.sample_chunks ADD COLUMN digest text;

    ${siteTables
      .map(
        ({ table, privileges }) => `
    ALTER TABLE tonus.${table} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_site ON tonus.${table} TO tonus_site
      USING (site_id = tonus.current_site()) WITH CHECK (site_id = tonus.current_site());
    GRANT ${privileges} ON tonus.${table} TO tonus_site;`,
      )
      .join('\n')}
  `,
};
