/**
 * Writes Tonus CSV reports to disk (layout and column names: docs/csv-columns.md). UTF-8 with a byte-order
 * mark so spreadsheets detect the encoding, comma-separated, CRLF-free `\n` line ends, RFC 4180 quoting by
 * csv-stringify, formula-looking text neutralised (csv-cells.ts). Tables are streamed row by row; raw
 * samples are streamed chunk by chunk from the database, so no report holds a recording in memory.
 */
import type { Options as StringifyOptions } from 'csv-stringify';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportRepository } from '../../storage/report-repository.node.js';
import { withAtomicFile } from '../atomic-file.node.js';
import type { CsvTable } from './csv-cells.js';
import { cellText } from './csv-cells.js';

/**
 * csv-stringify settings of every Tonus CSV: `\n` record ends, and any cell holding CR or LF quoted (besides
 * those holding a comma or quote), so a reader that breaks lines at a bare CR still sees one cell.
 */
const CSV_OPTIONS: StringifyOptions = { record_delimiter: 'unix', quoted_match: /[\r\n]/ };

/**
 * Writes `table` to `file` (creating its folder); resolves when the file is on disk. Atomic: an interrupted
 * write leaves the previous file or none.
 */
export async function writeCsvTable(file: string, table: CsvTable): Promise<void> {
  const rows = Readable.from(
    (function* () {
      for (const row of table.rows) yield row.map(cellText);
    })(),
  );
  await withAtomicFile(file, (partial) =>
    pipeline(
      rows,
      stringify({ ...CSV_OPTIONS, header: true, columns: [...table.columns].map(cellText), bom: true }),
      createWriteStream(partial),
    ),
  );
}

/** Channel of a stream as the recorder described it in `sessions.streams_json`. */
export interface RawStreamLayout {
  streamId: string;
  sampleRateHz: number;
  channels: { id: string; unit: string }[];
}

/**
 * Reads a stream's layout from `streams_json` (an array of stream descriptors); a stream missing there, or
 * without channel descriptors, gets channels `ch1..chN` with unit `none`.
 */
export function rawStreamLayout(
  streamsJson: string,
  streamId: string,
  channelCount: number,
): RawStreamLayout {
  let descriptor: { id?: unknown; sampleRateHz?: unknown; channels?: unknown } | undefined;
  try {
    const parsed = JSON.parse(streamsJson) as unknown;
    if (Array.isArray(parsed))
      descriptor = parsed.find(
        (s) => typeof s === 'object' && s !== null && (s as { id?: unknown }).id === streamId,
      ) as typeof descriptor | undefined;
  } catch {
    descriptor = undefined;
  }
  const described = Array.isArray(descriptor?.channels)
    ? (descriptor.channels as { id?: unknown; unit?: unknown }[])
    : [];
  const channels = Array.from({ length: channelCount }, (_, i) => {
    const c = described[i];
    return {
      id: typeof c?.id === 'string' ? c.id : `ch${i + 1}`,
      unit: typeof c?.unit === 'string' ? c.unit.replace('/', '_per_').replace('^', '') : 'none',
    };
  });
  return {
    streamId,
    sampleRateHz: typeof descriptor?.sampleRateHz === 'number' ? descriptor.sampleRateHz : Number.NaN,
    channels,
  };
}

/** How raw-sample timestamps are written: ISO 8601 text with the offset of the instant's zone. */
export type FormatInstant = (instantMs: number) => string;

/**
 * Streams one stream of a session to `file`: columns `time` (ISO 8601 with offset), `t_s` (seconds since
 * the session start, 6 decimals) and one `<channel>_<unit>` column per channel (values rounded to 6
 * decimals). Sample times come from stored per-sample timestamps or, without them, are spaced evenly
 * between a chunk's first and last sample time. Awaits the file stream's drain between chunks. `onRows`
 * hears the rows written so far after each chunk. Returns the number of rows written. Atomic: the rows go
 * to a temporary file that becomes `file` only when complete, so a killed export never leaves a partial CSV
 * that ends on a whole row and looks complete.
 */
export async function writeRawSamplesCsv(
  reports: ReportRepository,
  sessionId: number,
  streamId: string,
  file: string,
  formatInstant: FormatInstant,
  onRows: (rowsWritten: number) => void = () => undefined,
): Promise<number> {
  const session = reports.session(sessionId);
  return withAtomicFile(file, (partial) =>
    writeRawRows(reports, session, sessionId, streamId, partial, formatInstant, onRows),
  );
}

async function writeRawRows(
  reports: ReportRepository,
  session: ReturnType<ReportRepository['session']>,
  sessionId: number,
  streamId: string,
  file: string,
  formatInstant: FormatInstant,
  onRows: (rowsWritten: number) => void,
): Promise<number> {
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  let rows = 0;
  let layout: RawStreamLayout | undefined;
  try {
    for (const page of reports.chunkPages(sessionId, streamId)) {
      for (const chunk of page) {
        if (!layout) {
          layout = rawStreamLayout(session.streamsJson, streamId, chunk.channelCount);
          const header = ['time', 't_s', ...layout.channels.map((c) => `${c.id}_${c.unit}`)].map(cellText);
          await write(stringifySync([header], { ...CSV_OPTIONS, bom: true }));
        }
        const n = chunk.sampleCount;
        const step = n > 1 ? (chunk.lastTimeMs - chunk.firstTimeMs) / (n - 1) : 0;
        const lines: string[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const t = chunk.timestampsMs?.[i] ?? chunk.firstTimeMs + i * step;
          let line = `${formatInstant(t)},${Math.round((t - session.startTimeMs) * 1000) / 1e6}`;
          for (let c = 0; c < chunk.channelCount; c++)
            line += `,${Math.round((chunk.data[c * n + i] as number) * 1e6) / 1e6}`;
          lines[i] = line;
        }
        rows += n;
        await write(`${lines.join('\n')}\n`);
        onRows(rows);
      }
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (err) {
    out.destroy();
    throw err;
  }
  return rows;
}
