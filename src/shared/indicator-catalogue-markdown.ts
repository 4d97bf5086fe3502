import { INDICATORS, QUALITY_FLAGS } from './indicator-catalogue.js';

/** A Markdown table row; pipes inside cells are escaped. */
const row = (cells: readonly string[]): string =>
  `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;

/**
 * The indicator and quality-flag tables of docs/csv-columns.md, written from the catalogue (a unit test checks
 * that the document holds exactly these rows).
 */
export function catalogueMarkdownTables(): { indicators: string[]; qualityFlags: string[] } {
  const indicators = [
    row(['`indicator_id`', 'name', 'unit', 'meaning', 'higher means']),
    row(['---', '---', '---', '---', '---']),
    ...Object.entries(INDICATORS).map(([id, e]) =>
      row([`\`${id}\``, e.name, e.unit || '—', e.meaning, e.higher]),
    ),
  ];
  const qualityFlags = [
    row(['flag', 'name', 'meaning']),
    row(['---', '---', '---']),
    ...Object.entries(QUALITY_FLAGS).map(([id, f]) => row([`\`${id}\``, f.name, f.meaning])),
  ];
  return { indicators, qualityFlags };
}
