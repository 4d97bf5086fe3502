/**
 * Pure EDF+/BDF+ encoder (byte layout in ./edf-format.ts). It turns streams of samples into a header and
 * complete data records; the caller decides where the bytes go (a file, a buffer). It keeps the most recent
 * complete record back until more data or {@link EdfEncoder.finish} arrives, so that the closing annotations
 * always land in the last record and no padding record is ever added.
 */
import type { Annotation, Recording } from '../../shared/recording.js';
import type { StreamDescriptor } from '../../shared/samples.js';
import type { EdfKind } from './edf-format.js';
import {
  ANNOTATION_LABEL,
  edfPlusDate,
  formatLimit,
  formatOnset,
  formatSeconds,
  padField,
  printableAscii,
  RECORDING_ENDS,
  SAMPLE_FORMAT,
  SAMPLES_ANNOTATION_PREFIX,
  SIGNAL_FIELDS,
  transducerFor,
  transducerTag,
  unitToDimension,
} from './edf-format.js';

/** Facts written to the patient and recording identification fields; unknown ones become `X`. */
export interface EdfIdentity {
  patientCode?: string;
  patientSex?: string;
  /** `dd-MMM-yyyy`, e.g. `02-MAY-1951`. */
  patientBirthdate?: string;
  patientName?: string;
  admincode?: string;
  technician?: string;
  equipment?: string;
}

export interface EdfEncoderOptions {
  kind: EdfKind;
  streams: readonly StreamDescriptor[];
  /** Start of the recording, ms since the Unix epoch (UTC); 0 = unknown. */
  startTimeMs: number;
  identity?: EdfIdentity;
  /** Hardware filtering applied before the samples reached Tonus, written to every data signal. */
  prefiltering?: string;
  /** Record duration, s; default: the shortest of 1, 0.5, 0.25, 0.2, 0.1, 2, 4, 5, 10, … s that holds a whole number of samples of every stream. */
  recordDurationS?: number;
  /** Room for TALs in each record, bytes (default 120). Longer annotation texts are refused. */
  annotationBytesPerRecord?: number;
  /**
   * Whether {@link EdfEncoder.gap} writes its `Gap` annotation (default true). False only when the caller's
   * own annotations already cover every gap (e.g. a session's `Recording paused` spans), so that a pause is
   * not also labelled as lost data.
   */
  annotateGaps?: boolean;
}

const DURATION_CANDIDATES_S = [1, 0.5, 0.25, 0.2, 0.1, 2, 4, 5, 10, 20, 25, 50, 100];

/** Shorter record durations tried so that whole records end exactly at a recording's end. */
const EXACT_END_CANDIDATES_S = [1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.04, 0.02, 0.01];

/**
 * The longest record duration of 1 s … 0.01 s in which every stream's sample count (`lengths`, at `ratesHz`)
 * fills whole records that end together, so that no padding follows the data; undefined when none does.
 */
export function exactEndRecordDuration(
  ratesHz: readonly number[],
  lengths: readonly number[],
): number | undefined {
  const whole = (x: number): boolean => x >= 1 && Math.abs(x - Math.round(x)) < 1e-9;
  return EXACT_END_CANDIDATES_S.find((d) => {
    if (!ratesHz.every((r) => whole(r * d))) return false;
    const records = ratesHz.map((r, i) => (lengths[i] ?? 0) / (r * d));
    return records.every(
      (n) => Math.abs(n - Math.round(n)) < 1e-9 && Math.round(n) === Math.round(records[0] ?? 0),
    );
  });
}

/** The shortest usable record duration for these sample rates (see {@link EdfEncoderOptions}). */
export function chooseRecordDuration(ratesHz: readonly number[]): number {
  for (const d of DURATION_CANDIDATES_S) {
    if (ratesHz.every((r) => r * d >= 1 && Math.abs(r * d - Math.round(r * d)) < 1e-9)) return d;
  }
  throw new Error(`no EDF record duration holds a whole number of samples at ${ratesHz.join(', ')} Hz`);
}

interface SignalPlan {
  stream: number;
  channel: number;
  samplesPerRecord: number;
  physicalMin: number;
  physicalMax: number;
  /** digital = round((physical - physicalMin) * scale + digitalMin) */
  scale: number;
  byteOffset: number;
}

