import { parse } from 'csv-parse/sync';

/**
 * What a spreadsheet does with a CSV cell, written independently of src/io/reports/csv-cells.ts: after
 * Unicode compatibility folding (＝ → =, NBSP → space) and with leading white space and zero-width characters
 * skipped, a cell starting with = + - @ (or a tab or CR first) is run as a formula, unless it is a plain number.
 */
const IGNORED_FIRST = /^[\s\u180e\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff]*/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

export function wouldExecute(cell: string): boolean {
  if (/^[\t\r]/.test(cell)) return true;
  const folded = cell.normalize('NFKC').replace(IGNORED_FIRST, '');
  if (PLAIN_NUMBER.test(folded)) return false;
  return /^[=+\-@]/.test(folded);
}

/**
 * Parses CSV text with csv-parse, breaking records at CRLF, LF and also at a bare CR (as some spreadsheets
 * do), honouring RFC 4180 quotes and a leading byte-order mark. Rows may have any length, so a cell that
 * escaped its quotes shows up as a short or long row instead of an error.
 */
export function parseCsvLikeASpreadsheet(text: string): string[][] {
  return parse(text, {
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: false,
  }) as string[][];
}
