/**
 * Readers for the plain-text recordings Tonus imports for analysis.
 *
 * 1. BioSPPy "Simple Text Format" (PIA-Group/BioSPPy, `biosppy/storage.py` `load_txt`, examples/*.txt):
 *    header lines starting with `#`, each `# Key:= value` (`Sampling Rate (Hz)`, `Resolution` in bits,
 *    optional `Units`, `Labels` tab-separated), then one sample per line with one value per channel,
 *    tab- or space-separated. Without `Units`, a `Resolution` > 0 means raw ADC counts in [0, 2^bits − 1].
 *    Known quirk: BioSPPy's acc.txt says `m/s^2` but holds g; an accelerometer whose median vector
 *    magnitude lies in 0.5–1.5 is read as g and the correction is noted in `meta.unitNote`.
 * 2. CSV with one header row whose column names carry the unit as a suffix (UCI "EMG dataset in Lower
 *    Limb" as published by pyemgpipeline: `time_s, <muscle>_mV, knee_flexion_deg`; mhealthtools:
 *    `timestamp_s, userAcc_x_g, rotRate_x_rad_s, attitude_w`). Names may be double-quoted. The time
 *    column (`time_s` or `timestamp_s`, seconds) gives the sample rate as (n − 1) / (t_last − t_first).
 *    Suffixes: `_uV`/`_mV`/`_V` → EMG; `_deg` → joint angle; `_g` or `_m_s2` → accelerometer when the
 *    name contains `acc`, otherwise `other`; `_rad_s`/`_deg_s` → gyroscope; anything else → `other`, unit
 *    `none`. Channels are grouped into one stream per signal kind (`emg`, `imu`, `angle`, `other`).
 *
 * Malformed input (missing rate, non-numeric value, wrong column count, non-increasing time) is refused
 * with an Error naming the file and the 1-based line.
 */
import type { Recording, RecordedStream } from '../shared/recording.js';
import type { ChannelDescriptor, SignalKind, Unit } from '../shared/samples.js';
import { RecordingFormatError } from './recording-format-error.js';
import { checkChannelCount, checkSampleRate, checkStorableValue } from './recording-validation.js';
import { float32Column, type GrowableColumn } from './growable-column.js';
import { readTextLines } from './text-lines.node.js';

/**
 * Reads a BioSPPy text file or a unit-suffixed CSV into a {@link Recording}; the format is sniffed. The file
 * is read line by line into typed arrays: memory is the decoded samples plus one chunk, whatever its size.
 */
export function readTextRecordingFile(path: string): Recording {
  return parseTextLines(readTextLines(path), path);
}

/** {@link readTextRecordingFile}, as a promise. */
export async function readTextRecording(path: string): Promise<Recording> {
  return readTextRecordingFile(path);
}

/** Whether `text` (the start of a file) is BioSPPy's "Simple Text Format" or a CSV with a time column. */
export function looksLikeTextRecording(text: string): 'biosppy-txt' | 'csv' | undefined {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.startsWith('# Simple Text Format')) return 'biosppy-txt';
  return /(^|,)"?(time_s|timestamp_s)"?(,|$)/.test(firstLine) ? 'csv' : undefined;
}

/** Parses text already in memory; `source` names it in errors. */
export function parseTextRecording(text: string, source: string): Recording {
  return parseTextLines(text.replace(/^\uFEFF/, '').split(/\r?\n/), source);
}

/** Parses the lines of a text recording (no byte-order mark); `source` names it in errors. */
function parseTextLines(lines: Iterable<string>, source: string): Recording {
  const it = lines[Symbol.iterator]();
  const first = it.next();
  const firstLine = first.done ? '' : first.value;
  return firstLine.startsWith('#')
    ? parseBiosppy(firstLine, it, source)
    : parseUnitCsv(firstLine, it, source);
}

const fail = (source: string, line: number, what: string): never => {
  throw new RecordingFormatError(source, what, { line });
};

function parseNumber(token: string, source: string, line: number): number {
  const v = Number(token);
  if (token.trim() === '' || !Number.isFinite(v))
    fail(source, line, `not a number: ${JSON.stringify(token)}`);
  checkStorableValue(source, `value ${JSON.stringify(token)}`, v, { line });
  return v;
}

function kindFromLabel(label: string): SignalKind {
  if (/emg/i.test(label)) return 'emg';
  if (/acc/i.test(label)) return 'accel';
  if (/gyr|rot/i.test(label)) return 'gyro';
  if (/angle|_deg$/i.test(label)) return 'angle';
  return 'other';
}

