/**
 * The report folder of a session: summary, indicators, one per-event table per event kind and one raw-sample
 * file per stream. File names are `session-<id>-<what>.csv` (docs/csv-columns.md).
 */
import { join } from 'node:path';
import type { ReportRepository } from '../../storage/report-repository.node.js';
import type { EventRow } from './report-tables.js';
import { eventTable, indicatorTable, sessionSummaryTable } from './report-tables.js';
import type { FormatInstant } from './report-writer.node.js';
import { writeCsvTable, writeRawSamplesCsv } from './report-writer.node.js';

export interface SessionReportOptions {
  /** Include raw samples (the largest files); default true. */
  includeRaw?: boolean;
}

/** A file-name part from an event kind, stream id or patient code: anything but A-Z a-z 0-9 _ - becomes `_`, so no path separator gets through. */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');

/** Writes the session's report files into `outDir`; returns their paths in the order written. */
export async function writeSessionReport(
  reports: ReportRepository,
  sessionId: number,
  outDir: string,
  formatInstant: FormatInstant,
  options: SessionReportOptions = {},
): Promise<string[]> {
  const s = reports.session(sessionId);
  const files: string[] = [];
  const prefix = join(outDir, `session-${s.id}`);
  const summary = `${prefix}-summary.csv`;
  await writeCsvTable(summary, sessionSummaryTable([{ ...s, sessionId: s.id }], formatInstant));
  files.push(summary);
  const indicators = `${prefix}-indicators.csv`;
  await writeCsvTable(
    indicators,
    indicatorTable(reports.indicators(s.id).map((i) => ({ ...i, sessionId: s.id }))),
  );
  files.push(indicators);
  const byKind = new Map<string, EventRow[]>();
  for (const e of reports.events(s.id)) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
  for (const [kind, rows] of byKind) {
    const file = `${prefix}-events-${safeName(kind)}.csv`;
    await writeCsvTable(file, eventTable(s.id, s.startTimeMs, rows, formatInstant));
    files.push(file);
  }
  if (options.includeRaw ?? true)
    for (const stream of reports.streamIds(s.id)) {
      const file = `${prefix}-raw-${safeName(stream)}.csv`;
      await writeRawSamplesCsv(reports, s.id, stream, file, formatInstant);
      files.push(file);
    }
  return files;
}
