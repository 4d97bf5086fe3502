import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { loadXdfStreams, parseXdf } from '../../../src/io/import/xdf.js';
import { readXdfChunks } from '../../../src/io/import/xdf-chunks.js';
import { dejitter } from '../../../src/io/import/xdf-clock.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';
import type { Recording } from '../../../src/shared/recording.js';

/** Real XDF files from xdf-modules/example-files (MIT); see fixtures/external-formats/xdf/README.md. */
const dir = join(packageRoot(), 'fixtures', 'external-formats', 'xdf');
const minimal = readFileSync(join(dir, 'minimal.xdf'));
const emptyStreams = readFileSync(join(dir, 'empty_streams.xdf'));
const clockResets = gunzipSync(readFileSync(join(dir, 'clock_resets.xdfz')));

const info = (
  s: { header: { children: { name: string; text: string }[] } },
  name: string,
): string | undefined => s.header.children.find((c) => c.name === name)?.text;

/** Every value a recording stores is a finite number, channel ranges included. */
function allFinite(rec: Recording): boolean {
  return (
    rec.streams.every(
      (s) =>
        s.data.every((ch) => ch.every(Number.isFinite)) &&
        (s.timestampsMs ?? []).every(Number.isFinite) &&
        s.descriptor.channels.every((c) => Number.isFinite(c.rangeMin) && Number.isFinite(c.rangeMax)),
    ) && rec.annotations.every((a) => Number.isFinite(a.onsetS))
  );
}

