import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DosingCore } from '../../../../src/app/services/dosing-service.js';
import { createTonusApp } from '../../../../src/app/tonus-app.js';
import { dispatch } from '../../../../src/shared/dispatch.js';
import type { Db } from '../../../../src/storage/database.node.js';
import { parseCsvLikeASpreadsheet, wouldExecute } from './spreadsheet-check.js';

interface PayloadFile {
  classic: string[];
  prefixes: string[];
  lookalikes: Record<string, string[]>;
  lineBreaksInside: string[];
}
const payloadFile = JSON.parse(
  readFileSync(join(process.cwd(), 'fixtures', 'csv-injection', 'payloads.json'), 'utf8'),
) as PayloadFile;

/** Every classic payload as is, behind each prefix, with each look-alike first sign, after each line break. */
function expandPayloads(f: PayloadFile): string[] {
  const out = new Set<string>(f.classic);
  for (const p of f.classic) {
    for (const prefix of f.prefixes) out.add(prefix + p);
    for (const alike of f.lookalikes[p[0] as string] ?? []) out.add(alike + p.slice(1));
    for (const br of f.lineBreaksInside) out.add(`note${br}${p}`);
  }
  return [...out];
}
const payloads = expandPayloads(payloadFile);

/** What a written CSV holds, from the end of its name (the start carries the session id or patient code). */
function fileKind(file: string): string {
  const name = basename(file);
  for (const [suffix, kind] of [
    ['-summary.csv', 'summary'],
    ['-sessions.csv', 'sessions'],
    ['-indicators.csv', 'indicators'],
    ['-dose-log.csv', 'dose log'],
    ['-trends.csv', 'trends'],
    ['-raw-emg.csv', 'raw samples'],
    ['-emg.csv', 'raw samples'],
  ] as const)
    if (name.endsWith(suffix)) return kind;
  return /-events-[^/]*\.csv$/.test(name) ? 'events' : name;
}

const START_MS = Date.UTC(2026, 2, 29, 7, 0);

/** One patient and session whose every free-text field (codes, names, channel names, notes) is `p`. */
function addPoisonedPatient(
  db: Db,
  core: DosingCore,
  p: string,
  index: number,
): { sessionId: number; code: string } {
  const code = `${p}#${index}`;
  const now = '2026-01-01T00:00:00Z';
  const patientId = Number(
    db
      .prepare(
        'INSERT INTO patients (code, birth_year, weight_kg, created_at, updated_at) VALUES (?, 2016, 20, ?, ?)',
      )
      .run(code, now, now).lastInsertRowid,
  );
  const streams = [
    {
      id: 'emg',
      label: p,
      sampleRateHz: 4,
      channels: [
        // The unit is one of the schema's (a stored stream with any other is refused as damaged); id and label carry the payload.
        { id: p, label: p, kind: 'emg', unit: 'mV', rangeMin: -1, rangeMax: 1 },
        { id: `x${p}`, label: p, kind: 'emg', unit: 'uV', rangeMin: -1, rangeMax: 1 },
      ],
    },
  ];
  const sessionId = Number(
    db
      .prepare(
        `INSERT INTO sessions (patient_id, protocol, muscle, side, device_id, device_name, origin, start_time_ms, end_time_ms, status, streams_json, created_at)
         VALUES (?, ?, ?, 'left', ?, ?, 'import', ?, ?, 'complete', ?, ?)`,
      )
      .run(patientId, p, p, p, p, START_MS, START_MS + 2000, JSON.stringify(streams), now).lastInsertRowid,
  );
  const data = new Float32Array([-1, -0.5, 0.5, 1, 2, -2, 3, -3]);
  db.prepare(
    `INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data)
     VALUES (?, 'emg', 0, 4, 2, ?, ?, ?)`,
  ).run(sessionId, START_MS, START_MS + 750, Buffer.from(data.buffer));
  const analysisId = db
    .prepare(
      "INSERT INTO analyses (session_id, algorithm_version, params_json, summary_json, created_at) VALUES (?, ?, '{}', '{}', ?)",
    )
    .run(sessionId, p, now).lastInsertRowid;
  db.prepare(
    'INSERT INTO analysis_events (analysis_id, kind, event_index, start_s, end_s, values_json) VALUES (?, ?, 0, 0.5, 1, ?)',
  ).run(analysisId, p, JSON.stringify({ note: p, [p]: p, nested: [p] }));
  db.prepare(
    `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n, cv, quality_json, algorithm_version, muscle, side, protocol)
     VALUES (?, ?, ?, ?, -41.25, ?, 5, 0.12, ?, ?, ?, 'left', ?)`,
  ).run(sessionId, patientId, START_MS, p, p, JSON.stringify([p]), p, p, p);
  const patient = core.patient(code);
  core.addDoses(
    patient,
    [
      {
        timeMs: START_MS - 3_600_000,
        route: 'oral',
        kind: 'scheduled',
        amount: 5,
        unit: 'mg',
        status: 'taken',
        note: p,
      },
    ],
    p,
  );
  return { sessionId, code };
}

