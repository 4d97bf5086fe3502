/**
 * XDF 1.0 recordings (LabRecorder, Lab Streaming Layer) as a {@link Recording}.
 *
 * Chunks are read by {@link readXdfChunks}; time stamps are synchronised and dejittered as pyxdf does with
 * its defaults ({@link synchronizeClock}, {@link dejitter}). Then:
 * - every numeric stream with a nominal rate becomes a stream at that rate, with its sample times kept
 *   (`timestampsMs`; clock-reset segments and breaks become gaps); channel labels, units and types come from
 *   `desc/channels/channel` (`label`, `unit`, `type`), the kind from the channel or stream type (EMG, ACC,
 *   GYRO…). Values are stored as float32 (7 significant digits; integers exact up to 2^24); a value float32
 *   cannot hold (NaN, infinite, beyond ±3.4e38) refuses the file.
 * - every irregular stream (nominal rate 0: LSL marker streams) and every string stream becomes markers,
 *   one per sample, `<stream name>: <value>` (channels joined by `, `).
 * - empty streams are listed in `meta` only.
 * Times: LSL clocks are not wall clocks. Time 0 is the earliest synchronised sample of any stream; the start
 * is the file header's `datetime` when it has one (LabRecorder writes the time it opened the file), else 0.
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { ChannelDescriptor } from '../../shared/samples.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { rangeAround } from './channel-range.js';
import { kindFromType, unitFromText } from './unit-text.js';
import type { XdfRawStream } from './xdf-chunks.js';
import { readXdfChunks } from './xdf-chunks.js';
import type { Segment } from './xdf-clock.js';
import { canDropSamples, dejitter, samplesToKeep, synchronizeClock } from './xdf-clock.js';
import type { XmlElement } from './xml-lite.js';
import { xmlChild, xmlText } from './xml-lite.js';

export { looksLikeXdf } from './xdf-chunks.js';

/** A stream after clock sync and dejittering, with what pyxdf reports about it. */
export interface XdfSyncedStream extends XdfRawStream {
  /** Synchronised, dejittered time stamps on the recorder's clock, s. */
  timesS: Float64Array;
  /** pyxdf `info.segments`. */
  segments: Segment[];
  /** pyxdf `info.clock_segments`. */
  clockSegments: Segment[];
  /** pyxdf `info.effective_srate`; 0 for irregular streams. */
  effectiveRateHz: number;
}

/** Reads, synchronises and dejitters every stream as pyxdf's `load_xdf` does with its defaults. */
export function loadXdfStreams(
  bytes: Uint8Array,
  source: string,
): { header: XmlElement; streams: XdfSyncedStream[] } {
  const file = readXdfChunks(bytes, source);
  const streams = file.streams.map((s): XdfSyncedStream => {
    const keep = samplesToKeep(s.timesS.length, s.clockTimesS, s.clockValuesS, s.footer);
    const timesS = s.timesS.slice(0, keep);
    const values = s.values.map((ch) => ch.slice(0, keep));
    const strings = s.strings.slice(0, keep);
    const clockSegments = synchronizeClock(timesS, s.clockTimesS, s.clockValuesS);
    let segments: Segment[] = timesS.length > 0 ? [[0, timesS.length - 1]] : [];
    let effectiveRateHz = 0;
    if (s.nominalRateHz > 0 && timesS.length > 0) {
      if (canDropSamples(s.header)) {
        const durationS = (timesS.at(-1) as number) - (timesS[0] as number);
        effectiveRateHz = durationS > 0 ? (timesS.length - 1) / durationS : 0;
      } else ({ segments, effectiveRateHz } = dejitter(timesS, s.nominalRateHz));
    }
    return { ...s, timesS, values, strings, segments, clockSegments, effectiveRateHz };
  });
  return { header: file.header, streams };
}

/**
 * The full range of the small integer sample formats. Wider formats get their data's own range: ±2^31 would
 * not fit the 8 characters an EDF header gives a physical limit.
 */
const integerRanges = {
  int8: { rangeMin: -128, rangeMax: 127 },
  int16: { rangeMin: -32768, rangeMax: 32767 },
} as const;

