/**
 * Generic line protocol: text lines of separated numbers, as an Arduino sketch prints them over USB serial
 * (for example a MyoWare 2.0 on an analog pin: `Serial.print(env); Serial.print(','); Serial.println(raw);`).
 *
 * Source: ../shared/spec/devices.md §5.1 (MyoWare conversion) and Arduino `Serial.println` (CR LF line end).
 *
 * Layout, one sample per line:
 * ```
 *  <field 0><sep><field 1><sep> … <field k> (\r)?\n        ASCII, decimal numbers ("12", "-3.5", "1e3")
 * ```
 * Which field feeds which channel, the unit conversion (value = field × scale + offset), the nominal rate and an
 * optional sample-counter field come from a device profile (JSON, {@link LineProfileSchema}).
 *
 * Framing: `\n` ends a line; a trailing `\r` is dropped. A line that does not parse (header text, a line cut in
 * half at connect, a wrong field count) is counted as malformed with its line number and skipped. A run of more
 * than {@link MAX_LINE_BYTES} bytes without a newline is garbage: it is discarded and counted, and decoding
 * resumes after the next newline. Output is independent of chunk boundaries.
 */

import { z } from 'zod';
import { CounterUnwrapper } from '../clock.js';
import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { BlockBuilder, emptyStats } from './codec.js';

export const MAX_LINE_BYTES = 1024;
/**
 * Longest counter jump taken as lost samples, in seconds at the nominal rate. A longer jump (a counter that
 * lost a digit jumps by up to 2^32 samples) refuses the line as corrupted; two consecutive lines that agree on
 * the new counter value resync the stream there (a device whose counter restarted), counted as a resync.
 */
export const MAX_COUNTER_GAP_S = 10;

const UnitSchema = z.enum(['uV', 'mV', 'V', 'g', 'm/s^2', 'deg/s', 'rad/s', 'deg', 'counts', 'none']);
const KindSchema = z.enum(['emg', 'accel', 'gyro', 'angle', 'marker', 'other']);

/** A device profile for the line protocol. */
export const LineProfileSchema = z
  .object({
    name: z.string().min(1).max(120),
    streamId: z.string().min(1).max(40).default('emg'),
    sampleRateHz: z.number().positive().max(100_000),
    separator: z.string().min(1).max(4).default(','),
    /** Field holding a device sample counter (gaps count as dropped samples); omit if the sketch has none. */
    counterField: z.number().int().nonnegative().optional(),
    /** The counter wraps to 0 at this value (e.g. 256 for a uint8 counter). */
    counterModulus: z
      .number()
      .int()
      .min(2)
      .max(2 ** 32)
      .default(2 ** 32),
    /** Bytes the host sends to start and stop streaming, if the sketch listens (e.g. "b" / "s"). */
    startCommand: z.string().max(16).optional(),
    stopCommand: z.string().max(16).optional(),
    channels: z
      .array(
        z
          .object({
            field: z.number().int().nonnegative(),
            id: z.string().min(1).max(40),
            label: z.string().min(1).max(80),
            kind: KindSchema,
            unit: UnitSchema,
            scale: z.number().finite().default(1),
            offset: z.number().finite().default(0),
            rangeMin: z.number().finite(),
            rangeMax: z.number().finite(),
          })
          .strict(),
      )
      .min(1)
      .max(64),
  })
  .strict();
export type LineProfile = z.output<typeof LineProfileSchema>;

/** Parses a profile from JSON text; errors name the file and the offending field. */
export function parseLineProfile(jsonText: string, fileName = 'profile'): LineProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (err) {
    throw new Error(`${fileName}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
  const parsed = LineProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${fileName}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid profile'}`,
    );
  }
  return parsed.data;
}

