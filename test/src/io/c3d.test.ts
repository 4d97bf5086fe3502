import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { parseC3d } from '../../../src/io/import/c3d.js';
import { C3dNumbers } from '../../../src/io/import/c3d-parameters.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';

/** c3d.org sample files as vendored by c3dio; see fixtures/external-formats/c3d/README.md. */
const dir = join(packageRoot(), 'fixtures', 'external-formats', 'c3d');
const read = (name: string): Buffer => readFileSync(join(dir, name));
const sample02 = ['pc_int', 'pc_real', 'dec_int', 'dec_real', 'sgi_int', 'sgi_real'] as const;

describe('C3D number formats', () => {
  it('converts DEC F-floats as ezc3d and py-c3d do', () => {
    const dec = (...b: number[]): number => new C3dNumbers(Uint8Array.from(b), 'dec').float32(0);
    expect(dec(0x80, 0x40, 0, 0)).toBe(1);
    expect(dec(0xfa, 0x45, 0, 0)).toBe(2000);
    expect(dec(0x23, 0xbd, 0x0a, 0xd7)).toBeCloseTo(-0.01, 9);
    expect(dec(0, 0, 0, 0)).toBe(0);
    expect(new C3dNumbers(Uint8Array.of(0x3f, 0x80, 0, 0), 'mips').float32(0)).toBe(1);
    expect(new C3dNumbers(Uint8Array.of(0x01, 0x02), 'mips').int16(0)).toBe(0x0102);
    expect(new C3dNumbers(Uint8Array.of(0x01, 0x02), 'dec').int16(0)).toBe(0x0201);
  });
});

describe('C3D importer on BTK C3DFileReaderTest expectations (c3d.org Sample02)', () => {
  it.each(sample02)(
    '%s: 16 analog channels at 200 Hz, 89 × 4 samples, FZ1[15] = 8.928, FZ1[39] = 5.952',
    (name) => {
      const rec = parseC3d(read(`${name}.c3d`), `${name}.c3d`);
      expect(rec.format).toBe('c3d');
      expect(rec.meta.c3dProcessor).toBe(
        name.startsWith('pc') ? 'intel' : name.startsWith('dec') ? 'dec' : 'mips',
      );
      expect(rec.meta.c3dDataFormat).toBe(name.endsWith('real') ? 'float' : 'integer');
      expect(rec.meta.c3dFrames).toBe('1–89 at 50 Hz');
      expect(rec.meta.c3dPointsSkipped).toBe('36');
      expect(rec.streams).toHaveLength(1);
      const s = rec.streams[0]!;
      expect(s.descriptor.sampleRateHz).toBe(200);
      expect(s.data).toHaveLength(16);
      expect(s.data[0]).toHaveLength(89 * 4);
      const fz1 = s.descriptor.channels.findIndex((c) => c.id === 'FZ1');
      expect(fz1).toBe(2);
      expect(s.descriptor.channels[2]!.label).toBe('FZ1 (nt)');
      expect(s.data[2]![15]).toBeCloseTo(8.928, 4);
      expect(s.data[2]![39]).toBeCloseTo(5.952, 4);
      expect(rec.annotations.map((a) => a.text).slice(0, 4)).toEqual(['RHS', 'STRT', 'RMS', 'LHS']);
    },
  );

  it('the six variants hold the same analog values (c3dio eq_data / py-c3d FormatTest)', () => {
    const [reference, ...others] = sample02.map((name) => parseC3d(read(`${name}.c3d`), name));
    for (const rec of others)
      rec!.streams[0]!.data.forEach((ch, c) =>
        ch.forEach((v, k) => expect(Math.abs(v - reference!.streams[0]!.data[c]![k]!)).toBeLessThan(1e-3)),
      );
  });
});

describe('C3D importer on BTK C3DFileReaderTest expectations (c3d.org Sample01 Eb015vi, DEC integer)', () => {
  it('analog 0 = −26.66, −25.8; 16 channels at 200 Hz; events RIC 2.72 s, RHS 5.40 s, RTO 7.32 s', () => {
    const rec = parseC3d(read('Eb015vi.c3d'), 'Eb015vi.c3d');
    expect(rec.meta).toMatchObject({ c3dProcessor: 'dec', c3dDataFormat: 'integer', c3dPointsSkipped: '26' });
    const s = rec.streams[0]!;
    expect(s.descriptor.sampleRateHz).toBe(200);
    expect(s.data).toHaveLength(16);
    expect(s.descriptor.channels[15]!.id).toBe('CH16');
    expect(s.data[0]![0]).toBeCloseTo(-26.6599, 3);
    expect(s.data[0]![1]).toBeCloseTo(-25.8, 4);
    expect(rec.annotations.map((a) => a.text)).toEqual(['RIC', 'RHS', 'RTO']);
    [2.72, 5.4, 7.32].forEach((t, k) => expect(rec.annotations[k]!.onsetS).toBeCloseTo(t, 4));
  });
});

