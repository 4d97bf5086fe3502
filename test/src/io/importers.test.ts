import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brainFlowBoard } from '../../../src/io/import/brainflow-boards.js';
import { parseBrainFlowCsv } from '../../../src/io/import/brainflow-csv.js';
import { counterTimeline } from '../../../src/io/import/packet-counter.js';
import { parseOpenBciTxt } from '../../../src/io/import/openbci-txt.js';
import { readRecordingFile, writeRecordingFile } from '../../../src/io/read-recording.node.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-import-'));

/** A v5 Cyton file as the GUI writes it; `skip` leaves out sample indices to simulate drops. */
function openBciV5(rows: number, skip: ReadonlySet<number> = new Set()): string {
  const names = [
    'Sample Index',
    ...Array.from({ length: 8 }, (_, i) => `EXG Channel ${i}`),
    'Accel Channel 0',
    'Accel Channel 1',
    'Accel Channel 2',
    'Not Used',
    'Digital Channel 0 (D11)',
    'Timestamp',
    'Marker Channel',
    'Timestamp (Formatted)',
  ];
  const lines = [
    '%OpenBCI Raw EXG Data',
    '%Number of channels = 8',
    '%Sample Rate = 250 Hz',
    '%Board = OpenBCI_GUI$BoardCytonSerial',
    names.join(', '),
  ];
  for (let k = 0; k < rows + skip.size; k++) {
    if (skip.has(k)) continue;
    const t = 1557936889.064 + k / 250;
    lines.push(
      [
        k % 256,
        ...Array.from({ length: 8 }, (_, c) => (45997.52 + c * 10 + k).toFixed(2)),
        '0.012',
        '-0.998',
        '0.031',
        '0.0',
        '0.0',
        t.toFixed(3),
        k === 10 ? '3.0' : '0.0',
        '2019-05-15 12:14:49.064',
      ].join(', '),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('OpenBCI GUI .txt importer', () => {
  it('reads a v5/v6 file by column names: EXG µV, accel g, start time, markers', () => {
    const rec = parseOpenBciTxt(openBciV5(300), 'a.txt');
    expect(rec.format).toBe('openbci-txt');
    expect(rec.startTimeMs).toBe(1557936889064);
    const [exg, accel] = rec.streams;
    expect(exg?.descriptor).toMatchObject({ id: 'exg', sampleRateHz: 250 });
    expect(exg?.descriptor.channels).toHaveLength(8);
    expect(exg?.data[2]?.[5]).toBeCloseTo(45997.52 + 20 + 5, 1);
    expect(accel?.data[1]?.[0]).toBeCloseTo(-0.998, 5);
    expect(rec.annotations).toEqual([{ onsetS: 10 / 250, text: 'Marker 3' }]);
    expect(rec.meta).toMatchObject({ openbciVersion: 'v6', droppedSamples: '0' });
    expect(exg?.timestampsMs).toBeUndefined();
  });

  it('counts drops across the 8-bit Sample Index wrap and places samples on the device clock', () => {
    const rec = parseOpenBciTxt(openBciV5(600, new Set([254, 255, 256, 400])), 'drops.txt');
    expect(rec.meta.droppedSamples).toBe('4');
    const ts = rec.streams[0]!.timestampsMs!;
    expect(ts[254]! - ts[253]!).toBeCloseTo(4 * 4, 6);
    expect(ts[ts.length - 1]! - rec.startTimeMs).toBeCloseTo((603 * 1000) / 250, 6);
  });

  it('reads the older v3/v4 layout without a column row', () => {
    const text = [
      '%OpenBCI Raw EEG Data',
      '%Sample Rate = 250.0 Hz',
      '%First Column = SampleIndex',
      '%Last Column = Timestamp',
      '%Other Columns = EEG data in microvolts followed by Accel Data (in G) interleaved with Aux Data',
      '0, 1.50, 2.50, 3.50, 4.50, 0.000, 0.000, 1.000, 18:51:16.059',
      '1, 1.60, 2.60, 3.60, 4.60, 0.000, 0.000, 1.000, 18:51:16.063',
      '',
    ].join('\n');
    const rec = parseOpenBciTxt(text, 'old.txt');
    expect(rec.meta.openbciVersion).toBe('v3/v4');
    expect(rec.streams[0]!.descriptor.channels).toHaveLength(4);
    expect(Array.from(rec.streams[0]!.data[3]!)).toEqual([Math.fround(4.5), Math.fround(4.6)]);
    expect(rec.streams[1]!.data[2]![0]).toBe(1);
    expect(rec.meta.firstSampleTime).toBe('18:51:16.059');
  });

  it('names the line of a short or non-numeric row', () => {
    const lines = openBciV5(20).split('\n');
    lines[9] = lines[9]!.split(', ').slice(0, 10).join(', ');
    expect(() => parseOpenBciTxt(lines.join('\n'), 'short.txt')).toThrow(
      /short\.txt: expected 17 values, found 10 \(at line 10\)/,
    );
    const bad = openBciV5(20).replace(/\n3, 460\d\d\.\d\d/, '\n3, oops');
    expect(() => parseOpenBciTxt(bad, 'nan.txt')).toThrow(/"EXG Channel 0" holds "oops".*line 9/);
  });
});

describe('BrainFlow CSV importer', () => {
  const cyton = brainFlowBoard(0)!;
  const csv = (rows: number, cols = cyton.numRows, skip = new Set<number>()): string => {
    const out: string[] = [];
    for (let k = 0; k < rows + skip.size; k++) {
      if (skip.has(k)) continue;
      const row = new Array<string>(cols).fill('0.000000');
      row[0] = (k % 256).toFixed(6);
      for (let c = 1; c <= 8; c++) row[c] = (c * 100 + k * 0.5).toFixed(6);
      row[9] = '0.500000';
      if (cols > 23) {
        row[22] = (1700000000 + k / 250).toFixed(6);
        row[23] = k === 7 ? '2.000000' : '0.000000';
      }
      out.push(row.join('\t'));
    }
    return `${out.join('\n')}\n`;
  };

  it('reads Cyton rows by the board descriptor', () => {
    const rec = parseBrainFlowCsv(csv(100), 'b.csv', 0);
    expect(rec.meta).toMatchObject({ board: 'Cyton', boardId: '0', droppedSamples: '0' });
    expect(rec.startTimeMs).toBe(1700000000000);
    expect(rec.streams.map((s) => [s.descriptor.id, s.descriptor.channels.length])).toEqual([
      ['exg', 8],
      ['accel', 3],
    ]);
    expect(rec.streams[0]!.data[1]![4]).toBeCloseTo(202, 5);
    expect(rec.annotations).toEqual([{ onsetS: 7 / 250, text: 'Marker 2' }]);
  });

  it('reports a clock that disagrees with the sample count instead of counting drops from it', () => {
    // 2000 samples (8 s at 250 Hz, eight counter periods) whose clock runs 3 times too fast.
    const fast = csv(2000)
      .split('\n')
      .map((line) => {
        const cells = line.split('\t');
        if (cells.length < 23) return line;
        cells[22] = (1700000000 + (Number(cells[22]) - 1700000000) * 3).toFixed(6);
        return cells.join('\t');
      })
      .join('\n');
    const rec = parseBrainFlowCsv(fast, 'fast.csv', 0);
    expect(rec.meta.droppedSamples).toBe('0');
    expect(rec.meta.clockDisagreement).toBe(
      "The file's clock spans 23.988 s but its 2000 samples at 250 Hz span 7.996 s (200.0 % apart); sample times follow the sample count.",
    );
    expect(rec.annotations[0]).toEqual({ onsetS: 0, text: `Clock: ${rec.meta.clockDisagreement}` });
    expect(parseBrainFlowCsv(csv(2000), 'ok.csv', 0).meta.clockDisagreement).toBeUndefined();
  });

  it('infers a board from a unique column count, asks for the id otherwise', () => {
    expect(parseBrainFlowCsv(csv(10), 'b.csv').meta.board).toBe('Cyton');
    expect(() => parseBrainFlowCsv(csv(10, 32), 'd.csv')).toThrow(
      /cannot tell the BrainFlow board from 32 columns.*give the board id/,
    );
    expect(parseBrainFlowCsv(csv(10, 32), 'd.csv', 2).meta.board).toBe('CytonDaisy');
    expect(parseBrainFlowCsv(csv(10, 32), 'd.csv', -1).streams.map((s) => s.descriptor.id)).toEqual([
      'exg',
      'accel',
      'gyro',
    ]);
    expect(parseBrainFlowCsv(csv(10, 15), 'g.csv').meta.board).toBe('Ganglion');
  });

  it('counts dropped packages and refuses bad rows with their line', () => {
    expect(parseBrainFlowCsv(csv(300, 24, new Set([5, 6, 255, 256])), 'b.csv', 0).meta.droppedSamples).toBe(
      '4',
    );
    const lines = csv(10).split('\n');
    lines[4] = lines[4]!.replace(/\t[^\t]+$/, '');
    expect(() => parseBrainFlowCsv(lines.join('\n'), 'x.csv', 0)).toThrow(
      /expected 24 tab-separated values.*found 23 \(at line 5\)/,
    );
    expect(() => parseBrainFlowCsv(csv(5), 'x.csv', 99)).toThrow(/unknown BrainFlow board id 99/);
  });

  it('fuzz: any text or truncation is a recording or a RecordingFormatError', () => {
    const good = csv(20);
    const ok = (text: string, parse: (t: string) => unknown): boolean => {
      try {
        parse(text);
        return true;
      } catch (err) {
        return err instanceof RecordingFormatError;
      }
    };
    const txt = openBciV5(20);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.nat({ max: good.length }),
        fc.nat({ max: txt.length }),
        (s, a, b) =>
          [s, good.slice(0, a), txt.slice(0, b)].every(
            (t) => ok(t, (x) => parseBrainFlowCsv(x, 'f', 0)) && ok(t, (x) => parseOpenBciTxt(x, 'f')),
          ),
      ),
      { numRuns: 300 },
    );
  });
});

describe('packet counter', () => {
  it('uses host times to see a loss of a whole counter period', () => {
    const counters = [0, 1, 2, 3, 4, 5];
    const timesS = [0, 0.004, 0.008, 0.012 + 256 / 250, 0.016 + 256 / 250, 0.02 + 256 / 250];
    expect(counterTimeline(counters).droppedSamples).toBe(0);
    const t = counterTimeline(counters, { timesS, sampleRateHz: 250 });
    expect(t.droppedSamples).toBe(256);
    expect(t.positions[3]).toBe(259);
  });

  it('does not count a host stall that is caught up as a loss', () => {
    const n = 1200;
    const counters = Array.from({ length: n }, (_, i) => i % 256);
    // Samples 100.. arrive 1.1 s late, then in a fast burst until they are back on schedule.
    const timesS = counters.map((_, i) =>
      i < 100 ? i / 250 : Math.max(i / 250, 99 / 250 + 1.1 + (i - 100) / 2500),
    );
    expect(counterTimeline(counters, { timesS, sampleRateHz: 250 }).droppedSamples).toBe(0);
  });

  it('detects the step of Cyton + Daisy (2) and counts drops across the wrap', () => {
    const counters = [250, 252, 254, 0, 2, 8, 10];
    const t = counterTimeline(counters);
    expect(t.step).toBe(2);
    expect(t.droppedSamples).toBe(2);
    expect(Array.from(t.positions)).toEqual([0, 1, 2, 3, 4, 7, 8]);
  });
});

describe('readRecordingFile', () => {
  it('detects every readable format from the content, not the name', () => {
    const txt = join(dir, 'recording.dat');
    writeFileSync(txt, openBciV5(50));
    const rec = readRecordingFile(txt);
    expect(rec.format).toBe('openbci-txt');
    const bdf = join(dir, 'export.bdf');
    writeRecordingFile(bdf, rec, 'bdf');
    const back = readRecordingFile(bdf);
    expect(back.format).toBe('bdf');
    expect(back.streams[0]!.data[0]![3]).toBeCloseTo(rec.streams[0]!.data[0]![3]!, 1);
    const csvPath = join(dir, 'board.csv');
    writeFileSync(csvPath, 'x'.repeat(10));
    expect(() => readRecordingFile(csvPath)).toThrow(RecordingFormatError);
    expect(() => readRecordingFile(csvPath)).toThrow(/unrecognised recording format/);
    expect(() => readRecordingFile(bdf, { format: 'edf' })).toThrow(/asked to read EDF/);
  });
});
