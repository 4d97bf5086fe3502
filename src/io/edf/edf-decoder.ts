/**
 * Pure EDF/EDF+/BDF/BDF+ reader (byte layout in ./edf-format.ts). Strict: the header must be printable
 * ASCII with consistent sizes, the data must match the declared record count exactly (or, with records =
 * -1 as left by a killed writer, hold whole records followed by at most one partial record, which is
 * ignored), and every EDF+ record must start with its time-keeping TAL.
 */
import { MAX_ABS_VALUE } from '../recording-validation.js';
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { ChannelDescriptor, SignalKind, StreamDescriptor, Unit } from '../../shared/samples.js';
import { PAUSE_MARKER_PREFIX } from '../../shared/api/session-api.js';
import { RecordingFormatError } from '../recording-format-error.js';
import type { EdfKind } from './edf-format.js';
import {
  ANNOTATION_LABEL,
  dimensionToUnit,
  FIELD,
  guessKind,
  HEADER_FIXED_BYTES,
  parseEdfPlusDate,
  parseTransducerTag,
  RECORDING_ENDS,
  SAMPLE_FORMAT,
  SAMPLES_ANNOTATION_PREFIX,
  signalFieldOffset,
  TAL_DURATION,
  TAL_END,
  TAL_SEPARATOR,
} from './edf-format.js';

/** What the header says about one signal. */
export interface EdfSignalHeader {
  label: string;
  transducer: string;
  physicalDimension: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  isAnnotation: boolean;
}

export interface EdfHeader {
  kind: EdfKind;
  /** `EDF+C`, `EDF+D`, `BDF+C`, `BDF+D`, `24BIT` or empty. */
  reserved: string;
  isPlus: boolean;
  isDiscontinuous: boolean;
  patientId: string;
  recordingId: string;
  /** Header start date and time, ms since the epoch read as UTC; 0 when the recording id says `Startdate X`. */
  startTimeMs: number;
  headerBytes: number;
  /** As declared; -1 when the writer did not finish. */
  declaredRecords: number;
  recordDurationS: number;
  signals: EdfSignalHeader[];
  recordBytes: number;
}

const DECODER = new TextDecoder('utf-8', { fatal: false });

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = offset; i < offset + length; i++) s += String.fromCharCode(bytes[i] as number);
  return s.trimEnd();
}