const ENCODER = new TextEncoder();

/** One TAL as bytes; texts are UTF-8 with the TAL delimiters replaced by spaces. */
export function encodeTal(onsetS: number, texts: readonly string[], durationS?: number): Uint8Array {
  const clean = (t: string): string =>
    [...t].map((ch) => (ch === '\u0000' || ch === '\u0014' || ch === '\u0015' ? ' ' : ch)).join('');
  const head =
    formatOnset(onsetS) + (durationS !== undefined && durationS > 0 ? `\x15${formatSeconds(durationS)}` : '');
  return ENCODER.encode(`${head}\x14${texts.map((t) => `${clean(t)}\x14`).join('')}\x00`);
}

/**
 * Streaming EDF+/BDF+ encoder. Guarantees: records are emitted in order and complete; `header(records)` can
 * be called at any time (use -1 while writing and the final count at close); samples outside a channel's
 * `rangeMin..rangeMax` are clipped to it; a file holding the header and any prefix of the emitted records is
 * a valid EDF+ file.
 */
export class EdfEncoder {
  readonly kind: EdfKind;
  readonly recordDurationS: number;
  readonly streams: readonly StreamDescriptor[];
  private readonly plans: SignalPlan[] = [];
  private readonly streamPlans: SignalPlan[][];
  private readonly annotationOffset: number;
  private readonly annotationBytes: number;
  readonly recordBytes: number;
  private readonly bytesPerSample: number;
  private readonly digitalMin: number;
  private readonly digitalMax: number;
  private readonly headerStartMs: number;
  /** Seconds from the header's whole-second start to the recording start. */
  private readonly startOffsetS: number;
  /** Per stream: samples not yet in a record, at `data[c][start .. start + length)`. */
  private readonly pending: { data: Float32Array[]; start: number; length: number }[];
  private readonly queue: Uint8Array[] = [];
  private held: { bytes: Uint8Array; startS: number } | undefined;
  private nextRecordStartS = 0;
  private samplesIn: number[];
  /** Last appended value of every channel, for filler. */
  private readonly lastValues: number[][];
  private emitted = 0;
  /** Start of the first record, recording time, s (later than 0 when the data begin after a gap). */
  private firstRecordStartS = 0;
  private isFinished = false;

  constructor(private readonly options: EdfEncoderOptions) {
    const { kind, streams } = options;
    if (streams.length === 0) throw new Error('an EDF file needs at least one stream');
    this.kind = kind;
    this.streams = streams;
    const fmt = SAMPLE_FORMAT[kind];
    this.bytesPerSample = fmt.bytes;
    this.digitalMin = fmt.digitalMin;
    this.digitalMax = fmt.digitalMax;
    this.recordDurationS =
      options.recordDurationS ?? chooseRecordDuration(streams.map((s) => s.sampleRateHz));
    let offset = 0;
    this.streamPlans = streams.map((s, si) => {
      const spr = Math.round(s.sampleRateHz * this.recordDurationS);
      if (spr < 1 || Math.abs(spr - s.sampleRateHz * this.recordDurationS) > 1e-9)
        throw new Error(
          `stream ${s.id} at ${s.sampleRateHz} Hz does not fit ${this.recordDurationS} s records`,
        );
      return s.channels.map((c, ci) => {
        let lo = Number(formatLimit(c.rangeMin, true));
        let hi = Number(formatLimit(c.rangeMax, false));
        if (!(hi > lo)) {
          lo = Number(formatLimit(Math.min(lo, hi) - 1, true));
          hi = Number(formatLimit(Math.max(lo, hi) + 1, false));
        }
        const plan: SignalPlan = {
          stream: si,
          channel: ci,
          samplesPerRecord: spr,
          physicalMin: lo,
          physicalMax: hi,
          scale: (fmt.digitalMax - fmt.digitalMin) / (hi - lo),
          byteOffset: offset,
        };
        offset += spr * fmt.bytes;
        this.plans.push(plan);
        return plan;
      });
    });
    const annotationSamples = Math.ceil((options.annotationBytesPerRecord ?? 120) / fmt.bytes);
    this.annotationOffset = offset;
    this.annotationBytes = annotationSamples * fmt.bytes;
    this.recordBytes = offset + this.annotationBytes;
    this.headerStartMs = Math.floor(options.startTimeMs / 1000) * 1000;
    this.startOffsetS = (options.startTimeMs - this.headerStartMs) / 1000;
    this.pending = streams.map((s, si) => ({
      data: s.channels.map(() => new Float32Array((this.streamPlans[si]?.[0]?.samplesPerRecord ?? 1) * 2)),
      start: 0,
      length: 0,
    }));
    this.samplesIn = streams.map(() => 0);
    this.lastValues = streams.map((st) => st.channels.map(() => 0));
  }

