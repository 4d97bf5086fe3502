import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DosingCore } from '../../src/app/services/dosing-service.js';
import { seededRandom } from '../../src/dosing/random.js';
import type { Db } from '../../src/storage/database.node.js';
import { openDatabase } from '../../src/storage/database.node.js';
import type { DoseInput } from '../../src/storage/dose-repository.node.js';
import { TrendRepository } from '../../src/storage/trend-repository.node.js';
import type { Bench } from './harness.js';
import { timeIt } from './harness.js';

const SESSIONS = 1000;
const INDICATORS = [
  'rmsHV',
  'rmsLV',
  'deltaRms',
  'aocDeg',
  'romSlowDeg',
  'pendulumRI',
  'clonusBeats',
  'rmsRest',
];
const H = 3_600_000;

/**
 * One patient with 1,000 sessions over ~2.7 years (one a day, at varying hours after an 08:00 dose), each
 * with an analysis (indicators in its summary JSON, as an analysis stores them), the same values in
 * `session_indicators`, and a stored dose context.
 */
export function build(db: Db): number {
  const now = '2026-01-01T00:00:00Z';
  const patient = Number(
    db
      .prepare("INSERT INTO patients (code, weight_kg, created_at, updated_at) VALUES ('BENCH', 20, ?, ?)")
      .run(now, now).lastInsertRowid,
  );
  const rng = seededRandom(11);
  const core = new DosingCore(db, () => Date.UTC(2030, 0, 1));
  core.setSettings(core.patient('BENCH'), {
    ageGroup: 'child',
    halfLifeH: 4.5,
    tmaxH: 1,
    timeZone: 'Europe/Amsterdam',
    absoluteMode: false,
  });
  const session = db.prepare(
    `INSERT INTO sessions (patient_id, protocol, muscle, side, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
     VALUES (?, 'passive-stretch', 'gastrocnemius', 'left', 'synthetic', 'Demo', 'live', ?, 'complete', '[]', ?)`,
  );
  const analysis = db.prepare(
    "INSERT INTO analyses (session_id, algorithm_version, params_json, summary_json, created_at) VALUES (?, '1.0.0', '{}', ?, ?)",
  );
  const trends = new TrendRepository(db);
  const doses: DoseInput[] = [];
  db.transaction(() => {
    for (let i = 0; i < SESSIONS; i++) {
      const doseMs = Date.UTC(2026, 0, 1, 7) + i * 24 * H;
      doses.push({
        timeMs: doseMs,
        route: 'oral' as const,
        kind: 'scheduled' as const,
        amount: 5,
        unit: 'mg' as const,
        status: 'taken' as const,
      });
      const start = doseMs + rng.uniform() * 8 * H;
      const id = Number(session.run(patient, start, now).lastInsertRowid);
      const values = INDICATORS.map((indicatorId) => ({
        sessionId: id,
        indicatorId,
        value: 30 + 5 * rng.normal(),
        unit: 'uV',
        n: 5,
        cv: 0.1,
        algorithmVersion: '1.0.0',
        muscle: 'gastrocnemius',
        side: 'left' as const,
        protocol: 'passive-stretch',
      }));
      analysis.run(id, JSON.stringify({ indicators: values, quality: { rejected: 0 } }), now);
      trends.putIndicators(values);
    }
  })();
  core.addDoses(core.patient('BENCH'), doses, 'bench');
  return patient;
}

/** The naive way: read every analysis of the patient, parse its JSON and pick the indicator. */
function naiveSeries(
  db: Db,
  patient: number,
  indicatorId: string,
): { sessionId: number; value: number; phase: string }[] {
  const rows = db
    .prepare(
      `SELECT s.id, a.summary_json, c.context_json FROM sessions s JOIN analyses a ON a.session_id = s.id
       LEFT JOIN session_dose_context c ON c.session_id = s.id WHERE s.patient_id = ? ORDER BY s.start_time_ms`,
    )
    .all(patient) as { id: number; summary_json: string; context_json: string | null }[];
  const out = [];
  for (const r of rows) {
    const summary = JSON.parse(r.summary_json) as { indicators: { indicatorId: string; value: number }[] };
    const v = summary.indicators.find((x) => x.indicatorId === indicatorId);
    const phase = r.context_json ? (JSON.parse(r.context_json) as { phase: string }).phase : 'unknown';
    if (v) out.push({ sessionId: r.id, value: v.value, phase });
  }
  return out;
}

export const bench: Bench = {
  name: 'trend query over 1,000 sessions of one patient',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-trends-'));
    const db = openDatabase(join(dir, 'tonus.sqlite'));
    try {
      const buildStart = performance.now();
      const patient = build(db);
      const buildS = (performance.now() - buildStart) / 1000;
      const trends = new TrendRepository(db);
      const core = new DosingCore(db);
      const p = core.patient('BENCH');
      const points = trends.series(patient, 'rmsHV').length;
      if (points !== SESSIONS || naiveSeries(db, patient, 'rmsHV').length !== SESSIONS)
        throw new Error('bench data incomplete');
      const query = timeIt(() => trends.series(patient, 'rmsHV'), 1500);
      const full = timeIt(() => core.trend(p, 'rmsHV'), 1500);
      const fit = timeIt(() => core.doseResponse(p, 'rmsHV', 'cRel'), 1500);
      const naive = timeIt(() => naiveSeries(db, patient, 'rmsHV'), 1500);
      const ms = (perSecond: number): string => `${(1000 / perSecond).toFixed(2)} ms per query`;
      return [
        {
          name: 'indexed series (session_indicators + dose context)',
          throughput: query.perSecond,
          unit: ' queries/s',
          baselineName: 'naive JSON scan',
          baselineThroughput: naive.perSecond,
          note: `${ms(query.perSecond)}; naive ${ms(naive.perSecond)}; data built in ${buildS.toFixed(1)} s`,
        },
        {
          name: 'full getTrend (lines by phase, baseline ± MDC95, pre/post, dose events)',
          throughput: full.perSecond,
          unit: ' queries/s',
          baselineName: 'naive JSON scan',
          baselineThroughput: naive.perSecond,
          note: ms(full.perSecond),
        },
        {
          name: 'dose-response vs C_rel (Theil–Sen over 499,500 pairs)',
          throughput: fit.perSecond,
          unit: ' queries/s',
          baselineName: 'naive JSON scan',
          baselineThroughput: naive.perSecond,
          note: ms(fit.perSecond),
        },
      ];
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
