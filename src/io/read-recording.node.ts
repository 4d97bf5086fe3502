/**
 * One entry point for recording files: detects the format from the content (not the name), reads the file
 * whole into a {@link Recording}, and writes recordings as BDF+/EDF+.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Recording, RecordingFormat } from '../shared/recording.js';
import { readEdfFile, writeEdfFile } from './edf/edf-file.node.js';
import { looksLikeBrainFlowCsv, parseBrainFlowCsv } from './import/brainflow-csv.js';
import { looksLikeOpenBciTxt, parseOpenBciTxt } from './import/openbci-txt.js';
import { looksLikeC3d, parseC3d } from './import/c3d.js';
import { looksLikeOpenSignals, parseOpenSignals } from './import/opensignals.js';
import { looksLikeXdf, parseXdf } from './import/xdf.js';
import { RecordingFormatError } from './recording-format-error.js';
import { validateRecording } from './recording-validation.js';
import { looksLikeTextRecording, parseTextRecording, readTextRecordingFile } from './text-recording.node.js';

export interface ReadRecordingOptions {
  /** Skip detection and read as this format. */
  format?: RecordingFormat;
  /** BrainFlow board id, needed for BrainFlow CSV unless the column count identifies the board. */
  boardId?: number;
}

/** Formats {@link readRecordingFile} reads. */
export const readableFormats: readonly RecordingFormat[] = [
  'bdf',
  'edf',
  'openbci-txt',
  'brainflow-csv',
  'csv',
  'biosppy-txt',
  'xdf',
  'opensignals-txt',
  'c3d',
];

/** The format of a file from its first bytes; undefined when none matches. */
export function detectRecordingFormat(head: Uint8Array): RecordingFormat | undefined {
  if (head[0] === 0xff && new TextDecoder('latin1').decode(head.subarray(1, 8)) === 'BIOSEMI') return 'bdf';
  if (looksLikeXdf(head)) return 'xdf';
  const text = new TextDecoder('utf-8').decode(head.subarray(0, 4096));
  if (text.startsWith('0       ')) return 'edf';
  if (looksLikeOpenBciTxt(text)) return 'openbci-txt';
  if (looksLikeOpenSignals(text)) return 'opensignals-txt';
  if (looksLikeBrainFlowCsv(text)) return 'brainflow-csv';
  const textFormat = looksLikeTextRecording(text);
  if (textFormat) return textFormat;
  // Last: C3D's signature is two header bytes and a processor byte, weaker than the text formats' headers.
  if (looksLikeC3d(head)) return 'c3d';
  return undefined;
}

/**
 * Reads a recording file whole. Guarantees: either a complete {@link Recording} that passed
 * {@link validateRecording} (every reader's output goes through it: finite values, plausible rates, bounded
 * channels, counts consistent with the file size) or a {@link RecordingFormatError} naming the file, the problem
 * and its field, byte offset or line. Anything but a regular file (a device such as /dev/zero, a FIFO, a
 * folder) is refused before a byte is read.
 */
export function readRecordingFile(path: string, options: ReadRecordingOptions = {}): Recording {
  const stat = statSync(path);
  if (!stat.isFile())
    throw new RecordingFormatError(path, 'not a regular file (a device, pipe or folder cannot be imported)', {
      byteOffset: 0,
    });
  const { recording, contentBytes } = readRegularFile(path, options, stat.size);
  validateRecording(recording, { fileSizeBytes: contentBytes });
  return recording;
}

/** The first `n` bytes of a file (fewer when it is shorter). */
function readHead(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(n);
    return head.subarray(0, readSync(fd, head, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Bytes detection looks at. */
const HEAD_BYTES = 64 * 1024;

/** True for gzip data (magic 1F 8B): `.xdfz` and other gzip-compressed recordings. */
const isGzip = (head: Uint8Array): boolean => head[0] === 0x1f && head[1] === 0x8b;

/**
 * Reads a regular file by its format; `contentBytes` is the size the samples came from (the decompressed size
 * of a gzip file), which bounds how many sample values the file can plausibly hold.
 */
function readRegularFile(
  path: string,
  options: ReadRecordingOptions,
  fileSizeBytes: number,
): { recording: Recording; contentBytes: number } {
  const head = readHead(path, HEAD_BYTES);
  // A compressed file is decompressed whole (bounded by MAX_GUNZIP_BYTES); a plain one is read by its format.
  const unzipped = isGzip(head) ? gunzipped(readFileSync(path), path) : undefined;
  const recording = readByFormat(path, options, head, unzipped);
  return { recording, contentBytes: unzipped?.length ?? fileSizeBytes };
}

function readByFormat(
  path: string,
  options: ReadRecordingOptions,
  head: Uint8Array,
  unzipped: Buffer | undefined,
): Recording {
  const bytes = (): Buffer => unzipped ?? readFileSync(path);
  const format = options.format ?? detectRecordingFormat(unzipped ?? head);
  switch (format) {
    case 'bdf':
    case 'edf': {
      const recording = readEdfFile(path);
      if (options.format !== undefined && recording.format !== options.format)
        throw new RecordingFormatError(
          path,
          `asked to read ${options.format.toUpperCase()} but the file holds ${recording.format.toUpperCase()}`,
          { byteOffset: 0 },
        );
      return recording;
    }
    case 'openbci-txt':
      return parseOpenBciTxt(bytes().toString('utf8'), path);
    case 'brainflow-csv':
      return parseBrainFlowCsv(bytes().toString('utf8'), path, options.boardId);
    case 'csv':
    case 'biosppy-txt':
      if (unzipped) return parseTextRecording(unzipped.toString('utf8'), path);
      // Parsed as a stream of lines: memory stays near the decoded samples whatever the file's size.
      return readTextRecordingFile(path);
    case 'xdf':
      return parseXdf(bytes(), path);
    case 'c3d':
      return parseC3d(bytes(), path);
    case 'opensignals-txt':
      return parseOpenSignals(bytes().toString('utf8'), path);
    case undefined:
      throw new RecordingFormatError(
        path,
        `unrecognised recording format (readable: ${readableFormats.join(', ')})`,
        { byteOffset: 0 },
      );
    default:
      throw new RecordingFormatError(path, `reading ${format} files is not supported here`, {
        byteOffset: 0,
      });
  }
}

/** Largest decompressed size read from a gzip file (`.xdfz` and other gzip-compressed recordings). */
const MAX_GUNZIP_BYTES = 2 ** 31;

/** A gzip file's bytes decompressed, as pyxdf reads `.xdfz`. */
function gunzipped(bytes: Buffer, path: string): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
  } catch (err) {
    throw new RecordingFormatError(path, `damaged gzip data: ${(err as Error).message}`, { byteOffset: 0 });
  }
}

/**
 * Writes `recording` as BDF+ (24-bit) or EDF+ (16-bit), replacing `path`. `annotateGaps: false` when the
 * recording's own annotations already describe every jump in its timestamps (see `EdfEncoderOptions`).
 */
export function writeRecordingFile(
  path: string,
  recording: Recording,
  format: 'bdf' | 'edf',
  options: { annotateGaps?: boolean } = {},
): void {
  writeEdfFile(path, recording, format, options);
}
