/**
 * Reads a dose log CSV (RFC 4180: comma-separated, double-quoted fields, `""` escapes, LF or CRLF line ends,
 * optional UTF-8 BOM). The header row names the columns; required: `time`, `route`, `amount`, `unit`;
 * optional: `kind` (default `scheduled`), `status` (default `taken`), `note`. Other columns (such as
 * `dose_id` and `patient_code` of Tonus's own dose-log export) are ignored, so an export imports back.
 * Text neutralised on export (a leading apostrophe before text a spreadsheet would run, csv-cells.ts) is
 * restored.
 */
import { looksLikeFormula } from './csv-cells.js';

export interface CsvRecord {
  /** 1-based line number of the record's first line in the file. */
  line: number;
  cells: string[];
}

/** Splits CSV text into records with their line numbers; throws on an unterminated quote, naming its line. */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\ufeff') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteStartLine = 0;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell.length === 0) {
      quoted = true;
      quoteStartLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.length > 0)) records.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (quoted) throw new Error(`line ${quoteStartLine}: a quoted field is not closed`);
  cells.push(cell);
  if (cells.some((c) => c.length > 0)) records.push({ line: recordLine, cells });
  return records;
}

/** A dose row as read, before the domain checks it. */
export interface ImportedDose {
  line: number;
  timeMs: number;
  route: string;
  kind: string;
  amount: number;
  unit: string;
  status: string;
  note?: string;
}

export interface DoseImportResult {
  doses: ImportedDose[];
  /** One message per problem, each starting with `line N:`. Empty when every row is usable. */
  errors: string[];
}

const restore = (s: string): string => (s.startsWith("'") && looksLikeFormula(s.slice(1)) ? s.slice(1) : s);

/**
 * Maps CSV records to dose rows. `parseTime` turns the `time` cell into an instant (ISO 8601 with offset,
 * or local time in the patient's zone) or undefined; `checkDose` returns domain problems of a row.
 */
export function readDoseLogCsv(
  text: string,
  parseTime: (text: string) => number | undefined,
  checkDose: (d: ImportedDose) => string[],
): DoseImportResult {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    return { doses: [], errors: [(err as Error).message] };
  }
  const header = records[0];
  if (!header) return { doses: [], errors: ['line 1: the file is empty; expected a header row'] };
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const col = (name: string): number => names.indexOf(name);
  const missing = ['time', 'route', 'amount', 'unit'].filter((n) => col(n) < 0);
  if (missing.length > 0)
    return { doses: [], errors: [`line ${header.line}: missing column(s) ${missing.join(', ')}`] };
  const doses: ImportedDose[] = [];
  const errors: string[] = [];
  for (const r of records.slice(1)) {
    const get = (name: string): string => {
      const i = col(name);
      return i < 0 ? '' : restore((r.cells[i] ?? '').trim());
    };
    const timeText = get('time');
    const timeMs = parseTime(timeText);
    const amountText = get('amount');
    const amount = amountText === '' ? Number.NaN : Number(amountText);
    const problems: string[] = [];
    if (timeMs === undefined) problems.push(`time "${timeText}" is not an ISO 8601 time`);
    if (!Number.isFinite(amount)) problems.push(`amount "${amountText}" is not a number`);
    const dose: ImportedDose = {
      line: r.line,
      timeMs: timeMs ?? Number.NaN,
      route: get('route'),
      kind: get('kind') || 'scheduled',
      amount,
      unit: get('unit'),
      status: get('status') || 'taken',
    };
    const note = get('note');
    if (note !== '') dose.note = note;
    if (problems.length === 0) problems.push(...checkDose(dose));
    if (problems.length > 0) errors.push(`line ${r.line}: ${problems.join('; ')}`);
    else doses.push(dose);
  }
  return { doses, errors };
}
