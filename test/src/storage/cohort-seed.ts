import type pg from 'pg';
import { addSite } from '../../../src/storage/server-migrate.node.js';

export const cohortSites = ['north', 'south', 'east'];
const phases = ['trough', 'peak', 'absorption', 'unknown', 'post-peak'];
/** UUID of seeded session `i`. */
export const sessionUuid = (i: number): string => `01890000-0000-7000-8001-${String(i).padStart(12, '0')}`;
/** UUID of seeded patient `p`. */
export const patientUuid = (p: number): string => `01890000-0000-7000-8002-${String(p).padStart(12, '0')}`;

/**
 * A small server of three sites: 12 patients, 240 sessions, two indicators per session (values repeat, so
 * medians fall between equal values too). Every 7th session has no dose context, every 5th context no C_rel,
 * some C_rel sit exactly on the band limits, and one phase is literally `unknown` (merged with "no context").
 */
export async function seedCohort(admin: pg.Client, roles: string): Promise<void> {
  for (const s of cohortSites)
    await addSite(admin, { siteId: s, name: s, role: `${roles}_${s}`, syncChunks: false });
  for (let p = 0; p < 12; p++)
    await admin.query(
      `INSERT INTO tonus.patients (uuid, site_id, workstation_id, code, created_at, updated_at)
       VALUES ($1, $2, $1, $3, 'x', 'x')`,
      [patientUuid(p), cohortSites[p % 3], `P${p}`],
    );
  const limits = [0.25, 0.5, 0.75, 0, 1, 0.1, 0.6, 0.3, 0.9];
  for (let i = 0; i < 240; i++) {
    const p = i % 12;
    const site = cohortSites[p % 3]!;
    await admin.query(
      `INSERT INTO tonus.sessions (uuid, site_id, workstation_id, patient_uuid, protocol, device_id, device_name,
         origin, start_time_ms, end_time_ms, status, streams_json, dropped_samples, gap_count, created_at)
       VALUES ($1, $2, $3, $3, 'passive-stretch', 'synthetic', 'Demo', 'live', 1.7e12, 1.7e12 + 1, 'complete',
         '[]', 0, 0, 'x')`,
      [sessionUuid(i), site, patientUuid(p)],
    );
    if (i % 7 !== 0)
      await admin.query(
        `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
         VALUES ($1, $2, 'oral', $3, $4, '{}', 'x')`,
        [sessionUuid(i), site, phases[(i * 3) % 5], i % 5 === 0 ? null : limits[i % 9]],
      );
    for (const [indicator, value] of [
      ['rmsHV', 10 + ((i * 37) % 23) / 4],
      ['catchAngleDeg', (i * 11) % 17],
    ] as const)
      await admin.query(
        `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id,
           value, unit, n, quality_json, algorithm_version, muscle, side, protocol)
         VALUES ($1, $2, $3, 1.7e12, $4, $5, 'u', 1, '[]', '1', 'gastrocnemius', 'left', 'passive-stretch')`,
        [sessionUuid(i), site, patientUuid(p), indicator, value],
      );
  }
}