function channelsOf(s: XdfSyncedStream): ChannelDescriptor[] {
  const described =
    xmlChild(xmlChild(s.header, 'desc'), 'channels')?.children.filter((c) => c.name === 'channel') ?? [];
  const ids = new Set<string>();
  return Array.from({ length: s.channelCount }, (_, c) => {
    const el = described[c];
    const label = xmlText(el, 'label') || `${s.name} ${c + 1}`;
    const type = xmlText(el, 'type') || s.type;
    let id = label.replace(/\W+/g, '_') || `ch${c + 1}`;
    while (ids.has(id)) id = `${id}_${c + 1}`;
    ids.add(id);
    return {
      id,
      label,
      kind: kindFromType(type),
      unit: unitFromText(xmlText(el, 'unit')),
      ...(integerRanges[s.format as keyof typeof integerRanges] ?? rangeAround(s.values[c] ?? [])),
    };
  });
}

/** Parses an XDF file into a {@link Recording}. Throws {@link RecordingFormatError} with the byte offset. */
export function parseXdf(bytes: Uint8Array, source: string): Recording {
  const { header, streams } = loadXdfStreams(bytes, source);
  const unusable = streams.find((s) => s.timesS.some((t) => !Number.isFinite(t)));
  if (unusable)
    throw new RecordingFormatError(
      source,
      `stream ${unusable.id}: its clock offsets put samples at no finite time`,
      {
        byteOffset: 0,
      },
    );
  const firsts = streams.filter((s) => s.timesS.length > 0).map((s) => s.timesS[0] as number);
  if (firsts.length === 0)
    throw new RecordingFormatError(source, 'no stream holds any sample', { byteOffset: 0 });
  const t0 = Math.min(...firsts);
  const parsedStart = Date.parse(xmlText(header, 'datetime') ?? '');
  const startTimeMs = Number.isFinite(parsedStart) ? parsedStart : 0;
  const recorded: RecordedStream[] = [];
  const annotations: Annotation[] = [];
  const meta: Record<string, string> = { xdfVersion: xmlText(header, 'version') ?? '1.0' };
  const streamIds = new Set<string>();
  for (const s of streams) {
    const what = `${s.type || 'untyped'}, ${s.channelCount} × ${s.format}, ${s.timesS.length} samples`;
    if (s.timesS.length === 0) {
      meta[`stream ${s.id}`] = `${s.name} (${what}): empty, not imported`;
      continue;
    }
    if (s.nominalRateHz === 0 || s.format === 'string') {
      s.timesS.forEach((t, k) => {
        const value =
          s.format === 'string' ? (s.strings[k] ?? []).join(', ') : s.values.map((ch) => ch[k]).join(', ');
        annotations.push({ onsetS: t - t0, text: `${s.name}: ${value}` });
      });
      meta[`stream ${s.id}`] = `${s.name} (${what}): imported as markers`;
      continue;
    }
    let id = `${(s.type || 'xdf').toLowerCase().replace(/\W+/g, '_')}`;
    if (streamIds.has(id)) id = `${id}_${s.id}`;
    streamIds.add(id);
    recorded.push({
      descriptor: { id, label: s.name, sampleRateHz: s.nominalRateHz, channels: channelsOf(s) },
      data: s.values.map((ch) => Float32Array.from(ch)),
      timestampsMs: Float64Array.from(s.timesS, (t) => startTimeMs + (t - t0) * 1000),
    });
    const clock =
      s.clockSegments.length > 1 ? `, ${s.clockSegments.length} clock segments (clock resets)` : '';
    meta[`stream ${s.id}`] =
      `${s.name} (${what}): nominal ${s.nominalRateHz} Hz, effective ${s.effectiveRateHz.toFixed(3)} Hz, ` +
      `${s.segments.length} segment${s.segments.length === 1 ? '' : 's'}${clock}`;
  }
  annotations.sort((a, b) => a.onsetS - b.onsetS);
  return { format: 'xdf', source, startTimeMs, streams: recorded, annotations, meta };
}
