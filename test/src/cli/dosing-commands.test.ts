import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { addPatient, addSession } from '../storage/dose-fixture.js';

async function run(argv: string[]): Promise<{ code: number; exitCode: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((c: string | Uint8Array) => ((out += c.toString()), true));
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  const errWrite = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((c: string | Uint8Array) => ((err += c.toString()), true));
  process.exitCode = undefined;
  try {
    const code = await runCli(argv);
    return { code, exitCode: Number(process.exitCode ?? 0), out, err };
  } finally {
    process.exitCode = undefined;
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
    errWrite.mockRestore();
  }
}

function dataDir(): { dir: string; sessionId: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-cli-'));
  const db = openDatabase(join(dir, 'tonus.sqlite'));
  const patient = addPatient(db, 'CP-200', 20);
  const sessionId = addSession(db, patient, Date.UTC(2026, 0, 12, 8, 30));
  db.prepare(
    `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n, algorithm_version, muscle, side, protocol)
     VALUES (?, ?, ?, 'rmsHV', 30, 'uV', 5, '1', 'gastrocnemius', 'left', 'passive-stretch')`,
  ).run(sessionId, patient, Date.UTC(2026, 0, 12, 8, 30));
  db.prepare(
    `INSERT INTO patient_pk_settings (patient_id, age_group, half_life_h, tmax_h, time_zone, updated_at) VALUES (?, 'child', 4.5, 1, 'Europe/Amsterdam', 'x')`,
  ).run(patient);
  db.close();
  return { dir, sessionId };
}

afterEach(() => vi.restoreAllMocks());

describe('tonus doses / trends / report', () => {
  it('adds and lists doses as JSON, in the patient time zone', async () => {
    const { dir } = dataDir();
    const add = await run([
      '--data-dir',
      dir,
      'doses',
      'add',
      '--patient',
      'CP-200',
      '--time',
      '2026-01-12T08:00',
      '--amount',
      '5',
      '--json',
    ]);
    expect(add.exitCode).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({
      timeMs: Date.UTC(2026, 0, 12, 7),
      unit: 'mg',
      route: 'oral',
    });
    const list = await run(['--data-dir', dir, 'doses', 'list', '--patient', 'CP-200', '--json']);
    expect(JSON.parse(list.out).doses.map((d: { time: string }) => d.time)).toEqual([
      '2026-01-12T08:00:00.000+01:00',
    ]);
  });

  it('imports a CSV dose log all-or-nothing and names every bad line', async () => {
    const { dir } = dataDir();
    const file = join(dir, 'doses.csv');
    writeFileSync(
      file,
      'time,route,amount,unit\n2026-01-12T08:00,oral,5,mg\n2026-01-12T14:00,oral,5,ug\nnot-a-time,oral,5,mg\n',
    );
    const bad = await run(['--data-dir', dir, 'doses', 'import', file, '--patient', 'CP-200']);
    expect(bad.exitCode).toBe(4);
    expect(bad.err).toContain(`${file}:line 3: oral doses are in mg`);
    expect(bad.err).toContain(`${file}:line 4: time "not-a-time" is not an ISO 8601 time`);
    const list = await run(['--data-dir', dir, 'doses', 'list', '--patient', 'CP-200', '--json']);
    expect(JSON.parse(list.out).doses).toEqual([]);
    writeFileSync(
      file,
      'time,route,amount,unit,note\n2026-01-12T08:00,oral,5,mg,\n2026-01-12T14:00,oral,5,mg,"after lunch, late"\n',
    );
    const ok = await run(['--data-dir', dir, 'doses', 'import', file, '--patient', 'CP-200', '--json']);
    expect(JSON.parse(ok.out)).toMatchObject({ imported: 2 });
  });

  it('answers trends with the session dose phase as JSON', async () => {
    const { dir } = dataDir();
    await run([
      '--data-dir',
      dir,
      'doses',
      'add',
      '--patient',
      'CP-200',
      '--time',
      '2026-01-12T08:00',
      '--amount',
      '5',
    ]);
    const r = await run([
      '--data-dir',
      dir,
      'trends',
      '--patient',
      'CP-200',
      '--indicator',
      'rmsHV',
      '--json',
    ]);
    expect(r.exitCode).toBe(0);
    const trend = JSON.parse(r.out);
    expect(trend.lines).toHaveLength(1);
    expect(trend.lines[0].key.phase).toBe('peak');
    expect(trend.lines[0].points[0]).toMatchObject({ value: 30, hoursSinceDose: 1.5 });
  });

  it('writes a session report and exits 3 for an unknown session or patient', async () => {
    const { dir, sessionId } = dataDir();
    const out = join(dir, 'out');
    const r = await run(['--data-dir', dir, 'report', String(sessionId), '--out', out, '--json']);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      `session-${sessionId}-indicators.csv`,
      `session-${sessionId}-summary.csv`,
    ]);
    expect((await run(['--data-dir', dir, 'report', '999', '--out', out])).exitCode).toBe(3);
    expect(
      (await run(['--data-dir', dir, 'trends', '--patient', 'nobody', '--indicator', 'x'])).exitCode,
    ).toBe(3);
    expect((await run(['--data-dir', dir, 'report', '--out', out])).exitCode).toBe(4);
  });
});
