import type { Migration } from '../migration.js';

/** Every table of 0001 that holds a site's data (all but `sites`). */
const siteTables = [
  'workstations',
  'patients',
  'patient_audit',
  'sessions',
  'markers',
  'analyses',
  'session_dose_context',
  'session_indicators',
  'sample_chunks',
  'dose_events',
  'dose_audit',
  'regimens',
  'side_effects',
];

/** Tables a site may append to but never rewrite. */
const appendOnly = new Set(['patient_audit', 'dose_audit', 'sample_chunks']);

/** Tables derived from a session and the dose log: each push replaces a session's rows (DELETE + INSERT). */
const derived = new Set(['session_dose_context', 'session_indicators']);

const privileges = (t: string): string =>
  appendOnly.has(t)
    ? 'SELECT, INSERT'
    : derived.has(t)
      ? 'SELECT, INSERT, UPDATE, DELETE'
      : 'SELECT, INSERT, UPDATE';

/**
 * One login role per site, each a member of the group role `tonus_site`, with row-level security on every
 * table: a site's role sees and writes only rows whose `site_id` is its own (`tonus.current_site()`, looked
 * up from `tonus.sites.role_name`). Append-only tables get INSERT and SELECT only; no site may DELETE but
 * the rows derived from a session (its dose context and indicators), which each push replaces. Sites are added by
 * `tonus.add_site` (run by the administrator; the role gets its password separately, never in this SQL).
 */
export const serverMigration0002: Migration = {
  version: 2,
  name: 'site-security',
  up: `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tonus_site') THEN
        CREATE ROLE tonus_site NOLOGIN;
      END IF;
    END $$;
    GRANT USAGE ON SCHEMA tonus TO tonus_site;
    GRANT USAGE ON SEQUENCE tonus.change_seq TO tonus_site;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA tonus TO tonus_site;
    GRANT SELECT ON tonus.sites TO tonus_site;

    CREATE FUNCTION tonus.current_site() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS
      $$ SELECT site_id FROM tonus.sites WHERE role_name = session_user $$;
    REVOKE ALL ON FUNCTION tonus.current_site() FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION tonus.current_site() TO tonus_site;

    ALTER TABLE tonus.sites ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_site ON tonus.sites FOR SELECT TO tonus_site USING (site_id = tonus.current_site());

    ${siteTables
      .map(
        (t) => `
    ALTER TABLE tonus.${t} ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_site ON tonus.${t} TO tonus_site
      USING (site_id = tonus.current_site()) WITH CHECK (site_id = tonus.current_site());
    GRANT ${privileges(t)} ON tonus.${t} TO tonus_site;`,
      )
      .join('\n')}

    CREATE FUNCTION tonus.add_site(p_site_id text, p_name text, p_role text, p_sync_chunks boolean)
      RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_role);
      END IF;
      EXECUTE format('GRANT tonus_site TO %I', p_role);
      INSERT INTO tonus.sites (site_id, name, role_name, sync_chunks)
        VALUES (p_site_id, p_name, p_role, p_sync_chunks)
        ON CONFLICT (site_id) DO UPDATE
          SET name = EXCLUDED.name, role_name = EXCLUDED.role_name, sync_chunks = EXCLUDED.sync_chunks;
    END $$;
    REVOKE ALL ON FUNCTION tonus.add_site(text, text, text, boolean) FROM PUBLIC;
  `,
};
