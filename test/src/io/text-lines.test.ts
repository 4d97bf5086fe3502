import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { MAX_LINE_CHARS, readTextLines } from '../../../src/io/text-lines.node.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-lines-'));

describe('readTextLines', () => {
  it('yields the same lines whatever the chunk size: BOM dropped, CRLF and LF, multi-byte characters split', () => {
    const file = join(dir, 'mixed.txt');
    const text = '\uFEFFtime_s,µV_é\r\n0,1\n\n0.5,2\r\nlast';
    writeFileSync(file, text);
    const expected = ['time_s,µV_é', '0,1', '', '0.5,2', 'last'];
    for (const chunk of [1, 2, 3, 7, 1 << 20]) expect([...readTextLines(file, chunk)]).toEqual(expected);
  });

  it('refuses a line longer than the limit with its number, before reading the rest', () => {
    const file = join(dir, 'long.csv');
    writeFileSync(file, `time_s,a_mV\n0,1\n${'9'.repeat(MAX_LINE_CHARS + 10)}`);
    expect(() => readRecordingFile(file)).toThrow(
      /long\.csv: line longer than 1048576 characters \(at line 3\)/,
    );
  });

  it('reads a CSV the same as a stream and from memory', () => {
    const file = join(dir, 'small.csv');
    writeFileSync(file, 'time_s,a_mV,b_mV\r\n0,1,-1\r\n0.01,2,-2\r\n0.02,3,-3\r\n');
    const rec = readRecordingFile(file);
    expect(rec.streams[0]?.descriptor).toMatchObject({ id: 'emg', sampleRateHz: 100 });
    expect(rec.streams[0]?.descriptor.channels.map((c) => [c.rangeMin, c.rangeMax])).toEqual([
      [1, 3],
      [-3, -1],
    ]);
    expect(rec.streams[0]?.data.map((c) => [...c])).toEqual([
      [1, 2, 3],
      [-1, -2, -3],
    ]);
  });
});
