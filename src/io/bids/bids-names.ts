/**
 * EMG-BIDS and BIDS-motion names and table texts (BIDS 1.11.0; spec `modality-specific-files/
 * electromyography.md` and `motion.md`, schema `src/schema/rules`). Pure: no files.
 */
import type { Unit } from '../../shared/samples.js';

export const BIDS_VERSION = '1.11.0';

/** A BIDS label (`[0-9a-zA-Z+]+`, schema `objects/formats.yaml`) from free text: `passive-stretch` → `passiveStretch`. */
export function bidsLabel(text: string, fallback: string): string {
  const words = text.split(/[^0-9a-zA-Z+]+/).filter((w) => w !== '');
  const label = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return label === '' ? fallback : label;
}

/** Entities in the schema's order (`rules/entities.yaml`): sub, ses, task, tracksys, acq, run, recording. */
export interface BidsEntities {
  sub: string;
  ses?: string;
  task: string;
  tracksys?: string;
  recording?: string;
}

/** `sub-X[_ses-Y]_task-Z[_tracksys-T][_recording-R]_<suffix><extension>` */
export function bidsFileName(e: BidsEntities, suffix: string, extension: string): string {
  const parts = [`sub-${e.sub}`];
  if (e.ses !== undefined) parts.push(`ses-${e.ses}`);
  parts.push(`task-${e.task}`);
  if (e.tracksys !== undefined) parts.push(`tracksys-${e.tracksys}`);
  if (e.recording !== undefined) parts.push(`recording-${e.recording}`);
  return `${parts.join('_')}_${suffix}${extension}`;
}

/** One cell of a TSV: `n/a` for missing, tabs and line breaks replaced by spaces. */
export function tsvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
    return 'n/a';
  return String(value).replace(/[\t\r\n]+/g, ' ');
}

/** A TSV with a header row. */
export function tsv(
  columns: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return [columns.join('\t'), ...rows.map((r) => r.map(tsvCell).join('\t'))].join('\n') + '\n';
}

/** SI units BIDS motion uses, and the factor from a Tonus unit to them. */
export function motionUnit(unit: Unit): { units: string; factor: number } {
  switch (unit) {
    case 'g':
      return { units: 'm/s^2', factor: 9.80665 };
    case 'deg/s':
      return { units: 'rad/s', factor: Math.PI / 180 };
    case 'deg':
      return { units: 'rad', factor: Math.PI / 180 };
    default:
      return { units: unit, factor: 1 };
  }
}

/** `acq_time` form: `YYYY-MM-DDThh:mm:ss.ffffff` (UTC). */
export function acqTime(timeMs: number): string {
  return `${new Date(timeMs).toISOString().slice(0, 23)}000`;
}
