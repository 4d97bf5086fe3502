/**
 * OpenSignals text recordings (PLUX: BITalino, biosignalsplux; OpenSignals (r)evolution "Export as TXT").
 *
 * Source: PLUX's biosignalsnotebooks `load.py` `read_header`, opensignalsreader, spec/formats-addendum.md §2.
 * ```
 * # OpenSignals Text File Format
 * # {"00:07:80:4D:2E:AD": {"device": "biosignalsplux", "sampling rate": 1000, "channels": [1, 2, 3],
 *    "sensor": ["EMG", "EMG", "XYZ"], "label": ["CH1", "CH2", "CH3"], "column": ["nSeq", "DI", "CH1", …],
 *    "resolution": [16, 16, 16], "date": "2019-1-23", "time": "15:26:22.578", …}}
 * # EndOfHeader
 * 0	0	32816	32647	35932	          tab-separated raw integers, one row per sample (trailing tab)
 * ```
 * The JSON has one entry per device (keyed by MAC); a row holds the devices' `column` lists one after the
 * other, in key order. Each analog channel is the column its `label` names (else, in order, the last columns).
 * `resolution` is per column when it has as many entries as `column`, else per channel.
 *
 * Units ({@link pluxEmgMv}, {@link pluxAccG}): EMG sensors become µV, ACC sensors (`ACC`, `XYZ`, `cACC`,
 * `ACCBITREV`) g with the datasheet's default calibration; every other sensor stays in raw ADC counts, except
 * the phone sensors of OpenSignals for Android (device `android`), stored as written, unit unknown.
 * `nSeq` (BITalino: 4-bit, wraps 15 → 0) is used to count dropped samples. Date and time carry no time zone:
 * they are read as UTC. Malformed input is refused whole with the 1-based line.
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { ChannelDescriptor, SignalKind, Unit } from '../../shared/samples.js';
import type { PluxFamily } from '../../shared/plux-transfer.js';
import { pluxAccG, pluxEmgMv, pluxFamily } from '../../shared/plux-transfer.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { rangeAround } from './channel-range.js';
import { counterTimeline } from './packet-counter.js';

/** True when `text` starts like an OpenSignals text file. */
export const looksLikeOpenSignals = (text: string): boolean =>
  text.replace(/^\uFEFF/, '').startsWith('# OpenSignals Text File Format');

interface Device {
  key: string;
  device: string;
  rateHz: number;
  columns: string[];
  firstColumn: number;
  channels: { column: number; sensor: string; label: string; bits: number }[];
  date?: string;
  time?: string;
}

type Fail = (problem: string, line: number) => never;

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function describeDevices(json: unknown, fail: Fail): Device[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('the header line is not a JSON object of devices', 2);
  const devices: Device[] = [];
  let firstColumn = 0;
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const d = value as Record<string, unknown>;
    const where = `device ${key}`;
    if (typeof d !== 'object' || d === null) return fail(`${where}: not an object`, 2);
    const rateHz = d['sampling rate'];
    if (typeof rateHz !== 'number' || !(rateHz > 0) || !Number.isFinite(rateHz))
      return fail(`${where}: "sampling rate" must be a positive number`, 2);
    const columns = d.column;
    if (!isStringArray(columns) || columns.length === 0)
      return fail(`${where}: "column" must list the column names`, 2);
    const sensors = d.sensor;
    const labels = d.label;
    if (!isStringArray(sensors)) return fail(`${where}: "sensor" must be a list of names`, 2);
    if (!isStringArray(labels) || labels.length !== sensors.length)
      return fail(`${where}: "label" must name each of the ${sensors.length} sensors`, 2);
    const resolution = d.resolution;
    if (!isNumberArray(resolution)) return fail(`${where}: "resolution" must be a list of bit counts`, 2);
    const perColumn = resolution.length === columns.length;
    if (!perColumn && resolution.length !== sensors.length)
      return fail(
        `${where}: ${resolution.length} resolutions for ${columns.length} columns and ${sensors.length} channels`,
        2,
      );
    if (sensors.length > columns.length) return fail(`${where}: more sensors than columns`, 2);
    const taken = new Set<number>();
    const channels = sensors.map((sensor, k) => {
      const label = labels[k] as string;
      let column = columns.findIndex((c, i) => c === label && !taken.has(i));
      if (column < 0) column = columns.length - sensors.length + k;
      if (taken.has(column)) return fail(`${where}: two channels read column ${columns[column]}`, 2);
      taken.add(column);
      const bits = (perColumn ? resolution[column] : resolution[k]) as number;
      if (!Number.isInteger(bits) || bits < 1 || bits > 24)
        return fail(`${where}: resolution ${bits} bits for ${label}`, 2);
      return { column: firstColumn + column, sensor, label, bits };
    });
    devices.push({
      key,
      device: typeof d.device === 'string' ? d.device : 'unknown',
      rateHz,
      columns,
      firstColumn,
      channels,
      ...(typeof d.date === 'string' ? { date: d.date } : {}),
      ...(typeof d.time === 'string' ? { time: d.time } : {}),
    });
    firstColumn += columns.length;
  }
  if (devices.length === 0) return fail('the header names no device', 2);
  return devices;
}

