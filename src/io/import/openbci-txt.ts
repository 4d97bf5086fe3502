/**
 * OpenBCI GUI "OpenBCI CSV" recordings (`OpenBCI-RAW-*.txt`), both generations.
 *
 * Source: OpenBCI_GUI `DataWriterODF.pde` (v5/v6) and the v3/v4 `OutputFile_rawtxt`; spec/formats.md §2(a).
 * ```
 * v5/v6                                     v3/v4
 * %OpenBCI Raw EXG Data                     %OpenBCI Raw EEG Data
 * %Number of channels = 8                   %Sample Rate = 250.0 Hz
 * %Sample Rate = 250 Hz                     %First Column = SampleIndex
 * %Board = OpenBCI_GUI$BoardCytonSerial     %Last Column = Timestamp
 * Sample Index, EXG Channel 0, ...          %Other Columns = EEG data in microvolts followed by Accel ...
 * 0, 45997.52, ..., 1557936889.064, 0.0, …  0, -125246.01, ..., 0.000, 18:51:16.074
 * ```
 * Rows are `", "`-separated. v5/v6 name their columns (positions differ by board, mode and version, so
 * columns are found by name: `EXG Channel n`, `Accel Channel n`, `Sample Index`, `Timestamp` in Unix
 * seconds, `Marker Channel`). v3/v4 have no name row: Sample Index, the EXG channels, three accel columns
 * and, if present, a last `HH:mm:ss.SSS` time column. EXG is in µV (unfiltered, with DC offset), accel in g.
 * `Sample Index` is an 8-bit packet counter used to count dropped samples.
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { StreamDescriptor } from '../../shared/samples.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { counterTimeline } from './packet-counter.js';

const EXG_RANGE_UV = { ganglion: 15686, cyton: 187500.02 } as const;

/** True when `text` starts like an OpenBCI GUI recording. */
export function looksLikeOpenBciTxt(text: string): boolean {
  return /^%(OpenBCI Raw (EXG|EEG) Data|OBCI SD Convert)/.test(text);
}

