import { DosingCore } from '../../../../src/app/services/dosing-service.js';
import type { Db } from '../../../../src/storage/database.node.js';
import { addPatient, addSession, openTemp } from '../../storage/dose-fixture.js';

/** 2026-03-29 (Amsterdam spring-forward day) 09:00 CEST: a session 1.5 h after an 07:30 dose. */
export const SESSION_START_MS = Date.UTC(2026, 2, 29, 7, 0);
export const FIXED_NOW_MS = Date.UTC(2026, 2, 30, 12, 0);

/** Writes `seconds` 1-s chunks of a 2-channel 4 Hz stream with values i·0.25 − 1 (some negative). */
function addChunks(db: Db, sessionId: number, seconds: number): void {
  const insert = db.prepare(
    'INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data) VALUES (?, ?, ?, 4, 2, ?, ?, ?)',
  );
  for (let s = 0; s < seconds; s++) {
    const data = new Float32Array(8);
    for (let c = 0; c < 2; c++)
      for (let i = 0; i < 4; i++) data[c * 4 + i] = (s * 4 + i) * 0.25 * (c + 1) - 1;
    const t0 = SESSION_START_MS + s * 1000;
    insert.run(sessionId, 'emg', s * 4, t0, t0 + 750, Buffer.from(data.buffer));
  }
}

/** A small, fully deterministic patient with one session, its analysis, indicators and dose log. */
export function buildReportFixture(): { db: Db; core: DosingCore; sessionId: number; patientCode: string } {
  const db = openTemp();
  const patient = addPatient(db, 'CP-007', 20);
  const sessionId = addSession(db, patient, SESSION_START_MS);
  db.prepare('UPDATE sessions SET streams_json = ? WHERE id = ?').run(
    JSON.stringify([
      {
        id: 'emg',
        label: 'EMG',
        sampleRateHz: 4,
        channels: [
          { id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -1000, rangeMax: 1000 },
          { id: 'emg2', label: 'EMG 2', kind: 'emg', unit: 'uV', rangeMin: -1000, rangeMax: 1000 },
        ],
      },
    ]),
    sessionId,
  );
  addChunks(db, sessionId, 3);
  const analysis = db
    .prepare(
      "INSERT INTO analyses (session_id, algorithm_version, params_json, summary_json, created_at) VALUES (?, 'stretch-1.0.0', '{}', '{}', '2026-03-29T08:00:00Z')",
    )
    .run(sessionId).lastInsertRowid;
  const ev = db.prepare(
    'INSERT INTO analysis_events (analysis_id, kind, event_index, start_s, end_s, values_json) VALUES (?, ?, ?, ?, ?, ?)',
  );
  ev.run(
    analysis,
    'stretch',
    0,
    1.25,
    1.6,
    JSON.stringify({ peakVelDegS: 182.5, catchPresent: true, aocDeg: -3.5, note: '=HYPERLINK("x")' }),
  );
  ev.run(
    analysis,
    'stretch',
    1,
    2.0,
    2.4,
    JSON.stringify({ peakVelDegS: 90, catchPresent: false, aocDeg: null, note: '@SUM(A1)' }),
  );
  ev.run(analysis, 'clonus', 0, 2.5, null, JSON.stringify({ beats: 7, f0Hz: 6.1, bands: [1, 2] }));
  db.prepare(
    `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n, cv, quality_json, algorithm_version, muscle, side, protocol)
     VALUES (?, ?, ?, 'rmsHV', 41.25, 'uV', 5, 0.12, '["notch"]', 'stretch-1.0.0', 'gastrocnemius', 'left', 'passive-stretch')`,
  ).run(sessionId, patient, SESSION_START_MS);
  const core = new DosingCore(db, () => FIXED_NOW_MS);
  core.setSettings(core.patient('CP-007'), {
    ageGroup: 'child',
    halfLifeH: 4.5,
    tmaxH: 1,
    timeZone: 'Europe/Amsterdam',
    absoluteMode: false,
  });
  core.addRegimen(core.patient('CP-007'), '5 mg TID', Date.UTC(2026, 2, 1));
  core.addDoses(
    core.patient('CP-007'),
    [
      {
        timeMs: Date.UTC(2026, 2, 28, 19, 0),
        route: 'oral',
        kind: 'scheduled',
        amount: 5,
        unit: 'mg',
        status: 'taken',
      },
      {
        timeMs: Date.UTC(2026, 2, 29, 5, 30),
        route: 'oral',
        kind: 'scheduled',
        amount: 5,
        unit: 'mg',
        status: 'taken',
        note: '-late, with breakfast',
      },
    ],
    'nurse-a',
  );
  return { db, core, sessionId, patientCode: 'CP-007' };
}
