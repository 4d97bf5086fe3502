/**
 * XDF 1.0 chunk reader (Lab Streaming Layer / LabRecorder files). Source: the XDF specification
 * (sccn/xdf wiki "Specifications"), LabRecorder's `xdfwriter`, and pyxdf's `load_xdf` (xdf-modules/pyxdf),
 * whose reading this follows; spec/formats.md §3.
 * ```
 * "XDF:" then chunks: [NumLengthBytes u8 ∈ {1,4,8}] [Length uint LE: tag + content] [Tag u16 LE] [content]
 *   1 FileHeader    XML <info><version>1.0</version><datetime>…</datetime></info>
 *   2 StreamHeader  StreamId u32, XML <info> (name, type, channel_count, nominal_srate, channel_format, desc)
 *   3 Samples       StreamId u32, NumSamples (varlen), per sample: TimeStampBytes u8 (0: previous + 1/srate,
 *                   8: f64 follows), then the channel values LE (string: varlen length + UTF-8 bytes)
 *   4 ClockOffset   StreamId u32, CollectionTime f64, OffsetValue f64
 *   5 Boundary      16-byte UUID 43 A5 46 DC CB F5 41 0F B3 0E D5 46 73 83 CB E4
 *   6 StreamFooter  StreamId u32, XML (first/last timestamp, sample count, clock offsets)
 * ```
 * Unknown tags are skipped (readers must, per the spec); a missing footer is tolerated (pyxdf #64). Any other
 * damage refuses the file whole with the byte offset: a short or overlong chunk, samples of an undeclared
 * stream, malformed XML, a sample that overruns its chunk, a non-finite value or time stamp.
 */
import { RecordingFormatError } from '../recording-format-error.js';
import type { XmlElement } from './xml-lite.js';
import { parseXml, xmlText, XmlSyntaxError } from './xml-lite.js';
import { concatFloat64 } from '../../shared/float64-concat.js';

const BOUNDARY = [
  0x43, 0xa5, 0x46, 0xdc, 0xcb, 0xf5, 0x41, 0x0f, 0xb3, 0x0e, 0xd5, 0x46, 0x73, 0x83, 0xcb, 0xe4,
];

const numericFormats = {
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float32: 4,
  double64: 8,
} as const;
type NumericFormat = keyof typeof numericFormats;
export type XdfChannelFormat = NumericFormat | 'string';

/** One stream as stored: raw LSL time stamps (stream clock), values, clock offsets, header and footer. */
export interface XdfRawStream {
  id: number;
  header: XmlElement;
  name: string;
  type: string;
  channelCount: number;
  /** 0 for irregular streams (markers). */
  nominalRateHz: number;
  format: XdfChannelFormat;
  /** Stream-clock time stamps, s, one per sample. */
  timesS: Float64Array;
  /** Numeric streams: `values[channel][sample]`; string streams: empty. */
  values: Float64Array[];
  /** String streams: `strings[sample][channel]`; numeric streams: empty. */
  strings: string[][];
  clockTimesS: number[];
  clockValuesS: number[];
  footer?: XmlElement;
}

export interface XdfFile {
  header: XmlElement;
  /** In order of their StreamHeader chunks. */
  streams: XdfRawStream[];
}

/** True when `head` starts with the XDF magic. */
export const looksLikeXdf = (head: Uint8Array): boolean =>
  head[0] === 0x58 && head[1] === 0x44 && head[2] === 0x46 && head[3] === 0x3a;