/** Reads and validates the header; throws {@link RecordingFormatError} naming the field and its offset. */
export function decodeEdfHeader(bytes: Uint8Array, source: string): EdfHeader {
  const fail = (what: string, byteOffset: number): never => {
    throw new RecordingFormatError(source, what, { byteOffset });
  };
  if (bytes.length < HEADER_FIXED_BYTES)
    fail(`file is truncated: ${bytes.length} bytes, shorter than the 256-byte EDF header`, bytes.length);
  let kind: EdfKind;
  if (bytes[0] === 0xff && ascii(bytes, 1, 7) === 'BIOSEMI') kind = 'bdf';
  else if (ascii(bytes, 0, 8) === '0') kind = 'edf';
  else
    return fail(
      `not an EDF or BDF file: the version field must be "0" (EDF) or byte 0xFF then "BIOSEMI" (BDF)`,
      0,
    );
  const checkPrintable = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const b = bytes[i] as number;
      if (b < 32 || b > 126)
        fail(`header byte 0x${b.toString(16).padStart(2, '0')} is not printable ASCII`, i);
    }
  };
  checkPrintable(kind === 'bdf' ? 1 : 0, HEADER_FIXED_BYTES);
  const field = (name: keyof typeof FIELD): string => ascii(bytes, FIELD[name][0], FIELD[name][1]);
  const integer = (text: string, what: string, offset: number): number => {
    if (!/^[+-]?\d+$/.test(text)) fail(`${what} "${text}" is not an integer`, offset);
    return Number(text);
  };
  const decimal = (text: string, what: string, offset: number): number => {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
      fail(`${what} "${text}" is not a number`, offset);
    const value = Number(text);
    if (!(Math.abs(value) <= MAX_ABS_VALUE))
      fail(
        `${what} "${text}" is not a finite 32-bit number (at most ±${MAX_ABS_VALUE.toPrecision(3)})`,
        offset,
      );
    return value;
  };
  const ns = integer(field('signalCount'), 'number of signals', FIELD.signalCount[0]);
  if (ns < 1) fail(`number of signals is ${ns}`, FIELD.signalCount[0]);
  const headerBytes = integer(field('headerBytes'), 'header size', FIELD.headerBytes[0]);
  if (headerBytes !== 256 * (ns + 1))
    fail(
      `header size ${headerBytes} does not match ${ns} signals (expected ${256 * (ns + 1)})`,
      FIELD.headerBytes[0],
    );
  if (bytes.length < headerBytes)
    fail(`file is truncated inside the header: ${bytes.length} of ${headerBytes} header bytes`, bytes.length);
  checkPrintable(HEADER_FIXED_BYTES, headerBytes);
  const reserved = field('reserved');
  const isPlus = /^(EDF|BDF)\+[CD]/.test(reserved);
  if (isPlus && reserved.slice(0, 3) !== (kind === 'bdf' ? 'BDF' : 'EDF'))
    fail(
      `mislabeled: a ${kind.toUpperCase()} version field with reserved field "${reserved.slice(0, 5)}"`,
      FIELD.reserved[0],
    );
  const isDiscontinuous = isPlus && reserved[4] === 'D';
  const declaredRecords = integer(field('records'), 'number of data records', FIELD.records[0]);
  if (declaredRecords < -1) fail(`number of data records is ${declaredRecords}`, FIELD.records[0]);
  const recordDurationS = decimal(field('recordDurationS'), 'record duration', FIELD.recordDurationS[0]);
  if (!(recordDurationS > 0))
    fail(`record duration ${recordDurationS} s is not positive`, FIELD.recordDurationS[0]);

  const fmt = SAMPLE_FORMAT[kind];
  const signals: EdfSignalHeader[] = [];
  for (let i = 0; i < ns; i++) {
    const text = (name: Parameters<typeof signalFieldOffset>[0], width: number): [string, number] => {
      const offset = signalFieldOffset(name, i, ns);
      return [ascii(bytes, offset, width), offset];
    };
    const [label] = text('label', 16);
    const isAnnotation = label === 'EDF Annotations' || label === 'BDF Annotations';
    const num = (name: Parameters<typeof signalFieldOffset>[0], isInt: boolean): number => {
      const [t, o] = text(name, 8);
      return isInt ? integer(t, `signal ${i + 1} ${name}`, o) : decimal(t, `signal ${i + 1} ${name}`, o);
    };
    const signal: EdfSignalHeader = {
      label,
      transducer: text('transducer', 80)[0],
      physicalDimension: text('physicalDimension', 8)[0],
      physicalMin: num('physicalMin', false),
      physicalMax: num('physicalMax', false),
      digitalMin: num('digitalMin', true),
      digitalMax: num('digitalMax', true),
      prefiltering: text('prefiltering', 80)[0],
      samplesPerRecord: num('samplesPerRecord', true),
      isAnnotation,
    };
    const at = (name: Parameters<typeof signalFieldOffset>[0]): number => signalFieldOffset(name, i, ns);
    if (signal.samplesPerRecord < 1)
      fail(
        `signal ${i + 1} (${label}) has ${signal.samplesPerRecord} samples per record`,
        at('samplesPerRecord'),
      );
    if (!isAnnotation) {
      if (signal.digitalMax <= signal.digitalMin)
        fail(
          `signal ${i + 1} (${label}) digital max ${signal.digitalMax} is not above its min`,
          at('digitalMax'),
        );
      if (signal.digitalMin < fmt.digitalMin || signal.digitalMax > fmt.digitalMax)
        fail(
          `signal ${i + 1} (${label}) digital range ${signal.digitalMin}..${signal.digitalMax} exceeds ${kind.toUpperCase()}'s ${fmt.digitalMin}..${fmt.digitalMax}`,
          at('digitalMin'),
        );
      if (signal.physicalMax === signal.physicalMin)
        fail(`signal ${i + 1} (${label}) physical max equals physical min`, at('physicalMax'));
      if (!(Math.abs(signal.physicalMax - signal.physicalMin) <= MAX_ABS_VALUE))
        fail(
          `signal ${i + 1} (${label}) physical range ${signal.physicalMin}..${signal.physicalMax} is too wide for 32-bit samples`,
          at('physicalMin'),
        );
    } else if (label !== ANNOTATION_LABEL[kind] && isPlus) {
      fail(`mislabeled: ${kind.toUpperCase()}+ file with a "${label}" signal`, at('label'));
    }
    signals.push(signal);
  }
  if (isPlus && !signals.some((s) => s.isAnnotation))
    fail(`${reserved.slice(0, 5)} file has no "${ANNOTATION_LABEL[kind]}" signal`, HEADER_FIXED_BYTES);

  const patientId = field('patientId');
  const recordingId = field('recordingId');
  const startTimeMs = parseStart(field('startDate'), field('startTime'), recordingId, isPlus, (what, off) =>
    fail(what, off),
  );
  const recordBytes = signals.reduce((n, s) => n + s.samplesPerRecord * fmt.bytes, 0);
  return {
    kind,
    reserved,
    isPlus,
    isDiscontinuous,
    patientId,
    recordingId,
    startTimeMs,
    headerBytes,
    declaredRecords,
    recordDurationS,
    signals,
    recordBytes,
  };
}