/** Parses an OpenBCI GUI `.txt` recording. Throws {@link RecordingFormatError} with the line number. */
export function parseOpenBciTxt(text: string, source: string): Recording {
  const lines = text.split(/\r?\n/);
  const fail = (problem: string, line: number): never => {
    throw new RecordingFormatError(source, problem, { line });
  };
  const first = lines[0] ?? '';
  if (!looksLikeOpenBciTxt(first))
    fail('not an OpenBCI GUI recording: line 1 must be "%OpenBCI Raw EXG Data"', 1);
  const isLegacy = !first.startsWith('%OpenBCI Raw EXG Data');
  const header: Record<string, string> = {};
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').startsWith('%')) {
    const m = /^%\s*([^=]+?)\s*=\s*(.*)$/.exec(lines[i] ?? '');
    if (m) header[(m[1] ?? '').toLowerCase()] = (m[2] ?? '').trim();
    i++;
  }
  const rateText = header['sample rate'];
  if (rateText === undefined) fail('header has no "%Sample Rate = … Hz" line', 1);
  const rate = /^(\d+(\.\d+)?)\s*Hz$/i.exec(rateText ?? '');
  if (!rate) return fail(`sample rate "${rateText}" is not "<number> Hz"`, 1);
  const sampleRateHz = Number(rate[1]);
  if (!(sampleRateHz > 0)) fail(`sample rate ${sampleRateHz} Hz is not positive`, 1);
  const board = header.board ?? '';
  const range = /ganglion/i.test(board) ? EXG_RANGE_UV.ganglion : EXG_RANGE_UV.cyton;
  const declaredChannels =
    header['number of channels'] === undefined ? undefined : Number(header['number of channels']);

  // Column roles, by name (v5/v6) or by position (v3/v4).
  let names: string[];
  let dataStart: number;
  if (!isLegacy) {
    const row = lines[i];
    if (row === undefined || !/Sample Index/i.test(row))
      fail('expected the column-name row ("Sample Index, …")', i + 1);
    names = (row ?? '').split(',').map((s) => s.trim());
    dataStart = i + 1;
  } else {
    const sample = (lines[i] ?? '').split(',').map((s) => s.trim());
    const hasTime = /^\d{1,2}:\d{2}:\d{2}(\.\d+)?$/.test(sample[sample.length - 1] ?? '');
    const exg = declaredChannels ?? sample.length - 1 - 3 - (hasTime ? 1 : 0);
    if (!(exg >= 1)) fail(`cannot tell the channels apart in a row of ${sample.length} values`, i + 1);
    names = ['Sample Index', ...Array.from({ length: exg }, (_, k) => `EXG Channel ${k}`)];
    for (let k = 0; names.length < sample.length - (hasTime ? 1 : 0); k++)
      names.push(k < 3 ? `Accel Channel ${k}` : `Aux ${k - 3}`);
    if (hasTime) names.push('Time Of Day');
    dataStart = i;
  }
  const col = (pattern: RegExp): number[] =>
    names.map((n, k) => (pattern.test(n) ? k : -1)).filter((k) => k >= 0);
  const exgCols = col(/^(EXG|EEG) Channel \d+$/i);
  const accelCols = col(/^Accel Channel \d+$/i);
  const indexCol = names.findIndex((n) => /^Sample ?Index$/i.test(n));
  const timestampCol = names.findIndex((n) => n === 'Timestamp');
  const markerCol = names.findIndex((n) => n === 'Marker Channel');
  const timeOfDayCol = names.findIndex((n) => n === 'Time Of Day' || n === 'Timestamp (Formatted)');
  if (exgCols.length === 0) fail('no "EXG Channel n" columns', dataStart);
  if (declaredChannels !== undefined && declaredChannels !== exgCols.length && !isLegacy)
    fail(`header says ${declaredChannels} channels but the column row names ${exgCols.length}`, dataStart);
  const numeric = new Set(
    [...exgCols, ...accelCols, indexCol, timestampCol, markerCol].filter((k) => k >= 0),
  );

  // Rows.
  const rows: number[][] = [];
  let startTimeMs = 0;
  let timeOfDay: string | undefined;
  for (let l = dataStart; l < lines.length; l++) {
    const line = lines[l] ?? '';
    if (line.trim() === '') continue;
    if (line.startsWith('%')) continue;
    const cells = line.split(',');
    if (cells.length !== names.length) fail(`expected ${names.length} values, found ${cells.length}`, l + 1);
    const values: number[] = new Array(names.length).fill(0);
    for (const k of numeric) {
      const cell = (cells[k] ?? '').trim();
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v))
        fail(`column "${names[k]}" holds "${cell}", not a number`, l + 1);
      values[k] = v;
    }
    if (rows.length === 0) {
      if (timestampCol >= 0) startTimeMs = Math.round((values[timestampCol] as number) * 1000);
      if (timeOfDayCol >= 0) timeOfDay = (cells[timeOfDayCol] ?? '').trim();
    }
    rows.push(values);
  }
  if (rows.length === 0) fail('no samples after the header', lines.length);

  const n = rows.length;
  const channelData = (cols: number[]): Float32Array[] =>
    cols.map((k) => {
      const out = new Float32Array(n);
      for (let r = 0; r < n; r++) out[r] = (rows[r] as number[])[k] as number;
      return out;
    });
  const hostTimes =
    timestampCol >= 0 ? { timesS: rows.map((r) => r[timestampCol] as number), sampleRateHz } : undefined;
  const timeline =
    indexCol >= 0
      ? counterTimeline(
          rows.map((r) => r[indexCol] as number),
          hostTimes,
        )
      : undefined;
  const timestamps =
    timeline !== undefined && timeline.droppedSamples > 0
      ? Float64Array.from(timeline.positions, (p) => startTimeMs + (p * 1000) / sampleRateHz)
      : undefined;
  const withTimes = (s: RecordedStream): RecordedStream =>
    timestamps === undefined ? s : { ...s, timestampsMs: timestamps };

  const exgDescriptor: StreamDescriptor = {
    id: 'exg',
    label: 'EXG',
    sampleRateHz,
    channels: exgCols.map((k, c) => ({
      id: `exg${c + 1}`,
      label: `EXG ${c + 1}`,
      kind: 'emg' as const,
      unit: 'uV' as const,
      rangeMin: -range,
      rangeMax: range,
    })),
  };
  const streams: RecordedStream[] = [withTimes({ descriptor: exgDescriptor, data: channelData(exgCols) })];
  if (accelCols.length > 0) {
    const axes = ['X', 'Y', 'Z'];
    streams.push(
      withTimes({
        descriptor: {
          id: 'accel',
          label: 'Accelerometer',
          sampleRateHz,
          channels: accelCols.map((_, c) => ({
            id: `acc${axes[c] ?? c + 1}`,
            label: `Accel ${axes[c] ?? c + 1}`,
            kind: 'accel' as const,
            unit: 'g' as const,
            rangeMin: -4,
            rangeMax: 4,
          })),
        },
        data: channelData(accelCols),
      }),
    );
  }
  const annotations: Annotation[] = [];
  if (markerCol >= 0) {
    rows.forEach((r, k) => {
      const v = r[markerCol] as number;
      if (v !== 0) {
        const p = timeline?.positions[k] ?? k;
        annotations.push({ onsetS: p / sampleRateHz, text: `Marker ${v}` });
      }
    });
  }
  const meta: Record<string, string> = {
    openbciVersion: isLegacy ? 'v3/v4' : 'v5/v6',
    droppedSamples: String(timeline?.droppedSamples ?? 0),
  };
  if (board !== '') meta.board = board;
  if (timeOfDay !== undefined && timeOfDay !== '') meta.firstSampleTime = timeOfDay;
  return { format: 'openbci-txt', source, startTimeMs, streams, annotations, meta };
}