/** Reads every chunk of an XDF file. Throws {@link RecordingFormatError} with the byte offset. */
export function readXdfChunks(bytes: Uint8Array, source: string): XdfFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (problem: string, byteOffset: number): never => {
    throw new RecordingFormatError(source, problem, { byteOffset });
  };
  if (!looksLikeXdf(bytes)) fail('not an XDF file: it must start with "XDF:"', 0);
  const utf8 = new TextDecoder('utf-8');
  const xml = (from: number, to: number, what: string): XmlElement => {
    try {
      return parseXml(utf8.decode(bytes.subarray(from, to)));
    } catch (err) {
      if (err instanceof XmlSyntaxError) return fail(`${what} XML: ${err.problem}`, from);
      throw err;
    }
  };
  /** A variable-length integer at `at` within `[at, end)`: its value and the offset after it. */
  const varlen = (at: number, end: number, what: string): [number, number] => {
    if (at >= end) return fail(`${what}: missing`, at);
    const size = bytes[at] as number;
    if (size !== 1 && size !== 4 && size !== 8)
      return fail(`${what}: length-field size ${size} (must be 1, 4 or 8)`, at);
    if (at + 1 + size > end) return fail(`${what}: cut off`, at);
    if (size === 1) return [bytes[at + 1] as number, at + 2];
    if (size === 4) return [view.getUint32(at + 1, true), at + 5];
    const big = view.getBigUint64(at + 1, true);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`${what}: ${big} is too large`, at);
    return [Number(big), at + 9];
  };

  let header: XmlElement | undefined;
  const streams = new Map<number, Accumulator>();
  let pos = 4;
  while (pos < bytes.length) {
    const chunkStart = pos;
    const [length, tagAt] = varlen(pos, bytes.length, 'chunk length');
    if (length < 2) fail(`chunk length ${length} is shorter than its tag`, chunkStart);
    const end = tagAt + length;
    if (end > bytes.length)
      fail(`chunk of ${length} bytes runs past the end of the file (${bytes.length} bytes)`, chunkStart);
    const tag = view.getUint16(tagAt, true);
    const body = tagAt + 2;
    pos = end;
    if (header === undefined && tag !== 1)
      fail(`the first chunk must be the file header, not tag ${tag}`, chunkStart);
    if (tag === 1) {
      if (header !== undefined) fail('a second file header', chunkStart);
      header = xml(body, end, 'file header');
      const version = xmlText(header, 'version');
      if (version !== undefined && !/^1(\.\d+)?$/.test(version))
        fail(`XDF version ${version} (reads 1.x)`, body);
      continue;
    }
    if (tag === 5) {
      if (end - body !== 16 || BOUNDARY.some((b, k) => bytes[body + k] !== b))
        fail('boundary chunk does not hold the boundary UUID', body);
      continue;
    }
    if (tag < 2 || tag > 6) continue; // unknown chunk types are skipped, as the specification asks
    if (end - body < 4) fail(`chunk (tag ${tag}) too short for a stream id`, chunkStart);
    const streamId = view.getUint32(body, true);
    const content = body + 4;
    if (tag === 2) {
      if (streams.has(streamId)) fail(`stream ${streamId} declared twice`, chunkStart);
      streams.set(streamId, {
        ...describeStream(streamId, xml(content, end, 'stream header'), content, fail),
        lastTimeS: 0,
        timeChunks: [],
        valueChunks: [],
      });
      continue;
    }
    const stream = streams.get(streamId);
    if (!stream)
      return fail(`chunk (tag ${tag}) for stream ${streamId}, which has no header before it`, chunkStart);
    if (tag === 6) {
      stream.footer = xml(content, end, 'stream footer');
    } else if (tag === 4) {
      if (end - content !== 16) fail(`clock offset chunk holds ${end - content} bytes, not 16`, content);
      const timeS = view.getFloat64(content, true);
      const valueS = view.getFloat64(content + 8, true);
      if (!Number.isFinite(timeS) || !Number.isFinite(valueS))
        fail('clock offset is not a finite number', content);
      stream.clockTimesS.push(timeS);
      stream.clockValuesS.push(valueS);
    } else {
      readSamples(stream, content, end);
    }
  }
  if (header === undefined) return fail('no file header chunk', 4);
  return {
    header,
    streams: [...streams.values()].map(({ lastTimeS: _, timeChunks, valueChunks, ...s }) => ({
      ...s,
      timesS: concatFloat64(timeChunks),
      values:
        s.format === 'string'
          ? []
          : Array.from({ length: s.channelCount }, (_, c) =>
              concatFloat64(valueChunks.map((v) => v[c] as Float64Array)),
            ),
    })),
  };

  function readSamples(stream: Accumulator, from: number, end: number): void {
    const [count, first] = varlen(from, end, 'sample count');
    const valueBytes = stream.format === 'string' ? 1 : numericFormats[stream.format];
    if (count * (1 + stream.channelCount * valueBytes) > end - first)
      fail(`${count} samples of stream ${stream.id} cannot fit in a chunk of ${end - first} bytes`, from);
    const stepS = stream.nominalRateHz > 0 ? 1 / stream.nominalRateHz : 0;
    const times = new Float64Array(count);
    const format = stream.format;
    const channels = stream.channelCount;
    const columns =
      format === 'string' ? [] : Array.from({ length: channels }, () => new Float64Array(count));
    let at = first;
    for (let k = 0; k < count; k++) {
      if (at >= end) fail(`sample ${k + 1} of ${count} runs past its chunk`, at);
      const stampBytes = bytes[at] as number;
      if (stampBytes === 8) {
        if (at + 9 > end) fail('time stamp runs past its chunk', at);
        stream.lastTimeS = view.getFloat64(at + 1, true);
        if (!Number.isFinite(stream.lastTimeS)) fail('time stamp is not a finite number', at + 1);
        at += 9;
      } else if (stampBytes === 0) {
        stream.lastTimeS += stepS;
        at += 1;
      } else fail(`time-stamp size ${stampBytes} (must be 0 or 8)`, at);
      times[k] = stream.lastTimeS;
      if (format === 'string') {
        const sample: string[] = [];
        for (let c = 0; c < stream.channelCount; c++) {
          const [n, textAt] = varlen(at, end, 'string length');
          if (textAt + n > end) fail(`string of ${n} bytes runs past its chunk`, at);
          sample.push(utf8.decode(bytes.subarray(textAt, textAt + n)));
          at = textAt + n;
        }
        stream.strings.push(sample);
      } else {
        const size = numericFormats[format];
        if (at + size * channels > end) fail('sample values run past their chunk', at);
        for (let c = 0; c < channels; c++, at += size) {
          const v = readNumber(view, at, format);
          if (!Number.isFinite(v)) fail(`channel ${c + 1} of stream ${stream.id} holds ${v}`, at);
          (columns[c] as Float64Array)[k] = v;
        }
      }
    }
    if (at !== end) fail(`${end - at} bytes left over after ${count} samples`, at);
    stream.timeChunks.push(times);
    stream.valueChunks.push(columns);
  }
}

