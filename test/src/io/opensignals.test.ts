import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { parseOpenSignals } from '../../../src/io/import/opensignals.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';
import { pluxAccG, pluxEmgMv } from '../../../src/shared/plux-transfer.js';

/** Real OpenSignals exports (MIT); see fixtures/external-formats/opensignals/README.md. */
const dir = join(packageRoot(), 'fixtures', 'external-formats', 'opensignals');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const emgAcc = read('classification_game_0_1.txt');
const bitalinoEcg = read('SampleECG.txt');
const twoDevices = read('sync_cable_acoustic.txt');

/** Column `k` (0-based) of the data rows, raw, as a plain reading of the text gives it. */
const rawColumn = (text: string, k: number): number[] =>
  text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => Number(l.split('\t')[k]));

describe('PLUX transfer functions', () => {
  it('match the datasheet worked examples', () => {
    // biosignalsplux, 16 bits: (32816/65536 − 0.5) · 3 V / 1000 = 2.197 µV; ACC 2·(35932 − 28000)/10000 − 1.
    expect(pluxEmgMv(32816, 16, 'plux') * 1000).toBeCloseTo(2.197265625, 9);
    expect(pluxAccG(35932, 16, 'plux')).toBeCloseTo(0.5864, 9);
    // BITalino (r)evolution, 10 bits: (600/1024 − 0.5) · 3.3 V / 1009 = 0.28106 mV; mid-scale is 0.
    expect(pluxEmgMv(600, 10, 'bitalino')).toBeCloseTo(0.28106, 5);
    expect(pluxEmgMv(512, 10, 'bitalino')).toBe(0);
    // BITalino ACC default calibration: Cmin 400 → −1 g, Cmax 608 → +1 g at 10 bits; 25/38 at 6 bits.
    expect([pluxAccG(400, 10, 'bitalino'), pluxAccG(608, 10, 'bitalino')]).toEqual([-1, 1]);
    expect([pluxAccG(25, 6, 'bitalino'), pluxAccG(38, 6, 'bitalino')]).toEqual([-1, 1]);
  });
});

describe('OpenSignals text importer on real files', () => {
  it('biosignalsplux EMG + EMG + ACC (classification game 0_1): µV and g, 1000 Hz, start from the header', () => {
    const rec = parseOpenSignals(emgAcc, 'classification_game_0_1.txt');
    expect(rec.format).toBe('opensignals-txt');
    expect(rec.startTimeMs).toBe(Date.UTC(2019, 0, 23, 15, 26, 22, 578));
    expect(rec.streams.map((s) => [s.descriptor.id, s.descriptor.sampleRateHz, s.data.length])).toEqual([
      ['emg', 1000, 2],
      ['acc', 1000, 1],
    ]);
    const [emg, acc] = rec.streams as [(typeof rec.streams)[0], (typeof rec.streams)[0]];
    expect(emg.descriptor.channels.map((c) => [c.label, c.kind, c.unit])).toEqual([
      ['EMG CH1', 'emg', 'uV'],
      ['EMG CH2', 'emg', 'uV'],
    ]);
    expect(acc.descriptor.channels[0]).toMatchObject({ label: 'XYZ CH3', kind: 'accel', unit: 'g' });
    expect(emg.data[0]).toHaveLength(6000);
    // First row "0 0 32816 32647 35932": the addendum's worked example.
    expect(emg.data[0]![0]).toBeCloseTo(2.197265625, 4);
    expect(acc.data[0]![0]).toBeCloseTo(0.5864, 6);
    // Every sample is the transfer function of its raw column.
    const raw = rawColumn(emgAcc, 3);
    raw.forEach((v, k) => expect(emg.data[1]![k]).toBeCloseTo(((v / 65536 - 0.5) * 3000000) / 1000, 3));
    const meanAccG = acc.data[0]!.reduce((a, b) => a + b, 0) / 6000;
    expect(meanAccG).toBeCloseTo((2 * (35939.209 - 28000)) / 10000 - 1, 4);
    expect(emg.descriptor.channels[0]).toMatchObject({ rangeMin: -1500 });
    expect(rec.meta).toMatchObject({ device: 'biosignalsplux 00:07:80:4D:2E:AD', droppedSamples: '0' });
  });

  it('BITalino ECG (opensignalsreader SampleECG): per-column resolution, 4-bit nSeq wraps without drops', () => {
    const rec = parseOpenSignals(bitalinoEcg, 'SampleECG.txt');
    expect(rec.startTimeMs).toBe(Date.UTC(2016, 5, 11, 7, 3, 47, 290));
    expect(rec.streams).toHaveLength(1);
    const s = rec.streams[0]!;
    expect(s.descriptor.sampleRateHz).toBe(1000);
    expect(s.descriptor.channels[0]).toMatchObject({
      label: 'ECG A2',
      unit: 'counts',
      rangeMin: 0,
      rangeMax: 1023,
    });
    expect(s.data[0]).toHaveLength(22350);
    expect(Array.from(s.data[0]!)).toEqual(rawColumn(bitalinoEcg, 5));
    expect(Math.min(...s.data[0]!)).toBe(305);
    expect(Math.max(...s.data[0]!)).toBe(713);
    expect(s.timestampsMs).toBeUndefined();
    expect(rec.meta.droppedSamples).toBe('0');
  });

  it('two biosignalsplux devices in one file: columns split by device in header order', () => {
    const rec = parseOpenSignals(twoDevices, 'sync_cable_acoustic.txt');
    expect(rec.streams.map((s) => s.descriptor.id)).toEqual(['raw-1', 'raw-2']);
    expect(rec.streams[0]!.data[0]!.slice(0, 2)).toEqual(Float32Array.of(32682, 32468));
    expect(rec.streams[1]!.data[0]!.slice(0, 2)).toEqual(Float32Array.of(32489, 32545));
    expect(rec.streams[1]!.data[0]).toHaveLength(20250);
    expect(rec.meta['device-2']).toBe('biosignalsplux 00:07:80:3B:46:58');
  });

  it('keeps OpenSignals for Android phone sensors as written (header layout of biosignalsnotebooks sync_file.txt)', () => {
    const header = {
      'internal sensors': {
        sensor: ['xAcc', 'yAcc'],
        'device name': 'internal sensors',
        column: ['nSeq', 'xAcc', 'yAcc'],
        channels: [0, 1],
        device: 'android',
        'sampling rate': 100,
        label: ['xAcc', 'yAcc'],
        resolution: [1, 1],
        date: '2020-07-29',
        time: '19:52:00',
      },
    };
    const text = `# OpenSignals Text File Format\n# ${JSON.stringify(header)}\n# EndOfHeader\n0\t9.5\t-4\t\n1\t9.25\t1\t\n`;
    const rec = parseOpenSignals(text, 'phone.txt');
    const s = rec.streams[0]!;
    expect(s.descriptor.channels.map((c) => [c.label, c.unit])).toEqual([
      ['xAcc xAcc', 'none'],
      ['yAcc yAcc', 'none'],
    ]);
    expect(Array.from(s.data[1]!)).toEqual([-4, 1]);
    const y = s.descriptor.channels[1]!;
    expect(y.rangeMin).toBeLessThan(-4);
    expect(y.rangeMax).toBeGreaterThan(1);
  });

  it('counts a BITalino drop from the wrapping sequence number', () => {
    const lines = bitalinoEcg.split('\n');
    lines.splice(10, 3); // rows with nSeq 7, 8, 9
    const rec = parseOpenSignals(lines.join('\n'), 'cut.txt');
    expect(rec.meta.droppedSamples).toBe('3');
    const t = rec.streams[0]!.timestampsMs!;
    expect(t[7]! - t[6]!).toBeCloseTo(4, 9);
  });
});

