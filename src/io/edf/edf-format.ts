/**
 * EDF+ / BDF+ byte layout, shared by the reader and the writer.
 *
 * Sources: edfplus.info/specs/edf.html and /edfplus.html (EDF, EDF+ and TALs), biosemi.com/faq/file_format.htm
 * (BDF), teuniz.net's BDF+ description; summarised in spec/formats.md §1.
 *
 * ```
 * Header, 256 + ns*256 bytes, printable ASCII (32..126), fields left-justified and space-padded:
 *   off  len  field
 *     0    8  version: EDF "0       "; BDF the raw byte 0xFF then "BIOSEMI"
 *     8   80  local patient id   "code sex birthdate name" (X = unknown, no spaces inside a subfield)
 *    88   80  local recording id "Startdate dd-MMM-yyyy admincode technician equipment"
 *   168    8  start date dd.mm.yy (yy 85..99 = 19yy, 00..84 = 20yy)
 *   176    8  start time hh.mm.ss (24-hour clock)
 *   184    8  header bytes = 256 * (ns + 1)
 *   192   44  reserved: "EDF+C" / "EDF+D" (BDF+: "BDF+C" / "BDF+D"; plain BDF "24BIT")
 *   236    8  number of data records (-1 while a writer is still appending)
 *   244    8  duration of a data record, s
 *   252    4  ns, number of signals (including the annotation signal)
 *   then per field, ns values each: label 16, transducer 80, physical dimension 8, physical min 8,
 *   physical max 8, digital min 8, digital max 8, prefiltering 80, samples per record 8, reserved 32
 * Data records, one after another; in each, all samples of signal 0, then signal 1, ...
 *   EDF: int16 little-endian two's complement; BDF: int24 little-endian two's complement.
 *   physical = (digital - digitalMin) * (physicalMax - physicalMin) / (digitalMax - digitalMin) + physicalMin
 * Annotation signal ("EDF Annotations" / "BDF Annotations"): bytes holding TALs
 *   +<onset>[\x15<duration>]\x14<text>\x14[<text>\x14...]\x00, unused bytes \x00.
 *   The first TAL of every record is the time-keeping TAL "+<record start>\x14\x14" (it may carry further texts).
 * ```
 *
 * Tonus conventions inside the standard (other readers simply see extra text):
 * - the transducer field ends with `(tonus:<streamId>/<channelId> <kind>[ joint])` so streams survive a round
 *   trip; ` joint` marks the stream's joint-axis gyro channel (the stretch velocity);
 * - the annotation `Recording ends` (EDFlib's and EDFbrowser's text for it) sits at the true end of the data.
 *   A record cannot be partial, so when the data do not fill the last record, that record is padded with each
 *   channel's last value after this annotation. Whole-recording exports choose a record duration that divides
 *   the recording's length whenever one of 1 s … 0.01 s does, so other readers (MNE) see no padding at all;
 *   on reading, Tonus drops the samples after `Recording ends`. Only when the streams end more than half a
 *   sample apart does the writer add `tonus:samples <streamId>=<count> ...` at the end with each stream's
 *   true length (files written before `Recording ends` was used always carry it; it still wins on reading);
 * - samples inside a `Gap` annotation are filler (each channel's last value), as EDF records cannot be
 *   partial.
 */
import type { SignalKind, Unit } from '../../shared/samples.js';

export type EdfKind = 'edf' | 'bdf';

export const HEADER_FIXED_BYTES = 256;
export const HEADER_BYTES_PER_SIGNAL = 256;

/** Bytes per sample and digital range of each kind. */
export const SAMPLE_FORMAT: Record<EdfKind, { bytes: number; digitalMin: number; digitalMax: number }> = {
  edf: { bytes: 2, digitalMin: -32768, digitalMax: 32767 },
  bdf: { bytes: 3, digitalMin: -8388608, digitalMax: 8388607 },
};

export const ANNOTATION_LABEL: Record<EdfKind, string> = {
  edf: 'EDF Annotations',
  bdf: 'BDF Annotations',
};

/** Byte offsets of the fixed header fields. */
export const FIELD = {
  version: [0, 8],
  patientId: [8, 80],
  recordingId: [88, 80],
  startDate: [168, 8],
  startTime: [176, 8],
  headerBytes: [184, 8],
  reserved: [192, 44],
  records: [236, 8],
  recordDurationS: [244, 8],
  signalCount: [252, 4],
} as const;

/** Per-signal fields in header order with their widths; each block holds ns values. */
export const SIGNAL_FIELDS = [
  ['label', 16],
  ['transducer', 80],
  ['physicalDimension', 8],
  ['physicalMin', 8],
  ['physicalMax', 8],
  ['digitalMin', 8],
  ['digitalMax', 8],
  ['prefiltering', 80],
  ['samplesPerRecord', 8],
  ['reserved', 32],
] as const;

export type SignalFieldName = (typeof SIGNAL_FIELDS)[number][0];

/** Offset of signal `index`'s value of `field` in a header with `ns` signals. */
export function signalFieldOffset(field: SignalFieldName, index: number, ns: number): number {
  let offset = HEADER_FIXED_BYTES;
  for (const [name, width] of SIGNAL_FIELDS) {
    if (name === field) return offset + index * width;
    offset += width * ns;
  }
  throw new Error(`unknown EDF signal field ${field}`);
}

export const TAL_ONSET = 0x2b; // '+'
export const TAL_DURATION = 0x15;
export const TAL_SEPARATOR = 0x14;
export const TAL_END = 0x00;