/** ms since the epoch of OpenSignals' unpadded `date` ("2016-6-11") and `time` ("7:3:47.29"), as UTC. */
function startTime(date: string | undefined, time: string | undefined): number {
  const d = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date ?? '');
  const t = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?$/.exec(time ?? '');
  if (!d || !t) return 0;
  const ms = Math.round(Number(`0${t[4] ?? ''}`) * 1000);
  return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3]), ms);
}

type Conversion = {
  kind: SignalKind;
  unit: Unit;
  convert: (adc: number) => number;
  /** The converted ADC span; undefined for values that are not ADC codes (Android phone sensors). */
  range?: [number, number];
};

function conversionOf(sensor: string, device: string, family: PluxFamily, bits: number): Conversion {
  // OpenSignals for Android records the phone's own sensors in their physical units, unnamed.
  if (device === 'android') return { kind: 'other', unit: 'none', convert: (v) => v };
  const name = sensor.toUpperCase().replace(/BITREV$|BIT$/, '');
  if (name === 'EMG') {
    const convert = (adc: number): number => pluxEmgMv(adc, bits, family) * 1000;
    return { kind: 'emg', unit: 'uV', convert, range: [convert(0), convert(2 ** bits - 1)] };
  }
  if (name === 'ACC' || name === 'XYZ' || name === 'CACC') {
    const convert = (adc: number): number => pluxAccG(adc, bits, family);
    return { kind: 'accel', unit: 'g', convert, range: [convert(0), convert(2 ** bits - 1)] };
  }
  return { kind: 'other', unit: 'counts', convert: (adc) => adc, range: [0, 2 ** bits - 1] };
}