describe('OpenSignals importer refuses damaged files whole', () => {
  const refusal = (text: string): RecordingFormatError => {
    try {
      parseOpenSignals(text, 'bad.txt');
    } catch (err) {
      if (err instanceof RecordingFormatError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('names the line', () => {
    const lines = emgAcc.split('\n');
    expect(refusal(lines.slice(1).join('\n')).line).toBe(1);
    expect(refusal([lines[0], '# {"a": ', ...lines.slice(2)].join('\n')).message).toMatch(
      /JSON header does not parse.*\(at line 2\)$/,
    );
    expect(
      refusal(
        [lines[0], lines[1]!.replace('"sampling rate": 1000', '"sampling rate": 0'), ...lines.slice(2)].join(
          '\n',
        ),
      ).message,
    ).toMatch(/"sampling rate" must be a positive number \(at line 2\)/);
    const short = [...lines];
    short[100] = short[100]!.replace(/\t\d+\t$/, '\t');
    expect(refusal(short.join('\n')).message).toMatch(/expected 5 values, found 4 \(at line 101\)/);
    const word = [...lines];
    word[50] = word[50]!.replace(/^\d+/, 'x');
    expect(refusal(word.join('\n')).message).toMatch(/column 1 holds "x".*\(at line 51\)/);
    expect(refusal(lines.slice(0, 3).join('\n')).message).toMatch(/no samples after the header/);
  });

  it('fuzz: mutations of the real files are a recording with finite values or a RecordingFormatError', () => {
    const seeds = [emgAcc.slice(0, 4000), bitalinoEcg.slice(0, 3000), twoDevices.slice(0, 3000)];
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (seed, edits, cut) => {
          let text = seeds[seed]!;
          for (const [at, s] of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + s + text.slice(k + 1);
          }
          text = text.slice(0, text.length - (cut % 50));
          try {
            const rec = parseOpenSignals(text, 'fuzz.txt');
            return rec.streams.every(
              (s) =>
                s.data.every((ch) => ch.every(Number.isFinite)) &&
                s.descriptor.channels.every(
                  (c) => Number.isFinite(c.rangeMin) && Number.isFinite(c.rangeMax),
                ),
            );
          } catch (err) {
            return err instanceof RecordingFormatError;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('OpenSignals through the reader dispatch', () => {
  it('is detected from the content', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tonus-os-')), 'export.dat');
    writeFileSync(path, emgAcc);
    const rec = readRecordingFile(path);
    expect(rec.format).toBe('opensignals-txt');
    expect(rec.streams[0]!.data[0]).toHaveLength(6000);
  });
});