  /** Records emitted so far (the one held back is not counted). */
  get records(): number {
    return this.emitted;
  }

  /** Samples per record of the annotation signal. */
  get annotationSamplesPerRecord(): number {
    return this.annotationBytes / this.bytesPerSample;
  }

  /** The header with `records` data records (-1 = still writing). */
  header(records: number): Uint8Array {
    const ns = this.plans.length + 1;
    const id = this.options.identity ?? {};
    const sub = (v: string | undefined): string => {
      const t = printableAscii((v ?? '').trim()).replace(/ /g, '_');
      return t === '' ? 'X' : t;
    };
    const known = this.options.startTimeMs !== 0;
    const date = new Date(this.headerStartMs);
    const two = (n: number): string => String(n).padStart(2, '0');
    const year = date.getUTCFullYear();
    const startDate = known
      ? `${two(date.getUTCDate())}.${two(date.getUTCMonth() + 1)}.${year > 2084 ? 'yy' : two(year % 100)}`
      : '01.01.85';
    const startTime = known
      ? `${two(date.getUTCHours())}.${two(date.getUTCMinutes())}.${two(date.getUTCSeconds())}`
      : '00.00.00';
    const patient = `${sub(id.patientCode)} ${sub(id.patientSex)} ${sub(id.patientBirthdate)} ${sub(id.patientName)}`;
    const recording = `Startdate ${known ? edfPlusDate(date) : 'X'} ${sub(id.admincode)} ${sub(id.technician)} ${sub(id.equipment ?? 'Tonus')}`;
    const reserved = `${this.kind === 'bdf' ? 'BDF' : 'EDF'}+C`;
    let text = '        ';
    text += padField(patient.slice(0, 80), 80, 'patient id');
    text += padField(recording.slice(0, 80), 80, 'recording id');
    text += padField(startDate, 8, 'start date');
    text += padField(startTime, 8, 'start time');
    text += padField(String(256 * (ns + 1)), 8, 'header bytes');
    text += padField(reserved, 44, 'reserved');
    text += padField(String(records), 8, 'records');
    text += padField(formatSeconds(this.recordDurationS), 8, 'record duration');
    text += padField(String(ns), 4, 'signal count');
    const prefilter = printableAscii(this.options.prefiltering ?? '');
    const values = (plan: SignalPlan | undefined, field: (typeof SIGNAL_FIELDS)[number][0]): string => {
      if (plan === undefined) {
        const annotation: Record<string, string> = {
          label: ANNOTATION_LABEL[this.kind],
          physicalMin: '-1',
          physicalMax: '1',
          // The annotation signal's digital range is the file kind's full range (EDFlib refuses anything else).
          digitalMin: String(this.digitalMin),
          digitalMax: String(this.digitalMax),
          samplesPerRecord: String(this.annotationSamplesPerRecord),
        };
        return annotation[field] ?? '';
      }
      const stream = this.streams[plan.stream] as StreamDescriptor;
      const channel = stream.channels[plan.channel];
      if (channel === undefined) throw new Error('channel plan out of range');
      switch (field) {
        case 'label':
          return printableAscii(channel.label).slice(0, 16);
        case 'transducer': {
          const tag = transducerTag({
            streamId: stream.id,
            channelId: channel.id,
            kind: channel.kind,
            isJointAxis: stream.jointAxisChannelId === channel.id,
          });
          return `${transducerFor(channel.kind)} ${tag}`.trim();
        }
        case 'physicalDimension':
          return unitToDimension(channel.unit);
        case 'physicalMin':
          return String(plan.physicalMin);
        case 'physicalMax':
          return String(plan.physicalMax);
        case 'digitalMin':
          return String(this.digitalMin);
        case 'digitalMax':
          return String(this.digitalMax);
        case 'prefiltering':
          return prefilter.slice(0, 80);
        case 'samplesPerRecord':
          return String(plan.samplesPerRecord);
        case 'reserved':
          return '';
      }
    };
    for (const [field, width] of SIGNAL_FIELDS) {
      for (let i = 0; i < ns; i++) text += padField(values(this.plans[i], field), width, field);
    }
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    if (this.kind === 'bdf') bytes.set([0xff, 0x42, 0x49, 0x4f, 0x53, 0x45, 0x4d, 0x49], 0);
    else bytes.set(ENCODER.encode('0       '), 0);
    return bytes;
  }