/** Parses an OpenSignals text file. Throws {@link RecordingFormatError} with the line number. */
export function parseOpenSignals(text: string, source: string): Recording {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail: Fail = (problem, line) => {
    throw new RecordingFormatError(source, problem, { line });
  };
  if (!looksLikeOpenSignals(lines[0] ?? ''))
    fail('not an OpenSignals text file: line 1 must be "# OpenSignals Text File Format"', 1);
  const headerLine = lines[1] ?? '';
  if (!headerLine.startsWith('#')) fail('line 2 must be "# {…}", the JSON header', 2);
  let json: unknown;
  try {
    json = JSON.parse(headerLine.slice(1));
  } catch (err) {
    fail(`the JSON header does not parse: ${(err as Error).message}`, 2);
  }
  const devices = describeDevices(json, fail);
  const rateHz = (devices[0] as Device).rateHz;
  const other = devices.find((d) => d.rateHz !== rateHz);
  if (other)
    fail(`devices at different rates in one file (${rateHz} and ${other.rateHz} Hz) share its rows`, 2);
  const end = lines.findIndex((l) => l.trim() === '# EndOfHeader');
  if (end < 0) fail('no "# EndOfHeader" line', 3);
  const width = devices.reduce((n, d) => n + d.columns.length, 0);

  const rows: Float64Array[] = [];
  for (let l = end + 1; l < lines.length; l++) {
    const line = (lines[l] ?? '').trim();
    if (line === '') continue;
    const cells = line.split(/\t+| +/);
    if (cells.length !== width) fail(`expected ${width} values, found ${cells.length}`, l + 1);
    const row = new Float64Array(width);
    cells.forEach((cell, k) => {
      const v = Number(cell);
      if (!Number.isFinite(v)) fail(`column ${k + 1} holds "${cell}", not a number`, l + 1);
      row[k] = v;
    });
    rows.push(row);
  }
  if (rows.length === 0) fail('no samples after the header', end + 2);

  const streams: RecordedStream[] = [];
  const meta: Record<string, string> = {};
  const annotations: Annotation[] = [];
  let dropped = 0;
  devices.forEach((dev, di) => {
    const family = pluxFamily(dev.device);
    const suffix = devices.length > 1 ? `-${di + 1}` : '';
    meta[`device${suffix}`] = `${dev.device} ${dev.key}`;
    const seqColumn = dev.columns.indexOf('nSeq');
    let timestampsMs: Float64Array | undefined;
    if (seqColumn >= 0) {
      // BITalino's sequence number has 4 bits; unwrap it so the counter model sees whole periods.
      const seq = rows.map((r) => r[dev.firstColumn + seqColumn] as number);
      if (family !== 'plux') {
        let wraps = 0;
        let previous = seq[0] as number;
        for (let k = 1; k < seq.length; k++) {
          const raw = seq[k] as number;
          if (raw < previous) wraps++;
          previous = raw;
          seq[k] = raw + wraps * 16;
        }
      }
      const timeline = counterTimeline(seq);
      dropped += timeline.droppedSamples;
      if (timeline.droppedSamples > 0)
        timestampsMs = Float64Array.from(
          timeline.positions,
          (p) => startTime(dev.date, dev.time) + (p * 1000) / rateHz,
        );
    }
    const groups = new Map<SignalKind, { channels: ChannelDescriptor[]; data: Float32Array[] }>();
    for (const ch of dev.channels) {
      const conv = conversionOf(ch.sensor, dev.device, family, ch.bits);
      const samples = Float32Array.from(rows, (r) => conv.convert(r[ch.column] as number));
      const group = groups.get(conv.kind) ?? { channels: [], data: [] };
      groups.set(conv.kind, group);
      group.channels.push({
        id: `${ch.label.replace(/\W+/g, '_')}${suffix}`,
        label: `${ch.sensor} ${ch.label}${devices.length > 1 ? ` (device ${di + 1})` : ''}`,
        kind: conv.kind,
        unit: conv.unit,
        ...(conv.range
          ? { rangeMin: Math.min(...conv.range), rangeMax: Math.max(...conv.range) }
          : rangeAround(samples)),
      });
      group.data.push(samples);
    }
    for (const [kind, group] of groups) {
      const id = `${kind === 'emg' ? 'emg' : kind === 'accel' ? 'acc' : 'raw'}${suffix}`;
      const label = kind === 'emg' ? 'EMG' : kind === 'accel' ? 'Accelerometer' : 'Other sensors (raw)';
      streams.push({
        descriptor: { id, label, sampleRateHz: rateHz, channels: group.channels },
        data: group.data,
        ...(timestampsMs ? { timestampsMs } : {}),
      });
    }
  });
  meta.droppedSamples = String(dropped);
  const first = devices[0] as Device;
  return {
    format: 'opensignals-txt',
    source,
    startTimeMs: startTime(first.date, first.time),
    streams,
    annotations,
    meta,
  };
}
