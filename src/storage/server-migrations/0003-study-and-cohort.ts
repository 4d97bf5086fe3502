import type { Migration } from '../migration.js';

/**
 * The study role `tonus_study` and what it may read: `tonus.study_sessions`, one row per session indicator
 * pooled over every site, pseudonymous (patient and site by UUID and site id, never the patient code, any
 * note, file name or free text; start time to the day), with the session's dose phase and C_rel. The view
 * runs with its owner's rights, so the study role needs no access to the tables behind it.
 * `tonus.cohort(indicator)` aggregates one indicator by dose phase and C_rel band across patients and sites,
 * in one pass, with enough working memory to join and sort in memory.
 */
export const serverMigration0003: Migration = {
  version: 3,
  name: 'study-and-cohort',
  up: `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tonus_study') THEN
        CREATE ROLE tonus_study NOLOGIN;
      END IF;
    END $$;

    CREATE VIEW tonus.study_sessions AS
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
      LEFT JOIN tonus.session_dose_context c ON c.session_uuid = i.session_uuid;

    GRANT USAGE ON SCHEMA tonus TO tonus_study;
    GRANT SELECT ON tonus.study_sessions TO tonus_study;

    CREATE INDEX session_dose_context_phase ON tonus.session_dose_context (phase);

    CREATE FUNCTION tonus.cohort(p_indicator text)
      RETURNS TABLE (
        phase text, c_rel_band text, sessions bigint, patients bigint, sites bigint,
        mean double precision, sd double precision, median double precision, unit text
      )
      LANGUAGE sql STABLE
      SET work_mem = '256MB'
      AS $$
      SELECT
        coalesce(s.phase, 'unknown'),
        CASE
          WHEN s.c_rel IS NULL THEN 'unknown'
          WHEN s.c_rel < 0.25 THEN '0–0.25'
          WHEN s.c_rel < 0.5 THEN '0.25–0.5'
          WHEN s.c_rel < 0.75 THEN '0.5–0.75'
          ELSE '≥ 0.75'
        END,
        count(*),
        count(DISTINCT s.patient_pseudonym),
        count(DISTINCT s.site_id),
        avg(s.value),
        stddev_samp(s.value),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY s.value),
        min(s.unit)
      FROM tonus.study_sessions s
      WHERE s.indicator_id = p_indicator
      GROUP BY 1, 2
      ORDER BY 1, 2
    $$;
    GRANT EXECUTE ON FUNCTION tonus.cohort(text) TO tonus_study;
  `,
};
