import type pg from 'pg';

/**
 * The cohort aggregate as server migration 0003 defined it: over the study view, joining every indicator row
 * to its patient and dose context at query time. Kept as the reference the fast path of 0004 must equal.
 */
export const cohortByJoinSql = `
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
  FROM tonus.study_sessions s
  WHERE s.indicator_id = $1
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
