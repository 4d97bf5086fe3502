import type pg from 'pg';

/** Inserts a site-owned patient with a session of one indicator and its dose context, as the admin. */
export async function seedSiteRows(
  client: pg.Client,
  o: {
    siteId: string;
    patientUuid: string;
    sessionUuid: string;
    code: string;
    value: number;
    phase: string;
    cRel: number;
  },
): Promise<void> {
  const ws = '00000000-0000-7000-8000-000000000001';
  await client.query(
    `INSERT INTO tonus.patients (uuid, site_id, workstation_id, code, birth_year, note, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 2012, 'free text about the patient', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    [o.patientUuid, o.siteId, ws, o.code],
  );
  await client.query(
    `INSERT INTO tonus.sessions (uuid, site_id, workstation_id, patient_uuid, protocol, device_id, device_name, origin,
       source_file, start_time_ms, end_time_ms, status, streams_json, dropped_samples, gap_count, note, created_at)
     VALUES ($1, $2, $3, $4, 'passive-stretch', 'synthetic', 'Demo', 'live', '/home/x/rec.bdf', 1.7e12, 1.7e12 + 60000,
       'complete', '[]', 0, 0, 'session note', '2026-01-01T00:00:00Z')`,
    [o.sessionUuid, o.siteId, ws, o.patientUuid],
  );
  await client.query(
    `INSERT INTO tonus.session_dose_context (session_uuid, site_id, route, phase, c_rel, context_json, computed_at)
     VALUES ($1, $2, 'oral', $3, $4, '{}', '2026-01-01T00:00:00Z')`,
    [o.sessionUuid, o.siteId, o.phase, o.cRel],
  );
  await client.query(
    `INSERT INTO tonus.session_indicators (session_uuid, site_id, patient_uuid, start_time_ms, indicator_id, value, unit,
       n, quality_json, algorithm_version, muscle, side, protocol)
     VALUES ($1, $2, $3, 1.7e12, 'rest-rms', $4, 'uV', 3, '[]', '1', 'gastrocnemius', 'left', 'passive-stretch')`,
    [o.sessionUuid, o.siteId, o.patientUuid, o.value],
  );
}
