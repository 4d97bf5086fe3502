import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellText, neutraliseFormula } from '../../../../src/io/reports/csv-cells.js';
import { buildReportFixture } from './report-fixture.js';

const goldenDir = join(process.cwd(), 'fixtures', 'golden');
/** Set TONUS_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate format change (then review the diff). */
const updating = process.env.TONUS_UPDATE_GOLDEN === '1';

function compareWithGolden(files: string[]): void {
  for (const file of files) {
    const name = basename(file).replace(/^session-\d+-/, 'session-');
    const actual = readFileSync(file, 'utf8');
    if (updating) writeFileSync(join(goldenDir, name), actual);
    expect(actual, name).toBe(readFileSync(join(goldenDir, name), 'utf8'));
  }
}

describe('CSV cells', () => {
  it('neutralises text a spreadsheet would run as a formula, and only text', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(neutraliseFormula(s)).toBe(`'${s}`);
    for (const s of [' =1+1', '\u00a0=1+1', '\u200b@SUM(A1)', '\ufeff+1', ' \u200b\u00a0-1+1', '\n=1+1'])
      expect(neutraliseFormula(s)).toBe(`'${s}`);
    for (const s of ['\uff1d1+1', '\uff0b1', '\uff0d1', '\uff20SUM(A1)', '\ufe661+1', ' \uff1d1'])
      expect(neutraliseFormula(s)).toBe(`'${s}`);
    expect(neutraliseFormula('gastrocnemius')).toBe('gastrocnemius');
    expect(neutraliseFormula('note\r=1+1')).toBe('note\r=1+1');
    expect(cellText(-3.5)).toBe('-3.5');
    expect(cellText(Number.NaN)).toBe('');
    expect(cellText(null)).toBe('');
    expect(cellText(true)).toBe('true');
  });
});

describe('session and patient reports (golden files)', () => {
  it('writes the session summary, indicators, per-event tables and raw samples as the golden files', async () => {
    const { db, core, sessionId } = buildReportFixture();
    const out = mkdtempSync(join(tmpdir(), 'tonus-report-'));
    const files = await core.writeReport({ sessionId }, out, true);
    expect(files.map((f) => basename(f).replace(/^session-\d+-/, ''))).toEqual([
      'summary.csv',
      'indicators.csv',
      'events-clonus.csv',
      'events-stretch.csv',
      'raw-emg.csv',
    ]);
    compareWithGolden(files);
    const summary = readFileSync(files[0] as string, 'utf8');
    expect(summary.startsWith('\ufeffsession_id,patient_code,start_time')).toBe(true);
    expect(summary).toContain('2026-03-29T09:00:00.000+02:00');
    expect(summary).toContain(',oral,peak,1.5,');
    const raw = readFileSync(files[4] as string, 'utf8').split('\n');
    expect(raw[0]).toBe('\ufefftime,t_s,emg1_uV,emg2_uV');
    expect(raw).toHaveLength(1 + 12 + 1);
    expect(readFileSync(files[3] as string, 'utf8')).toContain(`'=HYPERLINK`);
    db.close();
  });

  it('writes the patient report: sessions, indicators, dose log and trends as the golden files', async () => {
    const { db, core, patientCode } = buildReportFixture();
    const out = mkdtempSync(join(tmpdir(), 'tonus-report-'));
    const files = await core.writeReport({ patient: core.patient(patientCode) }, out, false);
    expect(readdirSync(out).sort()).toEqual([
      'patient-CP-007-dose-log.csv',
      'patient-CP-007-indicators.csv',
      'patient-CP-007-sessions.csv',
      'patient-CP-007-trends.csv',
    ]);
    compareWithGolden(files);
    expect(readFileSync(files[2] as string, 'utf8')).toContain(`"'-late, with breakfast"`);
    db.close();
  });
});