describe('CSV formula injection: every CSV Tonus writes, over the whole payload list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-csv-injection-'));
  const app = createTonusApp({ dataDir: join(dir, 'data') });
  afterAll(() => app.close());

  it(`writes ${payloads.length} payloads into every text field and no cell a spreadsheet would execute`, async () => {
    expect(payloadFile.classic).toHaveLength(19);
    const core = new DosingCore(app.db, () => START_MS + 86_400_000);
    const files: { file: string; kind: string }[] = [];
    const tag = (kind: string, list: string[]): void => {
      for (const [k, file] of list.entries()) files.push({ file, kind: `${kind}/${k}` });
    };
    for (const [i, p] of payloads.entries()) {
      const { sessionId, code } = addPoisonedPatient(app.db, core, p, i);
      const out = join(dir, `out-${i}`);
      tag('session report', await core.writeReport({ sessionId }, join(out, 'session'), true));
      tag(
        'patient report',
        await core.writeReport({ patient: core.patient(code) }, join(out, 'patient'), false),
      );
      const exported = await dispatch(app.handlers, 'exportSession', {
        sessionId,
        format: 'csv',
        path: join(out, 'export'),
      });
      if (!exported.ok) throw new Error(exported.error.message);
      tag('export', (exported.value as { files: string[] }).files);
    }
    const kinds = new Map<string, { cells: number; payloadCells: number }>();
    const executing: string[] = [];
    let cells = 0;
    for (const { file, kind: index } of files) {
      const rows = parseCsvLikeASpreadsheet(readFileSync(file, 'utf8'));
      const width = rows[0]?.length ?? 0;
      const kind = `${index} ${fileKind(file)}`;
      const stats = kinds.get(kind) ?? { cells: 0, payloadCells: 0 };
      for (const row of rows) {
        expect(row.length, `${file}: every record as wide as the header`).toBe(width);
        for (const cell of row) {
          cells++;
          stats.cells++;
          if (
            cell.includes('A0') ||
            cell.includes('1+1') ||
            cell.includes('A1') ||
            cell.includes('A2') ||
            cell.includes('calc')
          )
            stats.payloadCells++;
          if (wouldExecute(cell)) executing.push(`${file}: ${JSON.stringify(cell)}`);
        }
      }
      kinds.set(kind, stats);
    }
    console.log(
      `csv-injection: ${payloads.length} payloads, ${files.length} CSV files of ${kinds.size} kinds, ${cells} cells, ${executing.length} would execute`,
    );
    expect(executing).toEqual([]);
    for (const [kind, stats] of kinds)
      expect(stats.payloadCells, `${kind} carries payload text`).toBeGreaterThan(0);
    expect([...kinds.keys()].sort()).toEqual([
      'export/0 raw samples',
      'patient report/0 sessions',
      'patient report/1 indicators',
      'patient report/2 dose log',
      'patient report/3 trends',
      'session report/0 summary',
      'session report/1 indicators',
      'session report/2 events',
      'session report/3 raw samples',
    ]);
  }, 120_000);
});
