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

/**
 * Characters a spreadsheet may skip before it looks for a formula sign: white space (including tab, CR, LF,
 * NBSP and the other Unicode spaces), zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) and bidi
 * marks.
 */
const LEADING_IGNORED = /[\s\u00a0\u180e\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff]/.source;

/**
 * Signs that make Excel, LibreOffice, Numbers or Sheets evaluate a cell (OWASP CSV injection list): = + - @,
 * tab and CR, and their full-width and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫), which some spreadsheets fold to ASCII.
 */
const FORMULA_SIGN = /[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b]/.source;

const FORMULA_START = new RegExp(`^${LEADING_IGNORED}*${FORMULA_SIGN}`);

/** True when a spreadsheet could read `text` as a formula: a formula sign first, or after ignored characters. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * Prefixes text that starts with a formula sign (=, +, -, @, tab, CR or a full-width form), also after
 * leading white space or zero-width characters, with an apostrophe so spreadsheets show it as text.
 * Numbers never pass through here, so negative numbers stay numbers.
 */
export function neutraliseFormula(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
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