  /** Adds an annotation (onset relative to the recording start). Throws if its TAL cannot fit in one record. */
  annotate(annotation: Annotation): void {
    this.assertOpen();
    const tal = encodeTal(this.startOffsetS + annotation.onsetS, [annotation.text], annotation.durationS);
    const room = this.annotationBytes - encodeTal(this.startOffsetS + 1e7, ['']).length;
    if (tal.length > room)
      throw new Error(
        `annotation "${annotation.text.slice(0, 40)}" needs ${tal.length} bytes; records hold ${room} (raise annotationBytesPerRecord)`,
      );
    this.queue.push(tal);
  }

  /**
   * Appends samples of stream `streamIndex` (channel-major, in the descriptor's units) and returns the
   * records that became complete.
   */
  append(streamIndex: number, data: readonly Float32Array[]): Uint8Array[] {
    this.assertOpen();
    const stream = this.streams[streamIndex];
    const pending = this.pending[streamIndex];
    if (stream === undefined || pending === undefined) throw new Error(`no stream ${streamIndex}`);
    if (data.length !== stream.channels.length)
      throw new Error(`stream ${stream.id} has ${stream.channels.length} channels, got ${data.length}`);
    const n = data[0]?.length ?? 0;
    if (n === 0) return [];
    if (pending.start + pending.length + n > (pending.data[0]?.length ?? 0)) {
      // Move what is left to the front (once per append, not per record), growing when it still does not fit.
      const size = Math.max((pending.length + n) * 2, 16);
      pending.data = pending.data.map((old) => {
        if (old.length >= size) return old.copyWithin(0, pending.start, pending.start + pending.length);
        const grown = new Float32Array(size);
        grown.set(old.subarray(pending.start, pending.start + pending.length));
        return grown;
      });
      pending.start = 0;
    }
    const last = this.lastValues[streamIndex] as number[];
    data.forEach((channel, c) => {
      if (channel.length !== n) throw new Error(`stream ${stream.id}: channels of unequal length`);
      (pending.data[c] as Float32Array).set(channel, pending.start + pending.length);
      last[c] = channel[n - 1] as number;
    });
    pending.length += n;
    this.samplesIn[streamIndex] = (this.samplesIn[streamIndex] ?? 0) + n;
    return this.drain(false);
  }

  /**
   * Declares a gap in the data from the end of what was appended up to `resumeAtS` (recording time), with a
   * `Gap` annotation over it (unless `annotateGaps` is false). The gap is filled with each channel's last value
   * so that the file stays continuous (EDF+C/BDF+C): strict readers such as EDFlib refuse EDF+D, and readers
   * that accept it (MNE) place every record after a break at the wrong time. Samples inside a `Gap` or
   * `Recording paused` annotation are filler, not data, and Tonus's reader leaves them out again. Returns the
   * records that became final.
   */
  gap(resumeAtS: number): Uint8Array[] {
    this.assertOpen();
    const rate = (i: number): number => this.streams[i]?.sampleRateHz ?? 1;
    const dataEndS = this.nextRecordStartS + Math.max(...this.pending.map((p, i) => p.length / rate(i)));
    if (resumeAtS < dataEndS - 1e-9)
      throw new Error(`gap resumes at ${resumeAtS} s, before the data end at ${dataEndS} s`);
    if (resumeAtS - dataEndS < 1e-9) return [];
    const started = this.emitted > 0 || this.held !== undefined || this.pending.some((p) => p.length > 0);
    if (!started) {
      this.firstRecordStartS = resumeAtS;
      this.nextRecordStartS = resumeAtS;
      return [];
    }
    if (this.options.annotateGaps ?? true)
      this.annotate({ onsetS: dataEndS, durationS: resumeAtS - dataEndS, text: 'Gap' });
    const out: Uint8Array[] = [];
    this.streams.forEach((_, i) => {
      const count = Math.round((resumeAtS - this.firstRecordStartS) * rate(i)) - (this.samplesIn[i] ?? 0);
      if (count <= 0) return;
      const filler = (this.lastValues[i] ?? []).map((v) => new Float32Array(count).fill(v));
      out.push(...this.append(i, filler));
    });
    return out;
  }