/** A stream while its chunks are read: samples arrive chunk by chunk. */
type Accumulator = XdfRawStream & {
  lastTimeS: number;
  timeChunks: Float64Array[];
  valueChunks: Float64Array[][];
};

function readNumber(view: DataView, at: number, format: NumericFormat): number {
  switch (format) {
    case 'int8':
      return view.getInt8(at);
    case 'int16':
      return view.getInt16(at, true);
    case 'int32':
      return view.getInt32(at, true);
    case 'int64':
      return Number(view.getBigInt64(at, true));
    case 'float32':
      return view.getFloat32(at, true);
    case 'double64': {
      const v = view.getFloat64(at, true);
      // Stored as float32 samples: a double beyond float32's range would become infinite.
      return Number.isFinite(Math.fround(v)) ? v : Number.POSITIVE_INFINITY;
    }
  }
}

function describeStream(
  id: number,
  header: XmlElement,
  at: number,
  fail: (problem: string, byteOffset: number) => never,
): XdfRawStream {
  const field = (name: string): string => {
    const v = xmlText(header, name);
    if (v === undefined || v === '') return fail(`stream ${id} header has no <${name}>`, at);
    return v;
  };
  const channelCount = Number(field('channel_count'));
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 65535)
    fail(`stream ${id}: channel_count ${field('channel_count')} is not 1–65535`, at);
  const nominalRateHz = Number(field('nominal_srate'));
  if (!Number.isFinite(nominalRateHz) || nominalRateHz < 0)
    fail(`stream ${id}: nominal_srate ${field('nominal_srate')} is not a rate`, at);
  const format = field('channel_format');
  if (format !== 'string' && !(format in numericFormats))
    fail(`stream ${id}: unknown channel_format "${format}"`, at);
  return {
    id,
    header,
    name: xmlText(header, 'name') ?? `stream ${id}`,
    type: xmlText(header, 'type') ?? '',
    channelCount,
    nominalRateHz,
    format: format as XdfChannelFormat,
    timesS: new Float64Array(0),
    values: [],
    strings: [],
    clockTimesS: [],
    clockValuesS: [],
  };
}
