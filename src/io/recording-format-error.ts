/**
 * The one error every Tonus file reader throws for bad input: truncated, corrupted or mislabeled files.
 * Readers refuse a file whole (nothing half-read is returned); the message names the file, what is wrong and
 * where (`byteOffset` for binary formats, `line` for text formats).
 */
export class RecordingFormatError extends Error {
  readonly file: string;
  readonly problem: string;
  readonly byteOffset: number | undefined;
  readonly line: number | undefined;

  constructor(file: string, problem: string, where: { byteOffset?: number; line?: number } = {}) {
    const at =
      where.byteOffset !== undefined
        ? ` (at byte offset ${where.byteOffset})`
        : where.line !== undefined
          ? ` (at line ${where.line})`
          : '';
    super(`${file}: ${problem}${at}`);
    this.name = 'RecordingFormatError';
    this.file = file;
    this.problem = problem;
    this.byteOffset = where.byteOffset;
    this.line = where.line;
  }
}