function parseStart(
  date: string,
  time: string,
  recordingId: string,
  isPlus: boolean,
  fail: (what: string, offset: number) => never,
): number {
  const d = /^(\d{2})\.(\d{2})\.(\d{2}|yy)$/.exec(date);
  if (!d) return fail(`start date "${date}" is not dd.mm.yy`, FIELD.startDate[0]);
  const t = /^(\d{2})\.(\d{2})\.(\d{2})$/.exec(time);
  if (!t) return fail(`start time "${time}" is not hh.mm.ss`, FIELD.startTime[0]);
  const [hh, mi, ss] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (hh > 23 || mi > 59 || ss > 59)
    return fail(`start time "${time}" is not a 24-hour time`, FIELD.startTime[0]);
  const sub = isPlus ? /^Startdate (\S+)/.exec(recordingId) : null;
  if (sub && sub[1] === 'X') return 0;
  const plusDate = sub ? parseEdfPlusDate(sub[1] ?? '') : undefined;
  const yy = d[3] === 'yy' ? undefined : Number(d[3]);
  const year = plusDate?.year ?? (yy === undefined ? undefined : yy >= 85 ? 1900 + yy : 2000 + yy);
  if (year === undefined)
    return fail('start date year "yy" without a Startdate in the recording id', FIELD.startDate[0]);
  const month = Number(d[2]) - 1;
  const day = Number(d[1]);
  if (month < 0 || month > 11 || day < 1 || day > 31)
    return fail(`start date "${date}" is not a valid date`, FIELD.startDate[0]);
  return Date.UTC(year, month, day, hh, mi, ss);
}

/** The EDF+ identification subfields as recording meta (keys mirror {@link EdfIdentity}). */
function identityMeta(header: EdfHeader): Record<string, string> {
  const meta: Record<string, string> = { patientId: header.patientId, recordingId: header.recordingId };
  if (header.reserved !== '') meta.edfReserved = header.reserved;
  if (!header.isPlus) return meta;
  const known = (v: string | undefined): v is string => v !== undefined && v !== 'X' && v !== '';
  const p = header.patientId.split(' ');
  const names = ['patientCode', 'patientSex', 'patientBirthdate', 'patientName'] as const;
  names.forEach((k, i) => {
    const v = p[i];
    if (known(v)) meta[k] = v;
  });
  const r = header.recordingId.split(' ');
  (['admincode', 'technician', 'equipment'] as const).forEach((k, i) => {
    const v = r[i + 2];
    if (known(v)) meta[k] = v;
  });
  return meta;
}

interface Tal {
  onsetS: number;
  durationS?: number;
  texts: string[];
}

