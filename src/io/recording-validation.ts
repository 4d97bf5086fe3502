/**
 * The one check every imported recording passes before anything is stored (see {@link validateRecording}),
 * and the bounds it holds files to. Readers call the single-value checks early, where they still know the
 * byte or line, so that a bad header is refused before its data is read; {@link readRecordingFile} then
 * checks the decoded recording whole, whatever reader made it.
 */
import type { Recording } from '../shared/recording.js';
import { RecordingFormatError } from './recording-format-error.js';

/** Lowest plausible sample rate, Hz (one sample every ~17 minutes: slow trend channels). */
export const MIN_SAMPLE_RATE_HZ = 0.001;
/** Highest plausible sample rate, Hz (EMG is sampled at up to ~10 kHz; 100 kHz leaves room for any ADC). */
export const MAX_SAMPLE_RATE_HZ = 100_000;
/** Most channels in one stream (the largest research amplifiers have 256–512). */
export const MAX_CHANNELS_PER_STREAM = 1024;
/** Most streams in one recording. */
export const MAX_STREAMS = 64;
/** Largest magnitude a stored sample or channel range may have: samples are stored as 32-bit floats. */
export const MAX_ABS_VALUE = 3.4028234663852886e38;
/** Recording start times Tonus accepts, ms since the Unix epoch: 1900-01-01 to 2200-01-01 (0: not given). */
export const MIN_START_TIME_MS = Date.UTC(1900, 0, 1);
export const MAX_START_TIME_MS = Date.UTC(2200, 0, 1);

/** Where a problem is in the file, when the reader knows it. */
export interface FilePlace {
  byteOffset?: number;
  line?: number;
}

/** Refuses a sample rate outside [{@link MIN_SAMPLE_RATE_HZ}, {@link MAX_SAMPLE_RATE_HZ}] (or not finite). */
export function checkSampleRate(
  file: string,
  field: string,
  sampleRateHz: number,
  where: FilePlace = {},
): void {
  if (!(sampleRateHz >= MIN_SAMPLE_RATE_HZ && sampleRateHz <= MAX_SAMPLE_RATE_HZ))
    throw new RecordingFormatError(
      file,
      `${field}: sample rate ${sampleRateHz} Hz is outside the plausible ${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ} Hz`,
      where,
    );
}

/** Refuses a channel count below 1 or above {@link MAX_CHANNELS_PER_STREAM}. */
export function checkChannelCount(
  file: string,
  field: string,
  channels: number,
  where: FilePlace = {},
): void {
  if (!(channels >= 1 && channels <= MAX_CHANNELS_PER_STREAM))
    throw new RecordingFormatError(
      file,
      `${field}: ${channels} channels (1 to ${MAX_CHANNELS_PER_STREAM} are accepted)`,
      where,
    );
}

/** Refuses a value that is not finite or would not fit a 32-bit float ({@link MAX_ABS_VALUE}). */
export function checkStorableValue(file: string, field: string, value: number, where: FilePlace = {}): void {
  if (!(Math.abs(value) <= MAX_ABS_VALUE))
    throw new RecordingFormatError(file, `${field}: ${value} is not a finite 32-bit value`, where);
}

/** Limits of one validation. */
export interface ValidationContext {
  /** Size of the file read, bytes: a file cannot hold more sample values than it has bytes. */
  fileSizeBytes: number;
}

/**
 * Checks a decoded recording whole, before anything of it is stored. Refuses (with a
 * {@link RecordingFormatError} naming the file and the field: stream, channel, sample) a recording with no
 * streams or more than {@link MAX_STREAMS}; a stream with no channel, more than
 * {@link MAX_CHANNELS_PER_STREAM}, channels of unequal length, or no samples; a sample rate outside
 * {@link MIN_SAMPLE_RATE_HZ}–{@link MAX_SAMPLE_RATE_HZ} Hz; a channel range that is not finite or is inverted;
 * more sample values than the file has bytes; any sample, timestamp or annotation time that is not finite;
 * timestamps that go back; a start time outside 1900–2200 (0, "not given", is accepted).
 */
export function validateRecording(rec: Recording, ctx: ValidationContext): void {
  const file = rec.source;
  const fail = (problem: string): never => {
    throw new RecordingFormatError(file, problem);
  };
  if (rec.streams.length === 0) fail('the file holds no signal (only time or annotations)');
  if (rec.streams.length > MAX_STREAMS) fail(`${rec.streams.length} streams (at most ${MAX_STREAMS})`);
  if (
    !Number.isFinite(rec.startTimeMs) ||
    (rec.startTimeMs !== 0 && (rec.startTimeMs < MIN_START_TIME_MS || rec.startTimeMs > MAX_START_TIME_MS))
  )
    fail(`start time ${rec.startTimeMs} ms is not a date between 1900 and 2200`);
  let values = 0;
  for (const s of rec.streams) {
    const d = s.descriptor;
    const field = `stream ${d.id}`;
    checkChannelCount(file, field, d.channels.length);
    checkSampleRate(file, field, d.sampleRateHz);
    if (s.data.length !== d.channels.length)
      fail(`${field}: ${s.data.length} data columns for ${d.channels.length} channels`);
    const n = s.data[0]?.length ?? 0;
    if (n === 0) fail(`${field}: no samples`);
    d.channels.forEach((c, k) => {
      const cf = `${field}, channel ${c.label} (${k + 1})`;
      checkStorableValue(file, `${cf} range minimum`, c.rangeMin);
      checkStorableValue(file, `${cf} range maximum`, c.rangeMax);
      if (c.rangeMin > c.rangeMax) fail(`${cf}: range ${c.rangeMin}..${c.rangeMax} is inverted`);
      const col = s.data[k] as Float32Array;
      if (col.length !== n) fail(`${cf}: ${col.length} samples where channel 1 has ${n}`);
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (!(v === v && Math.abs(v) !== Infinity))
          fail(`${cf}, sample ${i + 1}: ${v} is not a finite number`);
      }
    });
    values += n * d.channels.length;
    const t = s.timestampsMs;
    if (t) {
      if (t.length !== n) fail(`${field}: ${t.length} timestamps for ${n} samples`);
      for (let i = 0; i < n; i++) {
        const ti = t[i] as number;
        if (!Number.isFinite(ti)) fail(`${field}, timestamp ${i + 1}: ${ti} is not a finite time`);
        if (i > 0 && ti < (t[i - 1] as number)) fail(`${field}, timestamp ${i + 1}: time goes back`);
      }
    }
  }
  if (values > ctx.fileSizeBytes)
    fail(`${values} sample values decoded from a file of ${ctx.fileSizeBytes} bytes (at most one per byte)`);
  rec.annotations.forEach((a, i) => {
    if (
      !Number.isFinite(a.onsetS) ||
      (a.durationS !== undefined && !(a.durationS >= 0 && Number.isFinite(a.durationS)))
    )
      fail(`annotation ${i + 1} ("${a.text.slice(0, 40)}"): onset ${a.onsetS} s, duration ${a.durationS} s`);
  });
}