describe('C3D importer on a Biogesta EMG recording (c3d.org Sample30 emgwl.c3d)', () => {
  it('four EMG channels in volts at 1600 Hz, frames 0–500, events from the header', () => {
    const bytes = read('emgwl.c3d');
    const rec = parseC3d(bytes, 'emgwl.c3d');
    expect(rec.meta).toMatchObject({
      c3dProcessor: 'intel',
      c3dDataFormat: 'float',
      c3dFrames: '0–500 at 50 Hz',
      c3dPointsSkipped: '0',
      device: 'Biogesta Saga-3RT',
    });
    expect(rec.streams.map((s) => s.descriptor.id)).toEqual(['emg']);
    const emg = rec.streams[0]!;
    expect(emg.descriptor.sampleRateHz).toBe(1600);
    expect(emg.descriptor.channels.map((c) => [c.label, c.kind, c.unit])).toEqual(
      ['MG-1', 'MG-2', 'MG-3', 'MG-4'].map((l) => [l, 'emg', 'V']),
    );
    // 501 frames × 32 samples; data from block 5, 512 bytes a frame, end exactly at the file's end.
    expect(emg.data[0]).toHaveLength(501 * 32);
    expect(4 * 512 + 501 * 512).toBe(bytes.length);
    // First sample of channel 1: the float at the start of the data block × ANALOG:GEN_SCALE 0.004150390625
    // (8.5 V / 2048; ANALOG:SCALE 1, OFFSET 0, UNITS "Volt"; POINT:FRAMES 501).
    const raw = new DataView(bytes.buffer, bytes.byteOffset).getFloat32(4 * 512, true);
    expect(raw).toBeCloseTo(-3.4, 6);
    expect(emg.data[0]![0]).toBe(Math.fround(raw * 0.004150390625));
    const peak = emg.data.map((ch) => ch.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    peak.forEach((p) => expect(p).toBeLessThan(5));
    expect(rec.annotations.map((a) => a.text)).toEqual(['TE0', 'TE1', 'TE2']);
    expect(rec.annotations[0]!.onsetS).toBeCloseTo(2.26, 5); // the header event time as stored
  });
});

describe('C3D importer refuses damaged files whole', () => {
  const refusal = (bytes: Uint8Array): RecordingFormatError => {
    try {
      parseC3d(bytes, 'bad.c3d');
    } catch (err) {
      if (err instanceof RecordingFormatError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('names the byte offset', () => {
    const pc = read('pc_int.c3d');
    expect(refusal(pc.subarray(0, 300)).message).toMatch(/at least one 512-byte block/);
    const key = Uint8Array.from(pc);
    key[1] = 0x51;
    expect(refusal(key).byteOffset).toBe(1);
    const processor = Uint8Array.from(pc);
    processor[512 + 3] = 87;
    expect(refusal(processor).message).toMatch(/processor type 87.*\(at byte offset 515\)$/);
    expect(refusal(pc.subarray(0, pc.length - 600)).message).toMatch(
      /the file ends inside frame 89 of 89 \(data from block 13, 416 bytes a frame\)/,
    );
  });

  it('fuzz: mutations of the real files are a recording with finite values or a RecordingFormatError', () => {
    const seeds = [read('pc_int.c3d'), read('dec_real.c3d'), read('sgi_int.c3d')];
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat({ max: 12_000 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.option(fc.nat(), { nil: undefined }),
        (seed, edits, cut) => {
          const bytes = Uint8Array.from(seeds[seed]!);
          // Edits land in the header and parameter blocks (the first 12 kB), where they matter most.
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          const input = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
          try {
            const rec = parseC3d(input, 'fuzz.c3d');
            return (
              rec.streams.every(
                (s) =>
                  s.data.every((ch) => ch.every(Number.isFinite)) &&
                  s.descriptor.channels.every(
                    (c) => Number.isFinite(c.rangeMin) && Number.isFinite(c.rangeMax),
                  ),
              ) && rec.annotations.every((a) => Number.isFinite(a.onsetS))
            );
          } catch (err) {
            return err instanceof RecordingFormatError;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('C3D through the reader dispatch', () => {
  it('is detected from the content', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tonus-c3d-')), 'trial.bin');
    writeFileSync(path, read('sgi_real.c3d'));
    const rec = readRecordingFile(path);
    expect(rec.format).toBe('c3d');
    expect(rec.streams[0]!.data).toHaveLength(16);
  });
});
