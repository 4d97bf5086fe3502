import type pg from 'pg';

/** One group of the cohort aggregate: an indicator's sessions in one dose phase and C_rel band. */
export interface CohortGroup {
  phase: string;
  /** C_rel band, e.g. `0.25–0.5`; `unknown` when the session has no dose context. */
  cRelBand: string;
  sessions: number;
  patients: number;
  sites: number;
  mean: number;
  /** Sample standard deviation; null for a single session. */
  sd: number | null;
  median: number;
  unit: string;
}

/**
 * The cohort aggregate of `indicatorId` (an id of the indicator catalogue, as in `session_indicators`),
 * computed on the server by `tonus.cohort` over every site's pooled pseudonymous rows. Sessions a clinic
 * deleted, and sessions of patients it deleted, are left out (the latest deletion event decides, as on the
 * workstations; server migration 0006).
 */
export async function cohortOf(client: pg.Client, indicatorId: string): Promise<CohortGroup[]> {
  const r = await client.query('SELECT * FROM tonus.cohort($1)', [indicatorId]);
  return r.rows.map((row) => ({
    phase: row.phase,
    cRelBand: row.c_rel_band,
    sessions: row.sessions,
    patients: row.patients,
    sites: row.sites,
    mean: row.mean,
    sd: row.sd,
    median: row.median,
    unit: row.unit,
  }));
}