/** Parses the TALs in `bytes[from, to)`; offsets in errors are file offsets. */
function parseTals(
  bytes: Uint8Array,
  from: number,
  to: number,
  fail: (what: string, o: number) => never,
): Tal[] {
  const tals: Tal[] = [];
  let o = from;
  while (o < to && bytes[o] !== TAL_END) {
    const start = o;
    const c = bytes[o];
    if (c !== 0x2b && c !== 0x2d) fail('annotation (TAL) does not start with "+" or "-"', o);
    let end = o;
    while (end < to && bytes[end] !== TAL_END) end++;
    if (end >= to) fail('annotation (TAL) is not terminated by a 0 byte inside its record', start);
    const body = bytes.subarray(o, end);
    let sep = body.indexOf(TAL_SEPARATOR);
    if (sep < 0) fail('annotation (TAL) has no 0x14 after its onset', start);
    const dur = body.subarray(0, sep).indexOf(TAL_DURATION);
    const onsetText = ascii(body, 0, dur >= 0 ? dur : sep);
    if (!/^[+-]\d+(\.\d+)?$/.test(onsetText))
      fail(`annotation onset "${onsetText}" is not a signed number`, start);
    const tal: Tal = { onsetS: Number(onsetText), texts: [] };
    if (dur >= 0) {
      const durText = ascii(body, dur + 1, sep - dur - 1);
      if (!/^\d+(\.\d+)?$/.test(durText))
        fail(`annotation duration "${durText}" is not a number`, start + dur + 1);
      tal.durationS = Number(durText);
    }
    if (body[body.length - 1] !== TAL_SEPARATOR)
      fail('annotation text is not closed by 0x14', start + body.length);
    for (;;) {
      const next = body.indexOf(TAL_SEPARATOR, sep + 1);
      if (next < 0) break;
      tal.texts.push(DECODER.decode(body.subarray(sep + 1, next)));
      sep = next;
    }
    tals.push(tal);
    o = end + 1;
  }
  for (; o < to; o++) if (bytes[o] !== TAL_END) fail('bytes after the annotations of a record are not 0', o);
  return tals;
}

/**
 * Decodes a whole EDF/EDF+/BDF/BDF+ file into a {@link Recording}. Signals are grouped into streams by their
 * `(tonus:stream/channel kind)` transducer tags when present, otherwise consecutive signals with the same
 * samples per record form a stream. Throws {@link RecordingFormatError} for anything malformed.
 */