  /**
   * Ends the file: adds `Recording ends` at the end of the data, pads the last partial record with each
   * channel's last value (plus `tonus:samples …` when the streams end at different times; see
   * ./edf-format.ts), and returns the last records and the final header.
   */
  finish(): { records: Uint8Array[]; header: Uint8Array } {
    this.assertOpen();
    const rate = (i: number): number => this.streams[i]?.sampleRateHz ?? 1;
    const lastS = Math.max(...this.pending.map((p, i) => p.length / rate(i)));
    const endS = this.nextRecordStartS + lastS;
    this.queue.push(encodeTal(this.startOffsetS + endS, [RECORDING_ENDS]));
    if (this.pending.some((p, i) => Math.round(lastS * rate(i)) !== p.length)) {
      const counts = this.streams.map((s, i) => `${s.id}=${this.samplesIn[i] ?? 0}`).join(' ');
      this.queue.push(encodeTal(this.startOffsetS + endS, [`${SAMPLES_ANNOTATION_PREFIX} ${counts}`]));
    }
    const records = this.drain(true);
    if (this.held !== undefined) records.push(this.release(this.held));
    this.held = undefined;
    if (this.queue.length > 0)
      throw new Error(
        `${this.queue.length} annotations did not fit in the records (raise annotationBytesPerRecord)`,
      );
    this.isFinished = true;
    return { records, header: this.header(this.emitted) };
  }

  private assertOpen(): void {
    if (this.isFinished) throw new Error('the EDF encoder is finished');
  }

  /** Emits every complete record (and, with `pad`, the last partial one), keeping the newest held back. */
  private drain(pad: boolean): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (;;) {
      const full = this.streamPlans.every(
        (plans, si) => (this.pending[si]?.length ?? 0) >= (plans[0]?.samplesPerRecord ?? 0),
      );
      const any = this.pending.some((p) => p.length > 0);
      if (!full && !(pad && any)) break;
      const bytes = this.encodeData();
      if (this.held !== undefined) out.push(this.release(this.held));
      this.held = { bytes, startS: this.nextRecordStartS };
      this.nextRecordStartS += this.recordDurationS;
    }
    return out;
  }

  /** Encodes one record's data signals from the pending buffers (padding short streams) and consumes them. */
  private encodeData(): Uint8Array {
    const bytes = new Uint8Array(this.recordBytes);
    const view = bytes;
    const bps = this.bytesPerSample;
    const dmin = this.digitalMin;
    const dmax = this.digitalMax;
    this.streamPlans.forEach((plans, si) => {
      const pending = this.pending[si] as { data: Float32Array[]; start: number; length: number };
      const spr = plans[0]?.samplesPerRecord ?? 0;
      const take = Math.min(spr, pending.length);
      const from = pending.start;
      for (const plan of plans) {
        const src = pending.data[plan.channel] as Float32Array;
        const last = take > 0 ? (src[from + take - 1] as number) : 0;
        let o = plan.byteOffset;
        for (let i = 0; i < spr; i++) {
          const v = i < take ? (src[from + i] as number) : last;
          let d = Math.round((v - plan.physicalMin) * plan.scale + dmin);
          if (!(d >= dmin)) d = dmin;
          else if (d > dmax) d = dmax;
          view[o] = d & 0xff;
          view[o + 1] = (d >> 8) & 0xff;
          if (bps === 3) view[o + 2] = (d >> 16) & 0xff;
          o += bps;
        }
      }
      pending.start += take;
      pending.length -= take;
    });
    return bytes;
  }

  /** Writes the time-keeping TAL and as many queued TALs as fit into a held record, and counts it. */
  private release(record: { bytes: Uint8Array; startS: number }): Uint8Array {
    const tk = encodeTal(this.startOffsetS + record.startS, ['']);
    let o = this.annotationOffset;
    record.bytes.set(tk, o);
    o += tk.length;
    const end = this.annotationOffset + this.annotationBytes;
    while (this.queue.length > 0 && o + (this.queue[0] as Uint8Array).length <= end) {
      const tal = this.queue.shift() as Uint8Array;
      record.bytes.set(tal, o);
      o += tal.length;
    }
    this.emitted++;
    return record.bytes;
  }
}