describe('XDF importer on pyxdf test_data.py expectations', () => {
  it('minimal.xdf: two streams, int16 values, clock offsets applied (t − 0.1 s), string samples', () => {
    const { header, streams } = loadXdfStreams(minimal, 'minimal.xdf');
    expect(header.children.find((c) => c.name === 'version')?.text).toBe('1.0');
    expect(streams).toHaveLength(2);
    const [eeg, str] = streams as [(typeof streams)[0], (typeof streams)[0]];
    expect([eeg.id, info(eeg, 'name'), info(eeg, 'type'), info(eeg, 'channel_format')]).toEqual([
      0,
      'SendDataC',
      'EEG',
      'int16',
    ]);
    expect(info(eeg, 'created_at')).toBe('50942.723319709003');
    expect(eeg.effectiveRateHz).toBeCloseTo(10, 6);
    expect(eeg.segments).toEqual([[0, 8]]);
    expect(eeg.clockSegments).toEqual([[0, 8]]);
    const rows = [
      [192, 255, 238],
      [12, 22, 32],
      [13, 23, 33],
      [14, 24, 34],
      [15, 25, 35],
      [12, 22, 32],
      [13, 23, 33],
      [14, 24, 34],
      [15, 25, 35],
    ];
    expect(eeg.values.map((ch) => Array.from(ch))).toEqual([0, 1, 2].map((c) => rows.map((r) => r[c])));
    [5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9].forEach((t, k) =>
      expect(eeg.timesS[k]).toBeCloseTo(t - 0.1, 9),
    );
    expect(eeg.clockTimesS).toEqual([6.1, 7.1]);
    expect(eeg.clockValuesS).toEqual([-0.1, -0.1]);
    expect(xmlFooterText(eeg.footer, 'sample_count')).toBe('9');

    expect([str.id, info(str, 'name'), info(str, 'type'), info(str, 'channel_format')]).toEqual([
      0x02c0ffee,
      'SendDataString',
      'StringMarker',
      'string',
    ]);
    expect(str.effectiveRateHz).toBeCloseTo(10, 6);
    expect(str.segments).toEqual([[0, 8]]);
    expect(str.clockSegments).toEqual([]);
    expect(str.strings.map((s) => s[0])).toEqual([
      '<?xml version="1.0"?><info><writer>LabRecorder xdfwriter</writer><first_timestamp>5.1</first_timestamp>' +
        '<last_timestamp>5.9</last_timestamp><sample_count>9</sample_count><clock_offsets><offset><time>50979.76' +
        '</time><value>-.01</value></offset><offset><time>50979.86</time><value>-.02</value></offset>' +
        '</clock_offsets></info>',
      'Hello',
      'World',
      'from',
      'LSL',
      'Hello',
      'World',
      'from',
      'LSL',
    ]);
    [5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9].forEach((t, k) => expect(str.timesS[k]).toBeCloseTo(t, 9));
    expect(str.clockTimesS).toEqual([]);

    const rec = parseXdf(minimal, 'minimal.xdf');
    expect(rec.format).toBe('xdf');
    expect(rec.streams).toHaveLength(1);
    expect(rec.streams[0]!.descriptor).toMatchObject({ label: 'SendDataC', sampleRateHz: 10 });
    expect(Array.from(rec.streams[0]!.data[2]!)).toEqual(rows.map((r) => r[2]));
    expect(rec.annotations.map((a) => a.text).slice(1)).toEqual(
      ['Hello', 'World', 'from', 'LSL', 'Hello', 'World', 'from', 'LSL'].map((w) => `SendDataString: ${w}`),
    );
    // Time 0 is the earliest synchronised sample (the int16 stream's 5.0 s); the markers were not shifted.
    expect(rec.annotations[1]!.onsetS).toBeCloseTo(0.2, 9);
    expect(rec.streams[0]!.timestampsMs![8]).toBeCloseTo(800, 6);
  });

  it('clock_resets.xdf: two clock segments per stream, 92.934 Hz effective, reset becomes a break', () => {
    const { header, streams } = loadXdfStreams(clockResets, 'clock_resets.xdf');
    expect(header.children.find((c) => c.name === 'version')?.text).toBe('1.0');
    expect(streams).toHaveLength(2);
    const [markers, eeg] = streams as [(typeof streams)[0], (typeof streams)[0]];
    expect([
      markers.id,
      info(markers, 'name'),
      info(markers, 'nominal_srate'),
      info(markers, 'hostname'),
    ]).toEqual([1, 'MyMarkerStream', '0', 'BP-LP-022']);
    expect(markers.effectiveRateHz).toBe(0);
    expect(markers.segments).toEqual([[0, 174]]);
    expect(markers.clockSegments).toEqual([
      [0, 90],
      [91, 174],
    ]);
    expect(markers.clockTimesS[0]).toBeCloseTo(653156.02616855, 6);
    expect(markers.clockValuesS[0]).toBeCloseTo(-652340.2838639501, 4);
    expect(markers.clockTimesS.at(-1)).toBeCloseTo(264.6430016000002, 6);
    expect(markers.clockValuesS.at(-1)).toBeCloseTo(1121.165595, 4);
    expect(xmlFooterText(markers.footer, 'sample_count')).toBe('175');

    expect([eeg.id, info(eeg, 'name'), info(eeg, 'channel_count'), info(eeg, 'nominal_srate')]).toEqual([
      2,
      'BioSemi',
      '8',
      '100',
    ]);
    expect(eeg.timesS).toHaveLength(27815);
    expect(eeg.effectiveRateHz).toBeCloseTo(92.934, 3);
    expect(eeg.segments).toEqual([
      [0, 12875],
      [12876, 27814],
    ]);
    expect(eeg.clockSegments).toEqual([
      [0, 12875],
      [12876, 27814],
    ]);
    expect(eeg.clockTimesS[0]).toBeCloseTo(653156.0261441499, 6);
    expect(eeg.clockValuesS[0]).toBeCloseTo(-652340.28383985, 4);
    expect(eeg.clockTimesS.at(-1)).toBeCloseTo(264.6385764000001, 6);
    expect(eeg.clockValuesS.at(-1)).toBeCloseTo(1121.1656319, 4);

    // Raw stamps equal the footer's first/last_timestamp; dejittered without clock sync they are what the
    // example-files README tabulates (653150.314061 … 262.018644), as are the first row's values.
    const raw = readXdfChunks(clockResets, 'clock_resets.xdf').streams[1]!;
    expect(raw.timesS[0]).toBe(653150.379117);
    expect(raw.timesS.at(-1)).toBe(261.9267033);
    const dejittered = [...raw.timesS];
    expect(dejitter(dejittered, 100).segments).toEqual(eeg.segments);
    expect(dejittered[0]).toBeCloseTo(653150.314061, 6);
    expect(dejittered[1]).toBeCloseTo(653150.324786, 6);
    expect(dejittered.at(-1)).toBeCloseTo(262.018644, 6);
    [0.142, 0.463, 0.354, 0.22, 0.761, 0.323, 0.312, 0.861].forEach((v, c) =>
      expect(raw.values[c]![0]).toBeCloseTo(v, 3),
    );

    const rec = parseXdf(clockResets, 'clock_resets.xdf');
    expect(rec.streams).toHaveLength(1);
    const s = rec.streams[0]!;
    expect(s.descriptor).toMatchObject({ label: 'BioSemi', sampleRateHz: 100 });
    expect(s.data).toHaveLength(8);
    expect(s.data[0]).toHaveLength(27815);
    const t = s.timestampsMs!;
    // After synchronisation both segments are on the recorder's clock, in order, with a break between them.
    expect(t[12876]! - t[12875]!).toBeGreaterThan(60_000);
    expect(t[12875]! - t[12874]!).toBeCloseTo(1000 / 92.934, 0);
    expect(rec.annotations).toHaveLength(175);
    expect(rec.annotations[0]!.text).toBe('MyMarkerStream: XXX');
    expect(rec.annotations.at(-1)!.text).toBe('MyMarkerStream: XXX');
    expect(rec.meta['stream 2']).toMatch(/effective 92\.934 Hz, 2 segments, 2 clock segments/);
  });

  it('empty_streams.xdf: empty streams kept apart, int32 data dejittered, a JSON string marker', () => {
    const { streams } = loadXdfStreams(emptyStreams, 'empty_streams.xdf');
    expect(streams.map((s) => s.id)).toEqual([3, 4, 1, 2]);
    const [emptyData, data, ctrl, emptyMarkers] = streams as [
      (typeof streams)[0],
      (typeof streams)[0],
      (typeof streams)[0],
      (typeof streams)[0],
    ];
    expect(info(ctrl, 'name')).toBe('ctrl');
    expect(ctrl.effectiveRateHz).toBe(0);
    expect(ctrl.segments).toEqual([[0, 0]]);
    expect(ctrl.clockSegments).toEqual([[0, 0]]);
    expect(ctrl.strings).toEqual([['{"state": 2}']]);
    expect(ctrl.timesS[0]).toBeCloseTo(91725.01400425, 2);
    expect(Math.abs(ctrl.timesS[0]! - 91725.01400425) / 91725.01400425).toBeLessThan(1e-7);
    expect(ctrl.clockTimesS[0]).toBeCloseTo(91716.691545932, 6);
    expect(ctrl.clockValuesS.at(-1)).toBeCloseTo(-3.837950498564169e-5, 4);

    for (const empty of [emptyMarkers, emptyData]) {
      expect(empty.timesS).toHaveLength(0);
      expect(empty.segments).toEqual([]);
      expect(empty.clockSegments).toEqual([]);
      expect(empty.effectiveRateHz).toBe(0);
    }
    expect(info(emptyData, 'name')).toBe('Empty data stream: test stream 0 counter');
    expect(info(emptyMarkers, 'name')).toBe('Empty marker stream: test stream 0 counter');

    expect(info(data, 'channel_format')).toBe('int32');
    expect(Array.from(data.values[0]!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(data.effectiveRateHz).toBeCloseTo(1, 5);
    expect(data.segments).toEqual([[0, 9]]);
    expect(data.clockSegments).toEqual([[0, 9]]);
    data.timesS.forEach((t, k) => expect(Math.abs(t - (91725.21394789 + k))).toBeLessThan(1.5e-4));
    const steps = data.timesS.slice(1).map((t, k) => t - data.timesS[k]!);
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    expect(Math.sqrt(steps.reduce((a, b) => a + (b - mean) ** 2, 0) / steps.length)).toBeLessThan(6e-11);

    const rec = parseXdf(emptyStreams, 'empty_streams.xdf');
    expect(rec.startTimeMs).toBe(Date.parse('2025-01-31T00:21:17Z'));
    expect(rec.streams).toHaveLength(1);
    expect(rec.streams[0]!.descriptor.channels[0]).toMatchObject({ label: 'ch:00', kind: 'other' });
    expect(rec.annotations).toEqual([{ onsetS: 0, text: 'ctrl: {"state": 2}' }]);
    expect(rec.meta['stream 3']).toMatch(/empty, not imported/);
  });
});

function xmlFooterText(footer: { children: { name: string; text: string }[] } | undefined, name: string) {
  return footer?.children.find((c) => c.name === name)?.text;
}

describe('XDF importer refuses damaged files whole', () => {
  const expectRefusal = (bytes: Uint8Array, message: RegExp): void => {
    let error: unknown;
    try {
      parseXdf(bytes, 'bad.xdf');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RecordingFormatError);
    expect((error as RecordingFormatError).byteOffset).toBeTypeOf('number');
    expect((error as Error).message).toMatch(message);
  };

  it('names the byte offset of the damage', () => {
    const notXdf = Uint8Array.from(minimal);
    notXdf[0] = 0x59;
    expectRefusal(notXdf, /^bad\.xdf: not an XDF file.*\(at byte offset 0\)$/);
    const badLengthSize = Uint8Array.from(minimal);
    badLengthSize[4] = 3;
    expectRefusal(badLengthSize, /length-field size 3.*\(at byte offset 4\)/);
    expectRefusal(minimal.subarray(0, minimal.length - 7), /runs past the end of the file/);
    expectRefusal(minimal.subarray(0, 4), /no file header chunk/);
    const unknownStream = Uint8Array.from(emptyStreams);
    const firstSamples = findChunk(unknownStream, 3);
    unknownStream[firstSamples.content] = 0x77;
    expectRefusal(
      unknownStream,
      new RegExp(`stream \\d+, which has no header.*at byte offset ${firstSamples.start}`),
    );
  });

  it('fuzz: mutations of the real files are a recording with finite values or a RecordingFormatError', () => {
    const seeds = [minimal, emptyStreams];
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        (seed, edits, cut, truncate) => {
          const bytes = Uint8Array.from(seeds[seed]!);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const input = truncate ? bytes.subarray(0, cut % (bytes.length + 1)) : bytes;
          try {
            return allFinite(parseXdf(input, 'fuzz.xdf'));
          } catch (err) {
            return err instanceof RecordingFormatError;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** The first chunk with `tag`: where it starts and where its stream id is. */
function findChunk(bytes: Uint8Array, tag: number): { start: number; content: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 4; pos < bytes.length;) {
    const size = bytes[pos]!;
    const length =
      size === 1
        ? bytes[pos + 1]!
        : size === 4
          ? view.getUint32(pos + 1, true)
          : Number(view.getBigUint64(pos + 1, true));
    const tagAt = pos + 1 + size;
    if (view.getUint16(tagAt, true) === tag) return { start: pos, content: tagAt + 2 };
    pos = tagAt + length;
  }
  throw new Error(`no chunk with tag ${tag}`);
}

describe('XDF through the reader dispatch', () => {
  it('detects XDF and gzip-compressed XDF (.xdfz) from the content, not the name', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'tonus-xdf-'));
    const plain = join(tmp, 'recording.dat');
    writeFileSync(plain, emptyStreams);
    const rec = readRecordingFile(plain);
    expect(rec.format).toBe('xdf');
    expect(rec.streams[0]!.data[0]).toHaveLength(10);
    const packed = readRecordingFile(join(dir, 'clock_resets.xdfz'));
    expect(packed.format).toBe('xdf');
    expect(packed.streams[0]!.data[0]).toHaveLength(27815);
    const damaged = join(tmp, 'damaged.xdfz');
    writeFileSync(damaged, readFileSync(join(dir, 'clock_resets.xdfz')).subarray(0, 5000));
    expect(() => readRecordingFile(damaged)).toThrow(/damaged gzip data.*at byte offset 0/);
  });
});

/** A small XDF writer for the cases the real files lack (test-only; the real files above are the reference). */
function xdfFile(chunks: { tag: number; body: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = [new TextEncoder().encode('XDF:')];
  for (const { tag, body } of chunks) {
    const head = new Uint8Array(7);
    const view = new DataView(head.buffer);
    head[0] = 4;
    view.setUint32(1, body.length + 2, true);
    view.setUint16(5, tag, true);
    parts.push(head, body);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const withId = (id: number, rest: Uint8Array): Uint8Array => {
  const out = new Uint8Array(4 + rest.length);
  new DataView(out.buffer).setUint32(0, id, true);
  out.set(rest, 4);
  return out;
};
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A Samples chunk body of float32 (or int32) values, every time stamp written out. */
function samples(id: number, times: number[], rows: number[][], format: 'float32' | 'int32'): Uint8Array {
  const width = rows[0]!.length;
  const body = new Uint8Array(5 + times.length * (9 + 4 * width));
  const view = new DataView(body.buffer);
  body[0] = 4;
  view.setUint32(1, times.length, true);
  let at = 5;
  times.forEach((t, k) => {
    body[at] = 8;
    view.setFloat64(at + 1, t, true);
    at += 9;
    for (const v of rows[k]!) {
      if (format === 'float32') view.setFloat32(at, v, true);
      else view.setInt32(at, v, true);
      at += 4;
    }
  });
  return withId(id, body);
}

function clockOffset(id: number, timeS: number, valueS: number): Uint8Array {
  const body = new Uint8Array(16);
  new DataView(body.buffer).setFloat64(0, timeS, true);
  new DataView(body.buffer).setFloat64(8, valueS, true);
  return withId(id, body);
}

const header = (name: string, type: string, rateHz: number, format: string, channels: [string, string][]) =>
  text(
    `<?xml version="1.0"?><info><name>${name}</name><type>${type}</type><channel_count>${channels.length}</channel_count>` +
      `<nominal_srate>${rateHz}</nominal_srate><channel_format>${format}</channel_format><desc><channels>` +
      channels
        .map(([l, u]) => `<channel><label>${l}</label><unit>${u}</unit><type>${type}</type></channel>`)
        .join('') +
      `</channels></desc></info>`,
  );

describe('XDF importer: several streams at different rates', () => {
  it('keeps each stream at its own rate with its labels and units; numeric markers become markers', () => {
    const emgTimes = Array.from({ length: 2000 }, (_, k) => 100 + k / 1000);
    const accTimes = Array.from({ length: 200 }, (_, k) => 100.05 + k / 100);
    const boundary = Uint8Array.from([
      0x43, 0xa5, 0x46, 0xdc, 0xcb, 0xf5, 0x41, 0x0f, 0xb3, 0x0e, 0xd5, 0x46, 0x73, 0x83, 0xcb, 0xe4,
    ]);
    const bytes = xdfFile([
      {
        tag: 1,
        body: text(
          '<?xml version="1.0"?><info><version>1.0</version><datetime>2026-11-24T09:00:00+0000</datetime></info>',
        ),
      },
      {
        tag: 2,
        body: withId(
          1,
          header('Trigno', 'EMG', 1000, 'float32', [
            ['TA', 'microvolts'],
            ['GM', 'microvolts'],
          ]),
        ),
      },
      { tag: 2, body: withId(2, header('Shank IMU', 'ACC', 100, 'float32', [['AccX', 'g']])) },
      { tag: 2, body: withId(3, header('Triggers', 'Markers', 0, 'int32', [['code', '']])) },
      { tag: 7, body: text('a future chunk type, skipped') },
      {
        tag: 3,
        body: samples(
          1,
          emgTimes,
          emgTimes.map((_, k) => [Math.sin(k / 10), k]),
          'float32',
        ),
      },
      {
        tag: 3,
        body: samples(
          2,
          accTimes,
          accTimes.map(() => [1]),
          'float32',
        ),
      },
      { tag: 3, body: samples(3, [100.5, 101.25], [[7], [9]], 'int32') },
      { tag: 5, body: boundary },
      ...[1, 2, 3].flatMap((id) => [
        { tag: 4, body: clockOffset(id, 99, -0.25) },
        { tag: 4, body: clockOffset(id, 104, -0.25) },
      ]),
    ]);
    const rec = parseXdf(bytes, 'multi.xdf');
    expect(rec.startTimeMs).toBe(Date.UTC(2026, 10, 24, 9));
    expect(rec.streams.map((s) => [s.descriptor.id, s.descriptor.label, s.descriptor.sampleRateHz])).toEqual([
      ['emg', 'Trigno', 1000],
      ['acc', 'Shank IMU', 100],
    ]);
    expect(rec.streams[0]!.descriptor.channels.map((c) => [c.label, c.kind, c.unit])).toEqual([
      ['TA', 'emg', 'uV'],
      ['GM', 'emg', 'uV'],
    ]);
    expect(rec.streams[1]!.descriptor.channels[0]).toMatchObject({ label: 'AccX', kind: 'accel', unit: 'g' });
    expect(rec.streams[0]!.data[1]![1999]).toBe(1999);
    // Time 0 is the first EMG sample; the accelerometer starts 50 ms later, both shifted by the same offset.
    expect(rec.streams[0]!.timestampsMs![0]).toBe(rec.startTimeMs);
    expect(rec.streams[1]!.timestampsMs![0]! - rec.startTimeMs).toBeCloseTo(50, 6);
    expect(rec.streams[1]!.timestampsMs![199]! - rec.startTimeMs).toBeCloseTo(2040, 6);
    expect(rec.annotations).toEqual([
      { onsetS: expect.closeTo(0.5, 9) as number, text: 'Triggers: 7' },
      { onsetS: expect.closeTo(1.25, 9) as number, text: 'Triggers: 9' },
    ]);
    expect(rec.meta['stream 1']).toMatch(/nominal 1000 Hz, effective 1000\.000 Hz, 1 segment$/);
  });
});