export function decodeEdf(bytes: Uint8Array, source: string): Recording {
  const header = decodeEdfHeader(bytes, source);
  const fail = (what: string, byteOffset: number): never => {
    throw new RecordingFormatError(source, what, { byteOffset });
  };
  const dataBytes = bytes.length - header.headerBytes;
  let records: number;
  if (header.declaredRecords === -1) {
    records = Math.floor(dataBytes / header.recordBytes);
  } else {
    records = header.declaredRecords;
    const expectedEnd = header.headerBytes + records * header.recordBytes;
    if (bytes.length < expectedEnd)
      fail(
        `file is truncated: the header declares ${records} records of ${header.recordBytes} bytes ending at byte ${expectedEnd}, but the file has ${bytes.length} bytes`,
        bytes.length,
      );
    if (bytes.length > expectedEnd)
      fail(
        `${bytes.length - expectedEnd} unexpected bytes after the last of ${records} declared records`,
        expectedEnd,
      );
  }
  const fmt = SAMPLE_FORMAT[header.kind];
  const bps = fmt.bytes;

  const dataSignals = header.signals.map((s, i) => ({ s, i })).filter(({ s }) => !s.isAnnotation);
  const signalOffsets: number[] = [];
  let acc = 0;
  for (const s of header.signals) {
    signalOffsets.push(acc);
    acc += s.samplesPerRecord * bps;
  }

  // Annotations and record start times.
  const recordStartS = new Float64Array(records);
  const annotations: Annotation[] = [];
  let sampleCounts: Map<string, number> | undefined;
  /** Onset of `Recording ends`, file time, s. */
  let recordingEndsS: number | undefined;
  const annotationSignals = header.signals.map((s, i) => ({ s, i })).filter(({ s }) => s.isAnnotation);
  for (let r = 0; r < records; r++) {
    const base = header.headerBytes + r * header.recordBytes;
    let keeper: number | undefined;
    for (const [k, { s, i }] of annotationSignals.entries()) {
      const from = base + (signalOffsets[i] as number);
      const tals = parseTals(bytes, from, from + s.samplesPerRecord * bps, fail);
      tals.forEach((tal, t) => {
        let texts = tal.texts;
        if (k === 0 && t === 0) {
          if (texts[0] !== '') fail(`record ${r} does not start with a time-keeping annotation`, from);
          keeper = tal.onsetS;
          texts = texts.slice(1);
        }
        for (const text of texts) {
          if (text === '') continue;
          if (text === RECORDING_ENDS) {
            recordingEndsS = tal.onsetS;
            continue;
          }
          if (text.startsWith(`${SAMPLES_ANNOTATION_PREFIX} `)) {
            sampleCounts = new Map();
            for (const pair of text.slice(SAMPLES_ANNOTATION_PREFIX.length + 1).split(' ')) {
              const [id, n] = pair.split('=');
              if (id !== undefined && n !== undefined && /^\d+$/.test(n)) sampleCounts.set(id, Number(n));
            }
            continue;
          }
          annotations.push(
            tal.durationS !== undefined
              ? { onsetS: tal.onsetS, durationS: tal.durationS, text }
              : { onsetS: tal.onsetS, text },
          );
        }
      });
      if (k === 0 && tals.length === 0) fail(`record ${r} has no time-keeping annotation`, from);
    }
    recordStartS[r] = keeper ?? r * header.recordDurationS;
    if (r > 0 && header.isPlus) {
      const expected = (recordStartS[r - 1] as number) + header.recordDurationS;
      const start = recordStartS[r] as number;
      const tolerance = 1e-6 + header.recordDurationS * 1e-6;
      if (!header.isDiscontinuous && Math.abs(start - expected) > tolerance)
        fail(`continuous (+C) file but record ${r} starts at ${start} s instead of ${expected} s`, base);
      if (header.isDiscontinuous && start < expected - tolerance)
        fail(`record ${r} starts at ${start} s, before the previous record ends (${expected} s)`, base);
    }
  }
  const firstStartS = records > 0 ? (recordStartS[0] as number) : 0;
  let hasGaps = false;
  for (let r = 1; r < records; r++) {
    if (Math.abs((recordStartS[r] as number) - firstStartS - r * header.recordDurationS) > 1e-6)
      hasGaps = true;
  }

  // Group signals into streams.
  interface Group {
    id: string;
    label: string;
    samplesPerRecord: number;
    jointAxisChannelId?: string;
    members: { signal: EdfSignalHeader; index: number; channelId: string; kind: SignalKind; unit: Unit }[];
  }
  const groups: Group[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base || 'ch';
    for (let n = 2; usedIds.has(id); n++) id = `${base}${n}`;
    usedIds.add(id);
    return id;
  };
  for (const { s, i } of dataSignals) {
    const tag = parseTransducerTag(s.transducer);
    const unit = dimensionToUnit(s.physicalDimension);
    let group: Group | undefined;
    if (tag) {
      group = groups.find((g) => g.id === tag.streamId);
      if (group && group.samplesPerRecord !== s.samplesPerRecord)
        fail(
          `signal ${i + 1} (${s.label}) of stream ${tag.streamId} has a different sample rate`,
          HEADER_FIXED_BYTES,
        );
    } else {
      const last = groups[groups.length - 1];
      if (last && last.samplesPerRecord === s.samplesPerRecord && last.id.startsWith('signals')) group = last;
    }
    if (!group) {
      const id = tag ? tag.streamId : `signals${groups.length + 1}`;
      group = {
        id,
        label: tag
          ? tag.streamId.toUpperCase()
          : `Signals @ ${s.samplesPerRecord / header.recordDurationS} Hz`,
        samplesPerRecord: s.samplesPerRecord,
        members: [],
      };
      groups.push(group);
    }
    const slug = s.label.toLowerCase().replace(/[^a-z0-9]+/g, '');
    if (tag?.isJointAxis) group.jointAxisChannelId = tag.channelId;
    group.members.push({
      signal: s,
      index: i,
      channelId: tag ? tag.channelId : uniqueId(slug),
      kind: tag ? tag.kind : guessKind(s.label, unit),
      unit,
    });
  }

  /** Samples of a stream up to `Recording ends` when the last record holds it (padding after it dropped). */
  const endedLength = (samplesPerRecord: number, sampleRateHz: number): number => {
    const total = records * samplesPerRecord;
    const lastStartS = recordStartS[records - 1];
    if (recordingEndsS === undefined || lastStartS === undefined) return total;
    const inLast = Math.round((recordingEndsS - lastStartS) * sampleRateHz);
    if (inLast < 0 || inLast > samplesPerRecord) return total;
    return total - samplesPerRecord + inLast;
  };
  const streams: RecordedStream[] = groups.map((g) => {
    const sampleRateHz = g.samplesPerRecord / header.recordDurationS;
    const channels: ChannelDescriptor[] = g.members.map((m) => ({
      id: m.channelId,
      label: m.signal.label,
      kind: m.kind,
      unit: m.unit,
      rangeMin: Math.min(m.signal.physicalMin, m.signal.physicalMax),
      rangeMax: Math.max(m.signal.physicalMin, m.signal.physicalMax),
    }));
    const descriptor: StreamDescriptor = {
      id: g.id,
      label: g.label,
      sampleRateHz,
      channels,
      ...(g.jointAxisChannelId === undefined ? {} : { jointAxisChannelId: g.jointAxisChannelId }),
    };
    const total = records * g.samplesPerRecord;
    const length = Math.min(total, sampleCounts?.get(g.id) ?? endedLength(g.samplesPerRecord, sampleRateHz));
    const data = g.members.map((m) => {
      const out = new Float32Array(length);
      const s = m.signal;
      const gain = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
      const offset = s.physicalMin - s.digitalMin * gain;
      const spr = s.samplesPerRecord;
      for (let r = 0, j = 0; r < records && j < length; r++) {
        let o = header.headerBytes + r * header.recordBytes + (signalOffsets[m.index] as number);
        const end = Math.min(spr, length - j);
        if (bps === 3) {
          for (let k = 0; k < end; k++, o += 3) {
            const v =
              (((bytes[o] as number) | ((bytes[o + 1] as number) << 8) | ((bytes[o + 2] as number) << 16)) <<
                8) >>
              8;
            out[j++] = v * gain + offset;
          }
        } else {
          for (let k = 0; k < end; k++, o += 2) {
            const v = (((bytes[o] as number) | ((bytes[o + 1] as number) << 8)) << 16) >> 16;
            out[j++] = v * gain + offset;
          }
        }
      }
      return out;
    });
    const stream: RecordedStream = { descriptor, data };
    if (hasGaps) {
      const ts = new Float64Array(length);
      for (let j = 0; j < length; j++) {
        const r = Math.floor(j / g.samplesPerRecord);
        const k = j - r * g.samplesPerRecord;
        ts[j] = header.startTimeMs + (recordStartS[r] as number) * 1000 + (k * 1000) / sampleRateHz;
      }
      stream.timestampsMs = ts;
    }
    return stream;
  });

  const kept = dropFiller(streams, annotations, header.startTimeMs, header.startTimeMs + firstStartS * 1000);

  const meta = identityMeta(header);
  meta.recordDurationS = String(header.recordDurationS);
  const prefilters = [...new Set(dataSignals.map(({ s }) => s.prefiltering).filter((p) => p !== ''))];
  if (prefilters.length === 1) meta.prefiltering = prefilters[0] as string;
  if (header.declaredRecords === -1) {
    meta.unfinished = 'true';
    const partial = dataBytes - records * header.recordBytes;
    if (partial > 0) meta.ignoredTrailingBytes = String(partial);
  }
  return {
    format: header.kind,
    source,
    startTimeMs: header.startTimeMs + firstStartS * 1000,
    streams: kept,
    annotations: annotations
      .map((a) => ({ ...a, onsetS: Math.round((a.onsetS - firstStartS) * 1e7) / 1e7 }))
      .sort((a, b) => a.onsetS - b.onsetS),
    meta,
  };
}