const unitAliases: Record<string, Unit> = {
  uv: 'uV',
  µv: 'uV',
  mv: 'mV',
  v: 'V',
  g: 'g',
  'm/s^2': 'm/s^2',
  'm/s2': 'm/s^2',
  'deg/s': 'deg/s',
  'rad/s': 'rad/s',
  deg: 'deg',
};

function parseBiosppy(firstLine: string, rest: Iterator<string>, source: string): Recording {
  const header: Record<string, string> = {};
  let lineNo = 1;
  let l: string | undefined = firstLine;
  while (l !== undefined && l.startsWith('#')) {
    const m = /^#\s*([^:]+?)\s*:=\s*(.*)$/.exec(l);
    if (m) header[m[1] ?? ''] = m[2] ?? '';
    const next = rest.next();
    l = next.done ? undefined : next.value;
    lineNo++;
  }
  const rateText = header['Sampling Rate (Hz)'];
  if (rateText === undefined) fail(source, 1, 'header has no "Sampling Rate (Hz):=" line');
  const sampleRateHz = parseNumber(rateText ?? '', source, 1);
  if (!(sampleRateHz > 0)) fail(source, 1, `sampling rate must be positive, got ${sampleRateHz}`);
  checkSampleRate(source, 'Sampling Rate (Hz)', sampleRateHz, { line: 1 });
  const resolutionBits = header.Resolution !== undefined ? Number(header.Resolution) : 0;
  const columns: GrowableColumn<Float32Array>[] = [];
  let width = -1;
  const firstDataLine = lineNo;
  for (; l !== undefined; lineNo++) {
    const t = l.trim();
    if (t !== '') {
      const tokens = t.split(/[\t ,]+/);
      if (width < 0) {
        width = tokens.length;
        checkChannelCount(source, 'columns', width, { line: lineNo });
        for (let k = 0; k < width; k++) columns.push(float32Column());
      } else if (tokens.length !== width)
        fail(source, lineNo, `expected ${width} values, found ${tokens.length}`);
      for (let k = 0; k < width; k++) columns[k]?.push(parseNumber(tokens[k] ?? '', source, lineNo));
    }
    const next = rest.next();
    l = next.done ? undefined : next.value;
  }
  if (width < 0) fail(source, firstDataLine, 'no samples after the header');
  const labels = (header.Labels ?? '')
    .split('\t')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const declared = header.Units ? unitAliases[header.Units.trim().toLowerCase()] : undefined;
  const meta: Record<string, string> = { ...header };
  const channels: ChannelDescriptor[] = [];
  const data: Float32Array[] = [];
  const kinds = columns.map((_, k) => kindFromLabel(labels[k] ?? (width === 1 ? 'EMG' : `ch${k + 1}`)));
  let accelInG = false;
  if (declared === 'm/s^2' && kinds.every((k) => k === 'accel')) {
    const n = columns[0]?.length ?? 0;
    const mags: number[] = [];
    for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 1000)))
      mags.push(Math.sqrt(columns.reduce((sum, col) => sum + (col.at(i) ?? 0) ** 2, 0)));
    mags.sort((a, b) => a - b);
    const median = mags[Math.floor(mags.length / 2)] ?? 0;
    if (median > 0.5 && median < 1.5) {
      accelInG = true;
      meta.unitNote = `header says m/s^2 but the median magnitude is ${median.toFixed(3)}: read as g`;
    }
  }
  columns.forEach((col, k) => {
    const label = labels[k] ?? (width === 1 ? 'EMG' : `ch${k + 1}`);
    const kind = kinds[k] ?? 'other';
    const unit: Unit = accelInG ? 'g' : (declared ?? (resolutionBits > 0 ? 'counts' : 'none'));
    const rangeMax = unit === 'counts' ? 2 ** resolutionBits - 1 : Infinity;
    const rangeMin = unit === 'counts' ? 0 : -Infinity;
    channels.push({ id: label.replace(/\W+/g, '_'), label, kind, unit, rangeMin, rangeMax });
    data.push(col.toArray());
  });
  return {
    format: 'biosppy-txt',
    source,
    startTimeMs: 0,
    streams: groupByKind(channels, data, sampleRateHz),
    annotations: [],
    meta,
  };
}

const suffixUnits: ReadonlyArray<[RegExp, Unit]> = [
  [/_rad_s$/i, 'rad/s'],
  [/_deg_s$/i, 'deg/s'],
  [/_m_s2$/i, 'm/s^2'],
  [/_uV$/, 'uV'],
  [/_mV$/, 'mV'],
  [/_V$/, 'V'],
  [/_deg$/i, 'deg'],
  [/_g$/i, 'g'],
];

