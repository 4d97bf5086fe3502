/**
 * Cell rules shared by every Tonus CSV report (docs/csv-columns.md): text that a spreadsheet would run as a
 * formula is neutralised, numbers are written plainly, missing values are empty cells.
 */

/** What a report cell may hold. */
export type CellValue = string | number | boolean | null | undefined;

/** A report as columns (stable names with units, e.g. `rms_uV`) and rows of cells in that order. */
export interface CsvTable {
  columns: readonly string[];
  rows: Iterable<readonly CellValue[]>;
}

/** Characters that make Excel, LibreOffice or Sheets evaluate a cell (OWASP CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes text starting with =, +, -, @, tab or CR with an apostrophe so spreadsheets show it as text.
 * Numbers never pass through here, so negative numbers stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One cell as text: empty for null, undefined and non-finite numbers; `true`/`false` for booleans. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return neutraliseFormula(v);
}

/** Rounds to at most `decimals` decimals for output (no trailing zeros). */
export const roundTo = (v: number | null | undefined, decimals: number): number | null => {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};
