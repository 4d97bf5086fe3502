import type pg from 'pg';

/**
 * CTEs ending in `s`: the indicator rows matching `where` (on `i`) whose session and patient are visible by
 * their latest deletion events, with the row's id, session, patient, site, value and unit and the dose phase and
 * C_rel of its own site's dose context.
 */
export const visibleRowsCte = (where: string): string => `
  latest AS (
    SELECT DISTINCT ON (entity, entity_uuid, site_id) entity, entity_uuid, site_id, action
    FROM tonus.deletion_events
    ORDER BY entity, entity_uuid, site_id, at_ms DESC, workstation_id DESC, uuid DESC
  ), deleted AS (
    SELECT entity, entity_uuid, site_id FROM latest WHERE action = 'delete'
  ), s AS (
    SELECT i.id, i.session_uuid, i.site_id, i.patient_uuid AS patient_pseudonym, i.value, i.unit, c.phase, c.c_rel
    FROM tonus.session_indicators i
    JOIN tonus.patients p ON p.uuid = i.patient_uuid
    LEFT JOIN tonus.session_dose_context c ON c.session_uuid = i.session_uuid AND c.site_id = i.site_id
    WHERE ${where}
      AND NOT EXISTS (SELECT 1 FROM deleted d
                       WHERE d.entity = 'session' AND d.entity_uuid = i.session_uuid AND d.site_id = i.site_id)
      AND NOT EXISTS (SELECT 1 FROM deleted d
                       WHERE d.entity = 'patient' AND d.entity_uuid = i.patient_uuid AND d.site_id = i.site_id)
  )`;

/**
 * The cohort aggregate as server migration 0003 defined it, joining every indicator row to its patient and
 * dose context (of the row's own site, as since 0004) at query time, restricted to visible items: a row is
 * left out when the latest deletion event (by `at_ms`, then workstation id, then UUID) of its session or of
 * its patient, among its own site's events, is a delete. Computed from `tonus.deletion_events` directly, not
 * from the `hidden` flag of server migration 0006: the reference the fast path must equal.
 */
export const cohortByJoinSql = `
  WITH ${visibleRowsCte('i.indicator_id = $1')}
  SELECT
    coalesce(s.phase, 'unknown') AS phase,
    CASE
      WHEN s.c_rel IS NULL THEN 'unknown'
      WHEN s.c_rel < 0.25 THEN '0–0.25'
      WHEN s.c_rel < 0.5 THEN '0.25–0.5'
      WHEN s.c_rel < 0.75 THEN '0.5–0.75'
      ELSE '≥ 0.75'
    END AS c_rel_band,
    count(*) AS sessions,
    count(DISTINCT s.patient_pseudonym) AS patients,
    count(DISTINCT s.site_id) AS sites,
    avg(s.value) AS mean,
    stddev_samp(s.value) AS sd,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY s.value) AS median,
    min(s.unit) AS unit
  FROM s
  GROUP BY 1, 2
  ORDER BY 1, 2`;

/** One row of a cohort aggregate, as `tonus.cohort` and {@link cohortByJoinSql} return it. */
export type CohortRow = Record<
  'phase' | 'c_rel_band' | 'sessions' | 'patients' | 'sites' | 'mean' | 'sd' | 'median' | 'unit',
  unknown
>;

/** {@link cohortByJoinSql} for `indicatorId`, with 0003's working memory, in the caller's connection. */
export async function cohortByJoin(client: pg.Client, indicatorId: string): Promise<CohortRow[]> {
  await client.query("SET work_mem = '256MB'");
  try {
    return (await client.query(cohortByJoinSql, [indicatorId])).rows as CohortRow[];
  } finally {
    await client.query('RESET work_mem');
  }
}

/**
 * Where `fast` differs from `reference`: group keys, counts, median and unit must be equal; mean and sd equal
 * up to the rounding of summing the same values in another order (relative 1e-12). Empty when they agree.
 */
export function cohortDifferences(fast: readonly CohortRow[], reference: readonly CohortRow[]): string[] {
  const out: string[] = [];
  if (fast.length !== reference.length) out.push(`${fast.length} groups, reference ${reference.length}`);
  reference.forEach((r, i) => {
    const f = fast[i];
    if (!f) return;
    for (const k of ['phase', 'c_rel_band', 'sessions', 'patients', 'sites', 'median', 'unit'] as const)
      if (f[k] !== r[k]) out.push(`group ${i} ${k}: ${String(f[k])}, reference ${String(r[k])}`);
    for (const k of ['mean', 'sd'] as const) {
      const a = f[k] as number | null;
      const b = r[k] as number | null;
      const same = a === null || b === null ? a === b : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
      if (!same) out.push(`group ${i} ${k}: ${String(a)}, reference ${String(b)}`);
    }
  });
  return out;
}