/** Mapping of recording meta keys to the identity fields (the keys the reader produces). */
export function identityFromMeta(meta: Record<string, string>): EdfIdentity {
  const id: EdfIdentity = {};
  for (const key of [
    'patientCode',
    'patientSex',
    'patientBirthdate',
    'patientName',
    'admincode',
    'technician',
    'equipment',
  ] as const) {
    const v = meta[key];
    if (v !== undefined) id[key] = v;
  }
  return id;
}

/** Recording time fed to the encoder per step, s: keeps its buffers short (feeding 1 h whole took 16 s). */
const ENCODE_SLICE_S = 10;

/**
 * Encodes a whole recording as EDF+/BDF+ bytes (header with the final record count first). Unless
 * `recordDurationS` is given, the record duration is one that ends the last record exactly at the data's end
 * when one exists ({@link exactEndRecordDuration}), so no reader sees padding as data. Streams that
 * carry `timestampsMs` with jumps get `Gap` annotations (unless `annotateGaps` is false) and filler over the
 * jump, so the file stays EDF+C (see {@link EdfEncoder.gap}). The samples are fed {@link ENCODE_SLICE_S} at a time
 * (the bytes do not depend on it); `onFraction` hears the share of recording time encoded, ending at 1.
 */
export function encodeRecording(
  recording: Recording,
  kind: EdfKind,
  options: Partial<Omit<EdfEncoderOptions, 'kind' | 'streams' | 'startTimeMs'>> & {
    onFraction?: (fraction: number) => void;
  } = {},
): Uint8Array[] {
  const { onFraction, ...encoderOptions } = options;
  const segments = segmentsOf(recording);
  const last = segments[segments.length - 1];
  const exactS =
    encoderOptions.recordDurationS === undefined && last !== undefined
      ? exactEndRecordDuration(
          recording.streams.map((s) => s.descriptor.sampleRateHz),
          last.ranges.map(
            ([a, b], si) =>
              Math.round((last.resumeAtS ?? 0) * (recording.streams[si]?.descriptor.sampleRateHz ?? 1)) +
              b -
              a,
          ),
        )
      : undefined;
  const encoder = createRecordingEncoder(recording, kind, {
    ...encoderOptions,
    ...(exactS === undefined ? {} : { recordDurationS: exactS }),
  });
  const chunks: Uint8Array[] = [new Uint8Array(0)];
  const spanS = (ranges: readonly [number, number][]): number =>
    Math.max(
      0,
      ...ranges.map(([a, b], si) => (b - a) / (recording.streams[si]?.descriptor.sampleRateHz ?? 1)),
    );
  const totalS = segments.reduce((sum, seg) => sum + spanS(seg.ranges), 0);
  let doneS = 0;
  for (const segment of segments) {
    if (segment.resumeAtS !== undefined) chunks.push(...encoder.gap(segment.resumeAtS));
    const durationS = spanS(segment.ranges);
    for (let fromS = 0; fromS < durationS; fromS += ENCODE_SLICE_S) {
      recording.streams.forEach((s, si) => {
        const [start, end] = segment.ranges[si] as [number, number];
        const fs = s.descriptor.sampleRateHz;
        const from = Math.min(end, start + Math.round(fromS * fs));
        const to = Math.min(end, start + Math.round((fromS + ENCODE_SLICE_S) * fs));
        if (to > from)
          chunks.push(
            ...encoder.append(
              si,
              s.data.map((c) => c.subarray(from, to)),
            ),
          );
      });
      onFraction?.(
        totalS > 0 ? Math.min(1, (doneS + Math.min(durationS, fromS + ENCODE_SLICE_S)) / totalS) : 1,
      );
    }
    doneS += durationS;
  }
  onFraction?.(1);
  const { records, header } = encoder.finish();
  chunks.push(...records);
  chunks[0] = header;
  return chunks;
}

