import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTimeInZone } from '../../../../src/dosing/time-zone.js';
import { parseCsv, readDoseLogCsv } from '../../../../src/io/reports/dose-log-import.js';

const parseIso = (t: string): number | undefined =>
  /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t) : undefined;
const noProblems = (): string[] => [];

describe('dose log CSV import', () => {
  it('parses quotes, escaped quotes, CRLF, a BOM and multi-line fields with their line numbers', () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\n3,4';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 3, cells: ['two\nlines', 'z'] },
      { line: 6, cells: ['3', '4'] },
    ]);
    expect(() => parseCsv('a\n"open')).toThrow(/line 2: a quoted field is not closed/);
  });

  it('reads rows, restores neutralised text and reports every bad row by line', () => {
    const text = [
      'dose_id,patient_code,time,route,kind,amount,unit,status,note',
      '1,P,2026-01-12T08:00:00.000+01:00,oral,scheduled,5,mg,taken,"\'-late"',
      '2,P,yesterday,oral,scheduled,5,mg,taken,',
      '3,P,2026-01-12T14:00:00.000+01:00,oral,scheduled,five,mg,missed,',
      '4,P,2026-01-12T20:00:00.000+01:00,oral,scheduled,5,ug,taken,',
    ].join('\n');
    const r = readDoseLogCsv(text, parseIso, (d) => (d.unit === 'mg' ? [] : ['oral doses are in mg']));
    expect(r.doses).toEqual([
      {
        line: 2,
        timeMs: Date.UTC(2026, 0, 12, 7),
        route: 'oral',
        kind: 'scheduled',
        amount: 5,
        unit: 'mg',
        status: 'taken',
        note: '-late',
      },
    ]);
    expect(r.errors).toEqual([
      'line 3: time "yesterday" is not an ISO 8601 time',
      'line 4: amount "five" is not a number',
      'line 5: oral doses are in mg',
    ]);
  });

  it('names missing columns and an empty file', () => {
    expect(readDoseLogCsv('time,route\n', parseIso, noProblems).errors).toEqual([
      'line 1: missing column(s) amount, unit',
    ]);
    expect(readDoseLogCsv('', parseIso, noProblems).errors).toEqual([
      'line 1: the file is empty; expected a header row',
    ]);
  });
});

describe('dose log round trip', () => {
  it('imports the golden dose-log export back to the same entries, restoring neutralised notes', () => {
    const text = readFileSync(
      join(process.cwd(), 'fixtures', 'golden', 'patient-CP-007-dose-log.csv'),
      'utf8',
    );
    const r = readDoseLogCsv(text, (t) => parseTimeInZone(t, 'Europe/Amsterdam'), noProblems);
    expect(r.errors).toEqual([]);
    expect(
      r.doses.map((d) => [d.line, d.timeMs, d.route, d.kind, d.amount, d.unit, d.status, d.note]),
    ).toEqual([
      [2, Date.UTC(2026, 2, 28, 19, 0), 'oral', 'scheduled', 5, 'mg', 'taken', undefined],
      [3, Date.UTC(2026, 2, 29, 5, 30), 'oral', 'scheduled', 5, 'mg', 'taken', '-late, with breakfast'],
    ]);
  });
});
