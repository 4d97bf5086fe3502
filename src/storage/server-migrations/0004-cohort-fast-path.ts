import type { ServerMigration } from '../server-migration.js';

/** The C_rel band of 0003's `tonus.cohort`, as SQL over a column `c_rel`. */
const cRelBandSql = `CASE
  WHEN c_rel IS NULL THEN 'unknown'
  WHEN c_rel < 0.25 THEN '0–0.25'
  WHEN c_rel < 0.5 THEN '0.25–0.5'
  WHEN c_rel < 0.75 THEN '0.5–0.75'
  ELSE '≥ 0.75'
END`;

/**
 * The cohort aggregate without joins at query time, same numbers as 0003's definition:
 *
 * - each `tonus.session_indicators` row carries its session's dose phase and C_rel (`dose_phase`, `c_rel`,
 *   null without a dose context, as 0003's LEFT JOIN gave), copied from `tonus.session_dose_context` by
 *   triggers on both tables whatever the order of writes, and the cohort's group keys derived from them
 *   (`cohort_phase`, `c_rel_band`, stored generated columns); existing rows are backfilled. A dose context
 *   is copied only to rows of its own site (a push writes both with its site), so no site can read or change
 *   another site's dose context through a row that names that site's session;
 * - `tonus.cohort_patients` counts the rows per indicator, group, site and patient, kept up to date by
 *   statement triggers on `tonus.session_indicators`, so distinct patients and sites are counted over it
 *   instead of sorting every row;
 * - a covering index in group and value order gives count, mean, sd and median in one index-only scan
 *   (after the VACUUM that follows the migration has marked the backfilled table's pages all-visible).
 *
 * Access is unchanged: the triggers and `tonus.cohort` run with their owner's rights (the view of 0003 did
 * the same), `tonus.cohort_patients` is granted to nobody, and `tonus.cohort` may be executed by
 * `tonus_study` only (no longer by PUBLIC), so a site role still sees no pooled data.
 */
export const serverMigration0004: ServerMigration = {
  version: 4,
  name: 'cohort-fast-path',
  up: `
    ALTER TABLE tonus.session_indicators
      ADD COLUMN dose_phase text,
      ADD COLUMN c_rel double precision;
    UPDATE tonus.session_indicators i SET dose_phase = c.phase, c_rel = c.c_rel
      FROM tonus.session_dose_context c WHERE c.session_uuid = i.session_uuid AND c.site_id = i.site_id;
    ALTER TABLE tonus.session_indicators
      ADD COLUMN cohort_phase text GENERATED ALWAYS AS (coalesce(dose_phase, 'unknown')) STORED,
      ADD COLUMN c_rel_band text GENERATED ALWAYS AS (${cRelBandSql}) STORED;
    CREATE INDEX session_indicators_cohort
      ON tonus.session_indicators (indicator_id, cohort_phase, c_rel_band, value) INCLUDE (unit);

    CREATE FUNCTION tonus.indicator_dose_context() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      SELECT c.phase, c.c_rel INTO NEW.dose_phase, NEW.c_rel
        FROM tonus.session_dose_context c WHERE c.session_uuid = NEW.session_uuid AND c.site_id = NEW.site_id;
      RETURN NEW;
    END $$;
    CREATE TRIGGER session_indicators_dose_context
      BEFORE INSERT OR UPDATE OF session_uuid, site_id, dose_phase, c_rel ON tonus.session_indicators
      FOR EACH ROW EXECUTE FUNCTION tonus.indicator_dose_context();

    CREATE FUNCTION tonus.dose_context_to_indicators() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        UPDATE tonus.session_indicators i SET dose_phase = c.phase, c_rel = c.c_rel
          FROM old_rows o LEFT JOIN tonus.session_dose_context c
            ON c.session_uuid = o.session_uuid AND c.site_id = o.site_id
          WHERE i.session_uuid = o.session_uuid AND i.site_id = o.site_id
            AND (i.dose_phase, i.c_rel) IS DISTINCT FROM (c.phase, c.c_rel);
      END IF;
      IF TG_OP <> 'DELETE' THEN
        UPDATE tonus.session_indicators i SET dose_phase = c.phase, c_rel = c.c_rel
          FROM new_rows n LEFT JOIN tonus.session_dose_context c
            ON c.session_uuid = n.session_uuid AND c.site_id = n.site_id
          WHERE i.session_uuid = n.session_uuid AND i.site_id = n.site_id
            AND (i.dose_phase, i.c_rel) IS DISTINCT FROM (c.phase, c.c_rel);
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER session_dose_context_inserted AFTER INSERT ON tonus.session_dose_context
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.dose_context_to_indicators();
    CREATE TRIGGER session_dose_context_updated AFTER UPDATE ON tonus.session_dose_context
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.dose_context_to_indicators();
    CREATE TRIGGER session_dose_context_deleted AFTER DELETE ON tonus.session_dose_context
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.dose_context_to_indicators();

    CREATE TABLE tonus.cohort_patients (
      indicator_id text NOT NULL,
      cohort_phase text NOT NULL,
      c_rel_band text NOT NULL,
      site_id text NOT NULL,
      patient_uuid uuid NOT NULL,
      row_count bigint NOT NULL CHECK (row_count > 0),
      PRIMARY KEY (indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid)
    );
    REVOKE ALL ON tonus.cohort_patients FROM PUBLIC;
    INSERT INTO tonus.cohort_patients
      SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*)
      FROM tonus.session_indicators GROUP BY 1, 2, 3, 4, 5;

    CREATE FUNCTION tonus.count_cohort_patients() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, tonus AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        WITH gone AS (
          SELECT indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid, count(*) AS n
          FROM old_rows GROUP BY 1, 2, 3, 4, 5
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
          FROM new_rows GROUP BY 1, 2, 3, 4, 5
          ON CONFLICT (indicator_id, cohort_phase, c_rel_band, site_id, patient_uuid)
          DO UPDATE SET row_count = g.row_count + EXCLUDED.row_count;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER session_indicators_counted_in AFTER INSERT ON tonus.session_indicators
      REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.count_cohort_patients();
    CREATE TRIGGER session_indicators_recounted AFTER UPDATE ON tonus.session_indicators
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.count_cohort_patients();
    CREATE TRIGGER session_indicators_counted_out AFTER DELETE ON tonus.session_indicators
      REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION tonus.count_cohort_patients();

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
        WHERE indicator_id = p_indicator
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
    REVOKE ALL ON FUNCTION tonus.cohort(text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION tonus.cohort(text) TO tonus_study;
  `,
  // The backfill rewrote the table: without this, the index-only scan reads every heap page until autovacuum.
  afterCommit: 'VACUUM (ANALYZE) tonus.session_indicators, tonus.cohort_patients',
};