/** The stream a profile describes. */
export function lineProfileStreams(profile: LineProfile): StreamDescriptor[] {
  return [
    {
      id: profile.streamId,
      label: profile.name,
      sampleRateHz: profile.sampleRateHz,
      channels: profile.channels.map((c) => ({
        id: c.id,
        label: c.label,
        kind: c.kind,
        unit: c.unit,
        rangeMin: c.rangeMin,
        rangeMax: c.rangeMax,
      })),
    },
  ];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A line that could not be decoded, kept for diagnostics (the most recent few). */
export interface LineError {
  line: number;
  reason: string;
}

/** Decoder for profile-described text lines; see the file header. */
export class LineProtocolCodec implements Codec {
  readonly streams: readonly StreamDescriptor[];
  private readonly block: BlockBuilder;
  private readonly counter: CounterUnwrapper | undefined;
  private readonly fieldCount: number;
  private pending: number[] = [];
  private isDiscarding = false;
  private lineNumber = 0;
  private nextIndex = 0;
  private readonly maxCounterGap: number;
  /** The counter of the last line refused for an implausible jump, until a line is accepted. */
  private jumpedCounter: number | undefined;
  private statsValue: CodecStats = emptyStats();
  /** The last few lines that did not parse, with their 1-based line numbers. */
  recentErrors: LineError[] = [];

  constructor(readonly profile: LineProfile) {
    this.streams = lineProfileStreams(profile);
    this.block = new BlockBuilder(profile.streamId, profile.channels.length, profile.sampleRateHz);
    this.counter =
      profile.counterField === undefined ? undefined : new CounterUnwrapper(profile.counterModulus);
    this.maxCounterGap = Math.ceil(profile.sampleRateHz * MAX_COUNTER_GAP_S);
    this.fieldCount = Math.max(...profile.channels.map((c) => c.field), profile.counterField ?? 0) + 1;
  }

  push(chunk: Uint8Array): SampleBlock[] {
    const out: SampleBlock[] = [];
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (this.isDiscarding) this.isDiscarding = false;
        else this.line(out);
        this.pending = [];
        continue;
      }
      if (this.isDiscarding) {
        this.statsValue.garbageBytes++;
        continue;
      }
      this.pending.push(byte);
      if (this.pending.length > MAX_LINE_BYTES) {
        this.statsValue.garbageBytes += this.pending.length;
        this.statsValue.resyncs++;
        this.lineNumber++;
        this.pending = [];
        this.isDiscarding = true;
      }
    }
    this.block.flush(out);
    this.statsValue.droppedSamples = this.block.dropped;
    return out;
  }

  reset(): void {
    this.pending = [];
    this.isDiscarding = false;
    this.lineNumber = 0;
    this.nextIndex = 0;
    this.counter?.reset();
    this.jumpedCounter = undefined;
    this.block.reset();
    this.statsValue = emptyStats();
    this.recentErrors = [];
  }

  stats(): CodecStats {
    return { ...this.statsValue };
  }

  takeMessages(): DeviceMessage[] {
    return [];
  }

  private fail(reason: string): void {
    this.statsValue.malformed++;
    this.recentErrors.push({ line: this.lineNumber, reason });
    if (this.recentErrors.length > 8) this.recentErrors.shift();
  }

  private line(out: SampleBlock[]): void {
    this.lineNumber++;
    let text = String.fromCharCode(...this.pending);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    text = text.trim();
    if (text === '') return;
    const fields = text.split(this.profile.separator).map((f) => f.trim());
    if (fields.length < this.fieldCount) {
      this.fail(`expected at least ${this.fieldCount} fields, got ${fields.length}`);
      return;
    }
    const numbers: number[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? '';
      if (!NUMBER.test(f)) {
        this.fail(`field ${i} is not a number: "${f.slice(0, 20)}"`);
        return;
      }
      const value = Number(f);
      if (!Number.isFinite(value)) {
        this.fail(`field ${i} overflows to ${value}: "${f.slice(0, 20)}"`);
        return;
      }
      numbers.push(value);
    }
    let index = this.nextIndex;
    if (this.counter && this.profile.counterField !== undefined) {
      const c = numbers[this.profile.counterField] ?? 0;
      if (!Number.isInteger(c) || c < 0 || c >= this.profile.counterModulus) {
        this.fail(`counter field ${this.profile.counterField} out of range: ${c}`);
        return;
      }
      const gap = this.counter.gapTo(c);
      if (gap <= this.maxCounterGap) index = this.counter.next(c).index;
      else if (
        this.jumpedCounter !== undefined &&
        c === (this.jumpedCounter + 1) % this.profile.counterModulus
      ) {
        index = this.counter.restartAt(c);
        this.statsValue.resyncs++;
      } else {
        this.jumpedCounter = c;
        this.fail(`counter jumps by ${gap} samples (more than ${MAX_COUNTER_GAP_S} s): corrupted counter`);
        return;
      }
      this.jumpedCounter = undefined;
    }
    this.nextIndex = index + 1;
    const values = this.profile.channels.map((c) => (numbers[c.field] ?? 0) * c.scale + c.offset);
    // Samples are stored as float32: 1e300 is finite here but Infinity there.
    if (!values.every((v) => Number.isFinite(Math.fround(v)))) {
      this.fail('a value overflows the float32 sample range');
      return;
    }
    this.statsValue.packets++;
    this.block.add(index, values, out);
  }
}