/** An encoder sized for a recording: annotation room fits its longest annotation. */
export function createRecordingEncoder(
  recording: Recording,
  kind: EdfKind,
  options: Partial<Omit<EdfEncoderOptions, 'kind' | 'streams' | 'startTimeMs'>> = {},
): EdfEncoder {
  const longest = Math.max(
    0,
    ...recording.annotations.map((a) => encodeTal(a.onsetS + 1e6, [a.text], a.durationS).length),
    ENCODER.encode(
      `${SAMPLES_ANNOTATION_PREFIX} ${recording.streams.map((s) => `${s.descriptor.id}=${1e12}`).join(' ')}`,
    ).length + 20,
  );
  // Room for every annotation: the records a recording this long fills must hold them all (a short recording
  // with many annotations, such as a session's facts and doses, needs more than the longest one).
  const durationS =
    options.recordDurationS ?? chooseRecordDuration(recording.streams.map((s) => s.descriptor.sampleRateHz));
  const spanS = Math.max(
    0,
    ...recording.streams.map((s) => {
      const n = s.data[0]?.length ?? 0;
      const last = s.timestampsMs?.[n - 1];
      const rate = s.descriptor.sampleRateHz;
      return last === undefined ? n / rate : (last - recording.startTimeMs) / 1000 + 1 / rate;
    }),
  );
  const records = Math.max(1, Math.floor(spanS / durationS));
  const total = recording.annotations.reduce(
    (sum, a) => sum + encodeTal(a.onsetS + 1e6, [a.text], a.durationS).length,
    longest,
  );
  const encoder = new EdfEncoder({
    kind,
    streams: recording.streams.map((s) => s.descriptor),
    startTimeMs: recording.startTimeMs,
    identity: identityFromMeta(recording.meta),
    ...(recording.meta.prefiltering !== undefined ? { prefiltering: recording.meta.prefiltering } : {}),
    ...options,
    // 120 bytes by default; records shorter than 1 s (chosen for an exact end) get only what they need.
    annotationBytesPerRecord: Math.max(
      options.annotationBytesPerRecord ?? (durationS >= 1 ? 120 : 0),
      longest + 24,
      Math.ceil(total / records) + longest + 24,
    ),
  });
  for (const a of [...recording.annotations].sort((x, y) => x.onsetS - y.onsetS)) encoder.annotate(a);
  return encoder;
}

interface Segment {
  resumeAtS?: number;
  /** Per stream: [from, to) sample indices. */
  ranges: [number, number][];
}

/** Splits a recording at the jumps of its first stream's timestamps (one segment when there are none). */
function segmentsOf(recording: Recording): Segment[] {
  const lengths = recording.streams.map((s) => s.data[0]?.length ?? 0);
  const first = recording.streams[0];
  const ts = first?.timestampsMs;
  if (first === undefined || ts === undefined || ts.length < 2)
    return [{ ranges: lengths.map((n) => [0, n] as [number, number]) }];
  const periodMs = 1000 / first.descriptor.sampleRateHz;
  const startsMs: number[] = [ts[0] as number];
  for (let i = 1; i < ts.length; i++) {
    if ((ts[i] as number) - (ts[i - 1] as number) > 1.5 * periodMs) startsMs.push(ts[i] as number);
  }
  const timeOf = (si: number, i: number): number => {
    const s = recording.streams[si];
    const t = s?.timestampsMs;
    return t !== undefined
      ? (t[i] as number)
      : recording.startTimeMs + (i * 1000) / (s?.descriptor.sampleRateHz ?? 1);
  };
  const indexAt = (si: number, timeMs: number): number => {
    const n = lengths[si] ?? 0;
    const halfMs = 500 / (recording.streams[si]?.descriptor.sampleRateHz ?? 1);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeOf(si, mid) < timeMs - halfMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return startsMs.map((startMs, k) => {
    const nextMs = startsMs[k + 1];
    const ranges = lengths.map((n, si): [number, number] => [
      indexAt(si, startMs),
      nextMs === undefined ? n : indexAt(si, nextMs),
    ]);
    return k === 0 ? { ranges } : { resumeAtS: (startMs - recording.startTimeMs) / 1000, ranges };
  });
}
