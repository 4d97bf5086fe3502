import type { ServerMigration } from '../server-migration.js';

/**
 * Whether the latest deletion event of one item of site `site`, by the order of 0005's `entity_visibility`
 * (`at_ms`, then workstation id, then UUID), is a delete; false when the item has no event.
 */
const latestIsDelete = (entity: 'session' | 'patient', uuid: string, site: string): string => `
  coalesce((SELECT e.action = 'delete' FROM tonus.deletion_events e
             WHERE e.entity = '${entity}' AND e.entity_uuid = ${uuid} AND e.site_id = ${site}
             ORDER BY e.at_ms DESC, e.workstation_id DESC, e.uuid DESC LIMIT 1), false)`;

/** Rows of `tonus.session_indicators` named by one deletion event `NEW`, as a WHERE condition on `i`. */
const namedBy = (entity: 'session' | 'patient'): string =>
  `i.${entity}_uuid = NEW.entity_uuid AND i.site_id = NEW.site_id`;

/**
 * The cohort and the study view leave out what a clinic deleted (issue 17): an indicator row is **hidden**
 * when the latest deletion event of its session, or of its patient, is a delete. Only events of the row's own
 * site count (a site deletes its own items; an event naming another site's UUID changes nothing there).
 *
 * - `tonus.session_indicators.hidden` holds that, kept by triggers whatever order a sync brings rows in: a row
 *   gets it when inserted (events that came first), and each new event updates the rows of its session or
 *   patient (events that come later, undos included). A direct write of `hidden` is overruled.
 * - `tonus.cohort_patients` counts visible rows only; the covering index becomes partial (`WHERE NOT hidden`),
 *   so `tonus.cohort` still reads one index and nothing else; an index on `patient_uuid` finds a deleted
 *   patient's rows.
 * - `tonus.study_sessions` shows visible rows only, and a dose context of the row's own site only (as the
 *   cohort does since 0004).
 * - Existing rows are backfilled from the events already on the server.
 *
 * Pushes are serialized by the sync lock, so an event and the indicator rows it names are never written by
 * two transactions at once through `tonus sync`.
 */
