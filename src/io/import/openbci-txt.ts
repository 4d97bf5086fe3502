/**
 * OpenBCI GUI "OpenBCI CSV" recordings (`OpenBCI-RAW-*.txt`), every generation.
 *
 * Source: OpenBCI_GUI `DataWriterODF.pde` (v5/v6) and the v3/v4 `OutputFile_rawtxt`; spec/formats.md §2(a);
 * checked on the GUI's own samples (OpenBCI/OpenBCI_GUI `data/EEG_Sample_Data`, vendored in
 * fixtures/external/openbci-gui).
 * ```
 * v6                                        v5 (and the GUI's v3 sample)      v3/v4
 * %OpenBCI Raw EXG Data                     %OpenBCI Raw EEG Data             %OpenBCI Raw EEG Data
 * %Number of channels = 8                   %Number of channels = 8           %Sample Rate = 250.0 Hz
 * %Sample Rate = 250 Hz                     %Sample Rate = 250 Hz             %First Column = SampleIndex
 * %Board = OpenBCI_GUI$BoardCytonSerial     %Board = …                        %Last Column = Timestamp
 * Sample Index, EXG Channel 0, …            0.0,0.0,…,0.0  (not a sample)     0, -125246.01, …, 18:51:16.074
 * 0, 61379.36, …, 1557936053329,0, 12:00:53.329   0, 61379.36, …, 1557936053329, 12:00:53.329
 * ```
 * Rows are `", "`-separated. v6 names its columns (positions differ by board, mode and version, so columns
 * are found by name: `EXG Channel n`, `Accel Channel n`, `Sample Index`, `Timestamp`, `Marker Channel`,
 * `Timestamp (Formatted)`). v3/v4/v5 have no name row: Sample Index, the EXG channels, three accel columns,
 * then by their content a Unix `Timestamp` (a number of at least 1e9) and an `HH:mm:ss.SSS` time of day;
 * other columns are unused. `Timestamp` is Unix **milliseconds** in every GUI sample file (v3, v5, v6:
 * `1557936053329`) and Unix seconds in some older files (`1557936889.064`): a value of at least 1e11 is read
 * as ms. The first sample's timestamp is the recording start. A row whose every value is 0 is not a sample
 * (v5 writes one after the header). EXG is in µV (unfiltered, with DC offset), accel in g. `Sample Index` is
 * an 8-bit packet counter used to count dropped samples; the timestamps add losses of whole counter periods
 * only when the clock agrees with the sample count within 1 % (see `checkedTimeline`).
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { StreamDescriptor } from '../../shared/samples.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { checkChannelCount } from '../recording-validation.js';
import type { CheckedTimeline } from './packet-counter.js';
import { checkedTimeline, counterTimeline } from './packet-counter.js';

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
  if (declaredChannels !== undefined) {
    const line = lines.findIndex((l) => /^%\s*Number of channels\s*=/i.test(l)) + 1;
    if (!Number.isInteger(declaredChannels))
      fail(`"Number of channels" is "${header['number of channels']}", not a whole number`, line);
    checkChannelCount(source, 'Number of channels', declaredChannels, { line });
  }

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
    while (i < lines.length && isAllZero(lines[i] ?? '')) i++;
    const sample = (lines[i] ?? '').split(',').map((s) => s.trim());
    const isTimeOfDay = (cell: string): boolean => /^\d{1,2}:\d{2}:\d{2}(\.\d+)?$/.test(cell);
    const isUnixTime = (cell: string): boolean => /^\d+(\.\d+)?$/.test(cell) && Number(cell) >= 1e9;
    const clockCells = sample.filter((c, k) => k > 0 && (isTimeOfDay(c) || isUnixTime(c))).length;
    const exg = declaredChannels ?? sample.length - 1 - 3 - clockCells;
    if (!(exg >= 1)) fail(`cannot tell the channels apart in a row of ${sample.length} values`, i + 1);
    names = ['Sample Index', ...Array.from({ length: exg }, (_, k) => `EXG Channel ${k}`)];
    let accel = 0;
    for (let k = names.length; k < sample.length; k++) {
      const cell = sample[k] ?? '';
      if (isTimeOfDay(cell)) names.push('Time Of Day');
      else if (isUnixTime(cell)) names.push('Timestamp');
      else if (accel < 3) names.push(`Accel Channel ${accel++}`);
      else names.push(`Unused ${k}`);
    }
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
  let timeOfDay: string | undefined;
  for (let l = dataStart; l < lines.length; l++) {
    const line = lines[l] ?? '';
    if (line.trim() === '') continue;
    if (line.startsWith('%') || isAllZero(line)) continue;
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
    if (rows.length === 0 && timeOfDayCol >= 0) timeOfDay = (cells[timeOfDayCol] ?? '').trim();
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
  const firstStamp = timestampCol >= 0 ? ((rows[0] as number[])[timestampCol] as number) : 0;
  const stampS = firstStamp >= 1e11 ? 1e-3 : 1;
  const startTimeMs = Math.round(firstStamp * stampS * 1000);
  const hostTimes =
    timestampCol >= 0
      ? { timesS: rows.map((r) => (r[timestampCol] as number) * stampS), sampleRateHz }
      : undefined;
  const counters = indexCol >= 0 ? rows.map((r) => r[indexCol] as number) : undefined;
  const timeline: CheckedTimeline | undefined =
    counters === undefined
      ? undefined
      : hostTimes === undefined
        ? counterTimeline(counters)
        : checkedTimeline(counters, hostTimes);
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
  const clockNote = timeline?.clockDisagreement;
  if (clockNote !== undefined) annotations.unshift({ onsetS: 0, text: `Clock: ${clockNote}` });
  const meta: Record<string, string> = {
    openbciVersion: !isLegacy ? 'v6' : timestampCol >= 0 && names.length > 16 ? 'v5' : 'v3/v4',
    droppedSamples: String(timeline?.droppedSamples ?? 0),
  };
  if (board !== '') meta.board = board;
  if (timeOfDay !== undefined && timeOfDay !== '') meta.firstSampleTime = timeOfDay;
  if (clockNote !== undefined) meta.clockDisagreement = clockNote;
  return { format: 'openbci-txt', source, startTimeMs, streams, annotations, meta };
}

/** A row of zeros only (v5 writes one after the header): not a sample. */
function isAllZero(line: string): boolean {
  const cells = line.split(',');
  return cells.length > 1 && cells.every((c) => c.trim() !== '' && Number(c) === 0);
}