/** Whether an annotation marks filler written over a gap or pause (see ./edf-format.ts). */
function isFillerSpan(a: Annotation): boolean {
  return (a.durationS ?? 0) > 0 && (/^Gap\b/.test(a.text) || a.text.startsWith(PAUSE_MARKER_PREFIX));
}

/**
 * Leaves out the samples inside `Gap` and `Recording paused` annotations (filler a writer put there because
 * EDF records cannot be partial), giving the streams explicit sample times. Annotation onsets are file time.
 */
function dropFiller(
  streams: RecordedStream[],
  annotations: readonly Annotation[],
  headerStartMs: number,
  gridStartMs: number,
): RecordedStream[] {
  const spans = annotations
    .filter(isFillerSpan)
    .map((a) => [headerStartMs + a.onsetS * 1000, headerStartMs + (a.onsetS + (a.durationS ?? 0)) * 1000]);
  if (spans.length === 0) return streams;
  return streams.map((stream) => {
    const n = stream.data[0]?.length ?? 0;
    const rate = stream.descriptor.sampleRateHz;
    const timeOf = (j: number): number => stream.timestampsMs?.[j] ?? gridStartMs + (j * 1000) / rate;
    const halfMs = 500 / rate;
    const keep: number[] = [];
    for (let j = 0; j < n; j++) {
      const t = timeOf(j);
      if (!spans.some(([from, to]) => t >= (from as number) - halfMs && t < (to as number) - halfMs))
        keep.push(j);
    }
    if (keep.length === n) return stream;
    return {
      descriptor: stream.descriptor,
      data: stream.data.map((ch) => Float32Array.from(keep, (k) => ch[k] ?? 0)),
      timestampsMs: Float64Array.from(keep, timeOf),
    };
  });
}
