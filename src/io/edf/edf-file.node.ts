/**
 * EDF+/BDF+ files on disk: whole-file read and write, and a streaming writer that survives being killed
 * (header first with records = -1, complete records appended, header fixed at close).
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import type { Annotation, Recording } from '../../shared/recording.js';
import { writeChunksAtomically } from '../atomic-file.node.js';
import { RecordingFormatError } from '../recording-format-error.js';
import { decodeEdf } from './edf-decoder.js';
import type { EdfEncoderOptions } from './edf-encoder.js';
import { createRecordingEncoder, EdfEncoder, encodeRecording } from './edf-encoder.js';
import type { EdfKind } from './edf-format.js';

/**
 * Reads an EDF/EDF+/BDF/BDF+ file whole. Throws {@link RecordingFormatError} if it is truncated, corrupted,
 * or its extension (.edf/.bdf) disagrees with its content.
 */
export function readEdfFile(path: string): Recording {
  const bytes = readFileSync(path);
  const recording = decodeEdf(bytes, path);
  const ext = extname(path).toLowerCase();
  if ((ext === '.edf' && recording.format === 'bdf') || (ext === '.bdf' && recording.format === 'edf'))
    throw new RecordingFormatError(
      path,
      `mislabeled: named ${ext} but holds ${recording.format.toUpperCase()} data (version field)`,
      { byteOffset: 0 },
    );
  return recording;
}

/**
 * Writes a whole recording as EDF+ or BDF+ (see {@link encodeRecording}); the file is replaced atomically
 * (an interrupted write leaves the previous file or none).
 */
export function writeEdfFile(
  path: string,
  recording: Recording,
  kind: EdfKind,
  options: Partial<Omit<EdfEncoderOptions, 'kind' | 'streams' | 'startTimeMs'>> = {},
): void {
  writeChunksAtomically(path, encodeRecording(recording, kind, options));
}

/**
 * Appends to an EDF+/BDF+ file as data arrives. Guarantees: the header (records = -1) is on disk as soon as
 * the writer is created and each record is written as soon as the record after it is complete, so a
 * process killed at any moment leaves a file {@link readEdfFile} opens, missing at most the last two
 * records' worth of data; `close()` writes the rest and the final record count.
 */
export class EdfFileWriter {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    private readonly encoder: EdfEncoder,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, encoder.header(-1));
  }

  static create(path: string, options: EdfEncoderOptions): EdfFileWriter {
    return new EdfFileWriter(path, new EdfEncoder(options));
  }

  /** A writer sized for `recording`'s streams and annotations, without writing its samples. */
  static forRecording(path: string, recording: Recording, kind: EdfKind): EdfFileWriter {
    return new EdfFileWriter(path, createRecordingEncoder(recording, kind));
  }

  /** Appends samples of stream `streamIndex` (channel-major, descriptor units). */
  append(streamIndex: number, data: readonly Float32Array[]): void {
    this.write(this.encoder.append(streamIndex, data));
  }

  annotate(annotation: Annotation): void {
    this.encoder.annotate(annotation);
  }

  /** Declares a gap up to `resumeAtS` (recording time); see {@link EdfEncoder.gap}. */
  gap(resumeAtS: number): void {
    this.write(this.encoder.gap(resumeAtS));
  }

  /** Writes everything left, fixes the header and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    const { records, header } = this.encoder.finish();
    this.write(records);
    writeSync(this.fd, header, 0, header.length, 0);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(chunks: Uint8Array[]): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    for (const chunk of chunks) writeSync(this.fd, chunk);
  }
}
