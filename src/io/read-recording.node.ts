/**
 * One entry point for recording files: detects the format from the content (not the name), reads the file
 * whole into a {@link Recording}, and writes recordings as BDF+/EDF+.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Recording, RecordingFormat } from '../shared/recording.js';
import { readEdfFile, writeEdfFile } from './edf/edf-file.node.js';
import { looksLikeBrainFlowCsv, parseBrainFlowCsv } from './import/brainflow-csv.js';
import { looksLikeOpenBciTxt, parseOpenBciTxt } from './import/openbci-txt.js';
import { RecordingFormatError } from './recording-format-error.js';
import { validateRecording } from './recording-validation.js';
import { looksLikeTextRecording, readTextRecordingFile } from './text-recording.node.js';

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
];

/** The format of a file from its first bytes; undefined when none matches. */
export function detectRecordingFormat(head: Uint8Array): RecordingFormat | undefined {
  if (head[0] === 0xff && new TextDecoder('latin1').decode(head.subarray(1, 8)) === 'BIOSEMI') return 'bdf';
  const text = new TextDecoder('utf-8').decode(head.subarray(0, 4096));
  if (text.startsWith('0       ')) return 'edf';
  if (looksLikeOpenBciTxt(text)) return 'openbci-txt';
  if (looksLikeBrainFlowCsv(text)) return 'brainflow-csv';
  const textFormat = looksLikeTextRecording(text);
  if (textFormat) return textFormat;
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
  const recording = readRegularFile(path, options);
  validateRecording(recording, { fileSizeBytes: stat.size });
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

function readRegularFile(path: string, options: ReadRecordingOptions): Recording {
  const format = options.format ?? detectRecordingFormat(readHead(path, HEAD_BYTES));
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
      return parseOpenBciTxt(readFileSync(path, 'utf8'), path);
    case 'brainflow-csv':
      return parseBrainFlowCsv(readFileSync(path, 'utf8'), path, options.boardId);
    case 'csv':
    case 'biosppy-txt':
      // Parsed as a stream of lines: memory stays near the decoded samples whatever the file's size.
      return readTextRecordingFile(path);
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