function describeColumn(name: string): { kind: SignalKind; unit: Unit } {
  const unit = suffixUnits.find(([re]) => re.test(name))?.[1] ?? 'none';
  switch (unit) {
    case 'uV':
    case 'mV':
    case 'V':
      return { kind: 'emg', unit };
    case 'deg':
      return { kind: 'angle', unit };
    case 'rad/s':
    case 'deg/s':
      return { kind: 'gyro', unit };
    case 'g':
    case 'm/s^2':
      return { kind: /acc/i.test(name) ? 'accel' : 'other', unit };
    default:
      return { kind: 'other', unit };
  }
}

function splitCsvLine(l: string): string[] {
  return l.split(',').map((t) => t.trim().replace(/^"(.*)"$/, '$1'));
}

function parseUnitCsv(headerLine: string, rest: Iterator<string>, source: string): Recording {
  const names = splitCsvLine(headerLine);
  const timeIdx = names.findIndex((n) => n === 'time_s' || n === 'timestamp_s');
  if (timeIdx < 0) fail(source, 1, 'CSV header has no time column (time_s or timestamp_s)');
  checkChannelCount(source, 'signal columns besides time', names.length - 1, { line: 1 });
  // The time column gives the rate and the start: its first and last values and its count are all it takes.
  const time = { first: 0, last: 0, length: 0 };
  const columns = names.map((_, k) => (k === timeIdx ? undefined : float32Column()));
  let lineNo = 1;
  for (let next = rest.next(); !next.done; next = rest.next()) {
    lineNo++;
    const l = next.value.trim();
    if (l === '') continue;
    const tokens = splitCsvLine(l);
    if (tokens.length !== names.length)
      fail(source, lineNo, `expected ${names.length} values, found ${tokens.length}`);
    for (let k = 0; k < tokens.length; k++) {
      const v = parseNumber(tokens[k] ?? '', source, lineNo);
      if (k === timeIdx) {
        if (time.length > 0 && !(v > time.last)) fail(source, lineNo, 'time does not increase');
        if (time.length === 0) time.first = v;
        time.last = v;
        time.length++;
      } else columns[k]?.push(v);
    }
  }
  if (time.length < 2) fail(source, 2, 'need at least two samples');
  const sampleRateHz = (time.length - 1) / (time.last - time.first);
  checkSampleRate(source, `${names[timeIdx]} column`, sampleRateHz, { line: 2 });
  const channels: ChannelDescriptor[] = [];
  const data: Float32Array[] = [];
  names.forEach((name, k) => {
    if (k === timeIdx) return;
    const { kind, unit } = describeColumn(name);
    channels.push({ id: name, label: name, kind, unit, rangeMin: -Infinity, rangeMax: Infinity });
    data.push(columns[k]?.toArray() ?? new Float32Array(0));
  });
  return {
    format: 'csv',
    source,
    startTimeMs: Math.round(time.first * 1000),
    streams: groupByKind(channels, data, sampleRateHz),
    annotations: [],
    meta: {},
  };
}

const streamOf = (kind: SignalKind): string =>
  kind === 'emg' ? 'emg' : kind === 'accel' || kind === 'gyro' ? 'imu' : kind === 'angle' ? 'angle' : 'other';

function groupByKind(
  channels: ChannelDescriptor[],
  data: Float32Array[],
  sampleRateHz: number,
): RecordedStream[] {
  const streams = new Map<string, RecordedStream>();
  channels.forEach((ch, k) => {
    const id = streamOf(ch.kind);
    let s = streams.get(id);
    if (!s) {
      s = { descriptor: { id, label: id.toUpperCase(), sampleRateHz, channels: [] }, data: [] };
      streams.set(id, s);
    }
    const column = data[k] ?? new Float32Array(0);
    (s.descriptor.channels as ChannelDescriptor[]).push(withKnownRange(ch, column));
    s.data.push(column);
  });
  return [...streams.values()];
}

/**
 * A text file does not state a channel's range (±Infinity here): the range becomes the values the column
 * holds, so that what is stored is finite and an export can scale it.
 */
function withKnownRange(ch: ChannelDescriptor, column: Float32Array): ChannelDescriptor {
  if (Number.isFinite(ch.rangeMin) && Number.isFinite(ch.rangeMax)) return ch;
  let min = Infinity;
  let max = -Infinity;
  for (const v of column) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return { ...ch, rangeMin: 0, rangeMax: 0 };
  return {
    ...ch,
    rangeMin: Number.isFinite(ch.rangeMin) ? Math.min(ch.rangeMin, min) : min,
    rangeMax: Number.isFinite(ch.rangeMax) ? Math.max(ch.rangeMax, max) : max,
  };
}