export const serverMigration0006: ServerMigration = {
  version: 6,
  name: 'cohort-without-deleted',
  up: `
    ALTER TABLE tonus.session_indicators ADD COLUMN hidden boolean NOT NULL DEFAULT false;
    CREATE INDEX session_indicators_patient ON tonus.session_indicators (patient_uuid);

    CREATE FUNCTION tonus.indicator_hidden(p_session uuid, p_patient uuid, p_site text) RETURNS boolean
      LANGUAGE sql STABLE AS $$
      SELECT ${latestIsDelete('session', 'p_session', 'p_site')}
          OR ${latestIsDelete('patient', 'p_patient', 'p_site')}
    $$;
    REVOKE ALL ON FUNCTION tonus.indicator_hidden(uuid, uuid, text) FROM PUBLIC;

    CREATE OR REPLACE FUNCTION tonus.count_cohort_patients() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        WITH gone AS (
          SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*) AS n
          FROM old_rows WHERE NOT hidden GROUP BY 1, 2, 3, 4, 5
        ), decremented AS (
          UPDATE tonus.cohort_patients g SET row_count = g.row_count - gone.n
          FROM gone
          WHERE (g.indicator_id, g.cohort_phase, g.c_rel_band, g.site_id, g.patient_uuid)
            = (gone.indicator_id, gone.cohort_phase, gone.c_rel_band, gone.site_id, gone.patient_uuid)
            AND g.row_count > gone.n
        )
        DELETE FROM tonus.cohort_patients g USING gone
        WHERE (g.indicator_id, g.cohort_phase, g.c_rel_band, g.site_id, g.patient_uuid)
          = (gone.indicator_id, gone.cohort_phase, gone.c_rel_band, gone.site_id, gone.patient_uuid)
          AND g.row_count = gone.n;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO tonus.cohort_patients AS g
          SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*)
          FROM new_rows WHERE NOT hidden GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid)
          DO UPDATE SET row_count = g.row_count + EXCLUDED.row_count;
      END IF;
      RETURN NULL;
    END $$;

    -- Backfill (the recount trigger above moves the newly hidden rows out of the counts).
    UPDATE tonus.session_indicators i SET hidden = true
     WHERE ((i.session_uuid, i.site_id) IN (SELECT entity_uuid, site_id FROM tonus.deletion_events WHERE entity = 'session')
         OR (i.patient_uuid, i.site_id) IN (SELECT entity_uuid, site_id FROM tonus.deletion_events WHERE entity = 'patient'))
       AND tonus.indicator_hidden(i.session_uuid, i.patient_uuid, i.site_id);

    CREATE FUNCTION tonus.indicator_visibility() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      NEW.hidden := tonus.indicator_hidden(NEW.session_uuid, NEW.patient_uuid, NEW.site_id);
      RETURN NEW;
    END $$;
    CREATE TRIGGER session_indicators_visibility
      BEFORE INSERT OR UPDATE OF session_uuid, patient_uuid, site_id, hidden ON tonus.session_indicators
      FOR EACH ROW EXECUTE FUNCTION tonus.indicator_visibility();

    CREATE FUNCTION tonus.deletion_event_to_indicators() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      IF NEW.entity = 'session' THEN
        UPDATE tonus.session_indicators i SET hidden = NOT i.hidden
         WHERE ${namedBy('session')}
           AND i.hidden <> tonus.indicator_hidden(i.session_uuid, i.patient_uuid, i.site_id);
      ELSE
        UPDATE tonus.session_indicators i SET hidden = NOT i.hidden
         WHERE ${namedBy('patient')}
           AND i.hidden <> tonus.indicator_hidden(i.session_uuid, i.patient_uuid, i.site_id);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER deletion_events_to_indicators AFTER INSERT ON tonus.deletion_events
      FOR EACH ROW EXECUTE FUNCTION tonus.deletion_event_to_indicators();

    DROP INDEX tonus.session_indicators_cohort;
    CREATE INDEX session_indicators_cohort
      ON tonus.session_indicators (indicator_id, cohort_phase, c_rel_band, value) INCLUDE (unit)
      WHERE NOT hidden;

    CREATE OR REPLACE FUNCTION tonus.cohort(p_indicator text)
      RETURNS TABLE (
        phase text, c_rel_band text, sessions bigint, patients bigint, sites bigint,
        mean double precision, sd double precision, median double precision, unit text
      )
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, tonus
      SET work_mem = '256MB'
      AS $$
      WITH v AS (
        SELECT cohort_phase, c_rel_band, count(*) AS sessions, avg(value) AS mean, stddev_samp(value) AS sd,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median, min(unit) AS unit
        FROM tonus.session_indicators
        WHERE indicator_id = p_indicator AND NOT hidden
        GROUP BY cohort_phase, c_rel_band
      ), d AS (
        SELECT cohort_phase, c_rel_band, count(DISTINCT patient_uuid) AS patients, count(DISTINCT site_id) AS sites
        FROM tonus.cohort_patients
        WHERE indicator_id = p_indicator
        GROUP BY cohort_phase, c_rel_band
      )
      SELECT v.cohort_phase, v.c_rel_band, v.sessions, d.patients, d.sites, v.mean, v.sd, v.median, v.unit
      FROM v JOIN d USING (cohort_phase, c_rel_band)
      ORDER BY 1, 2
    $$;

    CREATE OR REPLACE VIEW tonus.study_sessions AS
      SELECT
        i.site_id,
        i.patient_uuid AS patient_pseudonym,
        p.birth_year,
        p.gmfcs_level,
        p.affected_side,
        i.session_uuid AS session_pseudonym,
        (date_trunc('day', to_timestamp(i.start_time_ms / 1000.0) AT TIME ZONE 'UTC'))::date AS session_day,
        i.protocol,
        i.muscle,
        i.side,
        i.indicator_id,
        i.value,
        i.unit,
        i.n,
        c.route,
        c.phase,
        c.c_rel,
        c.hours_since_dose,
        c.daily_dose_mg_per_kg,
        c.itb_daily_ug
      FROM tonus.session_indicators i
      JOIN tonus.patients p ON p.uuid = i.patient_uuid
      LEFT JOIN tonus.session_dose_context c ON c.session_uuid = i.session_uuid AND c.site_id = i.site_id
      WHERE NOT i.hidden;
  `,
  // Statistics for the new column and the partial index, so the planner keeps to the index-only scan.
  afterCommit: 'VACUUM (ANALYZE) tonus.session_indicators, tonus.cohort_patients',
};