/** Text of the annotation that records each stream's true sample count (see the module comment). */
export const SAMPLES_ANNOTATION_PREFIX = 'tonus:samples';

/** Text of the annotation at the true end of the data (see the module comment). */
export const RECORDING_ENDS = 'Recording ends';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** The EDF+ `dd-MMM-yyyy` form of a UTC date. */
export function edfPlusDate(date: Date): string {
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${dd}-${MONTHS[date.getUTCMonth()] ?? 'JAN'}-${date.getUTCFullYear()}`;
}

/** Parses `dd-MMM-yyyy`; undefined for anything else (including `X`). */
export function parseEdfPlusDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{2})-([A-Z]{3})-(\d{4})$/.exec(text.toUpperCase());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return undefined;
  return { year: Number(m[3]), month, day: Number(m[1]) };
}

/** Physical dimension text for a unit (8 chars at most). */
export function unitToDimension(unit: Unit): string {
  return unit === 'none' ? '' : unit;
}

/** Unit for a physical dimension, `none` when Tonus does not know it. */
export function dimensionToUnit(dimension: string): Unit {
  const known: Record<string, Unit> = {
    uV: 'uV',
    µV: 'uV',
    mV: 'mV',
    V: 'V',
    g: 'g',
    'm/s^2': 'm/s^2',
    'm/s2': 'm/s^2',
    'deg/s': 'deg/s',
    'rad/s': 'rad/s',
    deg: 'deg',
    counts: 'counts',
  };
  return known[dimension] ?? 'none';
}

/** A guess of the signal kind of a foreign signal from its label and unit. */
export function guessKind(label: string, unit: Unit): SignalKind {
  const l = label.toLowerCase();
  if (l.startsWith('emg') || unit === 'uV' || unit === 'mV') return 'emg';
  if (l.includes('acc') || unit === 'g' || unit === 'm/s^2') return 'accel';
  if (l.includes('gyr') || unit === 'deg/s' || unit === 'rad/s') return 'gyro';
  if (unit === 'deg' || l.includes('angle')) return 'angle';
  return 'other';
}

/** Default transducer text for a kind. */
export function transducerFor(kind: SignalKind): string {
  switch (kind) {
    case 'emg':
      return 'AgAgCl electrode';
    case 'accel':
      return 'MEMS accelerometer';
    case 'gyro':
      return 'MEMS gyroscope';
    case 'angle':
      return 'goniometer';
    default:
      return '';
  }
}

const SIGNAL_KINDS: readonly SignalKind[] = ['emg', 'accel', 'gyro', 'angle', 'marker', 'other'];

/** What a Tonus transducer tag says about a signal. */
export interface TransducerTag {
  streamId: string;
  channelId: string;
  kind: SignalKind;
  /** The stream's joint-axis gyro channel: the stretch velocity. */
  isJointAxis: boolean;
}

/** Tonus tag in a transducer field: `(tonus:stream/channel kind[ joint])`. */
export function transducerTag({ streamId, channelId, kind, isJointAxis }: TransducerTag): string {
  return `(tonus:${streamId}/${channelId} ${kind}${isJointAxis ? ' joint' : ''})`;
}

/** The tag at the end of a transducer field, or undefined when there is none or its kind is unknown. */
export function parseTransducerTag(transducer: string): TransducerTag | undefined {
  const m = /\(tonus:([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+) ([a-z]+)( joint)?\)\s*$/.exec(transducer);
  if (!m) return undefined;
  const kind = SIGNAL_KINDS.find((k) => k === m[3]);
  if (kind === undefined) return undefined;
  return { streamId: m[1] ?? '', channelId: m[2] ?? '', kind, isJointAxis: m[4] !== undefined };
}

/**
 * Header fields must be bytes 32..126: letters with accents lose them (`ü` → `u`), anything else outside
 * printable ASCII becomes `_`.
 */
export function printableAscii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}

/**
 * Formats a physical limit in at most 8 characters, rounding outward: `down` for a minimum (result ≤ value),
 * up for a maximum (result ≥ value). Throws when the magnitude cannot fit in 8 characters.
 */
export function formatLimit(value: number, down: boolean): string {
  if (!Number.isFinite(value)) throw new Error(`physical limit ${value} is not a finite number`);
  const plain = String(value);
  if (plain.length <= 8 && !/e/i.test(plain)) return plain;
  for (let decimals = 7; decimals >= 0; decimals--) {
    const scale = 10 ** decimals;
    const rounded = (down ? Math.floor(value * scale) : Math.ceil(value * scale)) / scale;
    let text = rounded
      .toFixed(decimals)
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
    if (text === '-0') text = '0';
    if (text.length <= 8) return text;
  }
  throw new Error(`physical limit ${value} does not fit in the 8 characters EDF allows`);
}

/** Seconds as a TAL onset: mandatory sign, up to 7 decimals, no trailing zeros. */
export function formatOnset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  return sign + formatSeconds(Math.abs(seconds));
}

/** Non-negative seconds with up to 7 decimals and no trailing zeros. */
export function formatSeconds(seconds: number): string {
  return seconds
    .toFixed(7)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

/** Left-justified, space-padded ASCII field of `width` bytes; throws if `text` is longer. */
export function padField(text: string, width: number, what: string): string {
  if (text.length > width)
    throw new Error(`EDF header field ${what} "${text}" is longer than ${width} characters`);
  return text.padEnd(width, ' ');
}
