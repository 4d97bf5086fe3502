import { closeSync, openSync, readSync } from 'node:fs';
import { RecordingFormatError } from './recording-format-error.js';

/** Longest line a text recording may have (a 1024-column row of long numbers is ~30 kB). */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * The lines of a UTF-8 text file, read in chunks of `chunkBytes` so that memory stays bounded whatever the
 * file's size: a leading byte-order mark is dropped, `\r\n` and `\n` both end a line. A line longer than
 * {@link MAX_LINE_CHARS} (a binary file, or no line ends) is refused with its line number.
 */
export function* readTextLines(path: string, chunkBytes = 1 << 20): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    let line = 0;
    let first = true;
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkBytes, null);
      let text = n > 0 ? decoder.decode(buffer.subarray(0, n), { stream: true }) : decoder.decode();
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      pending += text;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        line++;
        const end = nl > start && pending.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield pending.slice(start, end);
        start = nl + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_CHARS)
        throw new RecordingFormatError(path, `line longer than ${MAX_LINE_CHARS} characters`, {
          line: line + 1,
        });
      if (n === 0) break;
    }
    if (pending !== '') yield pending.replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}
