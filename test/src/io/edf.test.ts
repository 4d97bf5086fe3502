import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { decodeEdf } from '../../../src/io/edf/edf-decoder.js';
import { encodeRecording } from '../../../src/io/edf/edf-encoder.js';
import { EdfFileWriter, readEdfFile, writeEdfFile } from '../../../src/io/edf/edf-file.node.js';
import { formatLimit } from '../../../src/io/edf/edf-format.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';
import type { Recording } from '../../../src/shared/recording.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-edf-'));
const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};

/** A demo recording of `seconds` (may be fractional) from the synthetic device. */
function demo(seconds: number, startTimeMs = Date.UTC(2026, 10, 24, 15, 4, 5, 250)): Recording {
  const s = new SyntheticSignal();
  const emg = s.next('emg', Math.round(seconds * 2000));
  const imu = s.next('imu', Math.round(seconds * 100));
  const [emgDesc, imuDesc] = s.streams;
  return {
    format: 'bdf',
    source: 'demo',
    startTimeMs,
    streams: [
      { descriptor: emgDesc!, data: emg.data.map((c) => Float32Array.from(c)) },
      { descriptor: imuDesc!, data: imu.data.map((c) => Float32Array.from(c)) },
    ],
    annotations: [
      { onsetS: 0.5, text: 'Protocol: rest' },
      { onsetS: 1.25, durationS: 0.4, text: 'Fast stretch' },
      { onsetS: 2, text: 'Baclofen 10 mg PO' },
    ],
    meta: { patientCode: 'P-0042', equipment: 'Tonus_demo' },
  };
}

function expectSamplesClose(a: Recording, b: Recording, kind: 'edf' | 'bdf'): void {
  expect(b.streams.map((s) => s.descriptor.id)).toEqual(a.streams.map((s) => s.descriptor.id));
  a.streams.forEach((sa, si) => {
    const sb = b.streams[si]!;
    expect(sb.descriptor.sampleRateHz).toBe(sa.descriptor.sampleRateHz);
    expect(sb.descriptor.channels.map((c) => [c.id, c.kind, c.unit])).toEqual(
      sa.descriptor.channels.map((c) => [c.id, c.kind, c.unit]),
    );
    sa.data.forEach((ca, ci) => {
      const cb = sb.data[ci]!;
      const ch = sa.descriptor.channels[ci]!;
      const step = (ch.rangeMax - ch.rangeMin) / (kind === 'bdf' ? 2 ** 24 - 1 : 2 ** 16 - 1);
      expect(cb.length).toBe(ca.length);
      let worst = 0;
      for (let i = 0; i < ca.length; i++) worst = Math.max(worst, Math.abs(ca[i]! - cb[i]!));
      expect(worst).toBeLessThanOrEqual(step / 2 + Math.abs(ch.rangeMax) * 2 ** -23);
    });
  });
}

describe('EDF+/BDF+ writer and reader', () => {
  it.each(['bdf', 'edf'] as const)('round-trips a multi-rate %s recording within quantisation', (kind) => {
    const rec = demo(3.5);
    const bytes = concat(encodeRecording(rec, kind));
    const back = decodeEdf(bytes, `demo.${kind}`);
    expect(back.format).toBe(kind);
    expect(back.startTimeMs).toBe(rec.startTimeMs);
    expectSamplesClose(rec, back, kind);
    expect(back.annotations).toEqual(rec.annotations);
    expect(back.meta).toMatchObject({ patientCode: 'P-0042', equipment: 'Tonus_demo' });
  });

  it('writes a strictly printable ASCII header with the raw 0xFF BDF version byte and BDF+C', () => {
    const bytes = concat(encodeRecording(demo(1), 'bdf'));
    expect(bytes[0]).toBe(0xff);
    const ns = Number(new TextDecoder().decode(bytes.subarray(252, 256)));
    expect(ns).toBe(8 + 6 + 1);
    const headerBytes = 256 * (ns + 1);
    for (let i = 1; i < headerBytes; i++) {
      expect(bytes[i]).toBeGreaterThanOrEqual(32);
      expect(bytes[i]).toBeLessThanOrEqual(126);
    }
    const text = new TextDecoder().decode(bytes.subarray(1, headerBytes));
    expect(text.slice(0, 7)).toBe('BIOSEMI');
    expect(text.slice(167, 183)).toBe('24.11.2615.04.05');
    expect(text.slice(191, 196)).toBe('BDF+C');
    expect(text.slice(235, 243).trim()).toBe('1');
    expect(text).toContain('BDF Annotations');
  });

  it('starts every record with a time-keeping TAL', () => {
    const rec = demo(3);
    const bytes = concat(encodeRecording(rec, 'edf'));
    const ns = 15;
    const headerBytes = 256 * (ns + 1);
    const annotationSamples = Number(
      new TextDecoder().decode(bytes.subarray(256 + ns * 216 + 14 * 8, 256 + ns * 216 + 15 * 8)),
    );
    const recordBytes = (8 * 2000 + 6 * 100 + annotationSamples) * 2;
    for (let r = 0; r < 3; r++) {
      const at = headerBytes + r * recordBytes + (8 * 2000 + 6 * 100) * 2;
      const tal = new TextDecoder().decode(bytes.subarray(at, at + 12));
      expect(tal.startsWith(`+${(0.25 + r).toString()}\x14\x14`)).toBe(true);
    }
  });

  it('writes a gap as filler under a Gap annotation (EDF+C) and reads the sample times back', () => {
    const rec = demo(4);
    const shift = (rate: number, n: number): Float64Array =>
      Float64Array.from(
        { length: n },
        (_, i) => rec.startTimeMs + (i * 1000) / rate + (i >= 2 * rate ? 5000 : 0),
      );
    rec.streams[0]!.timestampsMs = shift(2000, 8000);
    rec.streams[1]!.timestampsMs = shift(100, 400);
    const back = decodeEdf(concat(encodeRecording(rec, 'bdf', { recordDurationS: 1 })), 'gap.bdf');
    expect(back.meta.edfReserved).toBe('BDF+C');
    expect(back.annotations).toContainEqual({ onsetS: 2, durationS: 5, text: 'Gap' });
    const want = rec.streams[1]!.timestampsMs!;
    back.streams[1]!.timestampsMs!.forEach((t, i) => expect(t).toBeCloseTo(want[i]!, 6));
    expect(back.streams[0]!.timestampsMs![4000]! - rec.startTimeMs).toBe(7000);
  });

  it.each([
    ['long gap off a record boundary: filled, still continuous', 2.37, 5, 'BDF+C'],
    ['short gap inside a record: filled, still continuous', 2.37, 0.2, 'BDF+C'],
  ] as const)('%s', (_what, atS, gapS, reserved) => {
    const rec = demo(4);
    const shift = (rate: number, n: number): Float64Array =>
      Float64Array.from(
        { length: n },
        (_, i) => rec.startTimeMs + (i * 1000) / rate + (i >= atS * rate ? gapS * 1000 : 0),
      );
    rec.streams[0]!.timestampsMs = shift(2000, 8000);
    rec.streams[1]!.timestampsMs = shift(100, 400);
    const back = decodeEdf(concat(encodeRecording(rec, 'bdf', { recordDurationS: 1 })), 'gap.bdf');
    expect(back.meta.edfReserved).toBe(reserved);
    const gap = back.annotations.find((a) => a.text === 'Gap')!;
    expect(gap.onsetS).toBeCloseTo(atS, 6);
    expect(gap.durationS).toBeCloseTo(gapS, 6);
    // Every original sample is in the file at its own time; the extra samples all lie inside the gap.
    rec.streams.forEach((s, si) => {
      const b = back.streams[si]!;
      const times =
        b.timestampsMs ??
        Float64Array.from(
          { length: b.data[0]!.length },
          (_, i) => back.startTimeMs + (i * 1000) / s.descriptor.sampleRateHz,
        );
      const byTime = new Map(Array.from(times, (t, i) => [Math.round(t * 1000), i]));
      s.timestampsMs!.forEach((t, i) => {
        const j = byTime.get(Math.round(t * 1000));
        expect(j).toBeDefined();
        expect(b.data[0]![j!]).toBeCloseTo(s.data[0]![i]!, 2);
      });
      const inGap = (t: number): boolean =>
        t >= rec.startTimeMs + atS * 1000 - 1e-6 && t < rec.startTimeMs + (atS + gapS) * 1000;
      const original = new Set(Array.from(s.timestampsMs!, (t) => Math.round(t * 1000)));
      for (const t of times) if (!original.has(Math.round(t * 1000))) expect(inGap(t)).toBe(true);
    });
  });

  it('formats physical limits in 8 characters, rounding outward', () => {
    expect(formatLimit(-6000, true)).toBe('-6000');
    expect(formatLimit(187500.123456, false)).toBe('187500.2');
    expect(Number(formatLimit(-0.123456789, true))).toBeLessThanOrEqual(-0.123456789);
    expect(formatLimit(-0.123456789, true).length).toBeLessThanOrEqual(8);
    expect(Number(formatLimit(1 / 3, false))).toBeGreaterThanOrEqual(1 / 3);
    expect(() => formatLimit(1e12, false)).toThrow(/8 characters/);
  });

  it('streams to a file that is readable while unfinished (records = -1) and fixed at close', () => {
    const path = join(dir, 'stream.bdf');
    const rec = demo(5);
    const w = EdfFileWriter.forRecording(path, { ...rec, annotations: [] }, 'bdf');
    w.annotate({ onsetS: 0.1, text: 'Start' });
    for (let i = 0; i < 5; i++) {
      w.append(
        0,
        rec.streams[0]!.data.map((c) => c.subarray(i * 2000, (i + 1) * 2000)),
      );
      w.append(
        1,
        rec.streams[1]!.data.map((c) => c.subarray(i * 100, (i + 1) * 100)),
      );
    }
    // As a killed writer leaves it: header says -1, four complete records, then a partial record.
    const killed = join(dir, 'killed.bdf');
    writeFileSync(killed, readFileSync(path));
    appendFileSync(killed, new Uint8Array(1234));
    const partial = readEdfFile(killed);
    expect(partial.meta.unfinished).toBe('true');
    expect(partial.meta.ignoredTrailingBytes).toBe('1234');
    expect(partial.streams[0]!.data[0]!.length).toBe(4 * 2000);
    expect(partial.annotations).toEqual([{ onsetS: 0.1, text: 'Start' }]);
    w.close();
    const done = readEdfFile(path);
    expect(done.meta.unfinished).toBeUndefined();
    expect(new TextDecoder().decode(readFileSync(path).subarray(236, 244)).trim()).toBe('5');
    expectSamplesClose({ ...rec, annotations: [] }, done, 'bdf');
  });
});

/** A plain (not EDF+) EDF file built by hand from the specification: one signal, no annotations. */
function handMadeEdf(records: number[][], reserved = ''): Uint8Array {
  const field = (text: string, width: number): string => text.padEnd(width, ' ');
  const header =
    field('0', 8) +
    field('X X X X', 80) +
    field('Startdate X X X X', 80) +
    field('02.03.04', 8) +
    field('13.14.15', 8) +
    field('512', 8) +
    field(reserved, 44) +
    field(String(records.length), 8) +
    field('0.5', 8) +
    field('1', 4) +
    field('Knee', 16) +
    field('goniometer', 80) +
    field('deg', 8) +
    field('-100', 8) +
    field('100', 8) +
    field('-1000', 8) +
    field('1000', 8) +
    field('', 80) +
    field('4', 8) +
    field('', 32);
  const bytes = new Uint8Array(512 + records.length * 8);
  bytes.set(new TextEncoder().encode(header), 0);
  const view = new DataView(bytes.buffer);
  records.flat().forEach((d, i) => view.setInt16(512 + 2 * i, d, true));
  return bytes;
}

describe('plain EDF from other writers', () => {
  it('reads a hand-made EDF without annotations: scaling, rate, start time', () => {
    const rec = decodeEdf(
      handMadeEdf([
        [-1000, 0, 500, 1000],
        [10, 20, 30, 40],
      ]),
      'plain.edf',
    );
    expect(rec.startTimeMs).toBe(Date.UTC(2004, 2, 2, 13, 14, 15));
    expect(rec.streams).toHaveLength(1);
    const s = rec.streams[0]!;
    expect(s.descriptor).toMatchObject({
      sampleRateHz: 8,
      channels: [{ id: 'knee', kind: 'angle', unit: 'deg' }],
    });
    expect(Array.from(s.data[0]!)).toEqual([-100, 0, 50, 100, 1, 2, 3, 4].map(Math.fround));
    expect(rec.annotations).toEqual([]);
  });

  it('refuses a hand-made file that claims EDF+ but has no annotation signal', () => {
    expect(() => decodeEdf(handMadeEdf([[0, 0, 0, 0]], 'EDF+C'), 'plus.edf')).toThrow(
      /no "EDF Annotations" signal/,
    );
  });
});

describe('a writer killed at any byte', () => {
  it('leaves a file that reads as every complete record before the cut', () => {
    const rec = demo(3);
    const bytes = concat(encodeRecording(rec, 'bdf'));
    bytes.set(new TextEncoder().encode('-1      '), 236);
    const headerBytes = 256 * 16;
    const recordBytes = (bytes.length - headerBytes) / 3;
    fc.assert(
      fc.property(fc.integer({ min: headerBytes, max: bytes.length }), (cut) => {
        const back = decodeEdf(bytes.subarray(0, cut), 'killed.bdf');
        const records = Math.floor((cut - headerBytes) / recordBytes);
        return back.streams[0]!.data[0]!.length === records * 2000 && back.meta.unfinished === 'true';
      }),
      { numRuns: 200 },
    );
  });
});

describe('EDF reader refuses bad files whole', () => {
  const good = concat(encodeRecording(demo(2), 'bdf'));
  const read = (bytes: Uint8Array): unknown => decodeEdf(bytes, 'bad.bdf');
  const errorOf = (bytes: Uint8Array): RecordingFormatError => {
    try {
      read(bytes);
    } catch (err) {
      if (err instanceof RecordingFormatError) return err;
      throw err;
    }
    throw new Error('expected a RecordingFormatError');
  };

  it('names a truncated file and where it ends', () => {
    const err = errorOf(good.subarray(0, good.length - 10));
    expect(err.message).toMatch(/^bad\.bdf: file is truncated/);
    expect(err.byteOffset).toBe(good.length - 10);
  });

  it('names a non-printable header byte with its offset', () => {
    const bad = good.slice();
    bad[100] = 0x07;
    expect(errorOf(bad).byteOffset).toBe(100);
  });

  it('refuses a BDF whose version byte was UTF-8 encoded', () => {
    const bad = concat([new Uint8Array([0xc3, 0xbf]), good.subarray(1)]);
    expect(errorOf(bad).message).toMatch(/version field/);
  });

  it('refuses a file mislabeled EDF+ inside a BDF version field', () => {
    const bad = good.slice();
    bad.set(new TextEncoder().encode('EDF+C'), 192);
    expect(errorOf(bad).message).toMatch(/mislabeled/);
    const path = join(dir, 'named.edf');
    writeFileSync(path, good);
    expect(() => readEdfFile(path)).toThrow(/mislabeled: named \.edf but holds BDF/);
  });

  it('refuses a record without its time-keeping TAL and a broken TAL', () => {
    const headerBytes = 256 * 16;
    const annotationAt = headerBytes + (8 * 2000 + 6 * 100) * 3;
    const noKeeper = good.slice();
    noKeeper[annotationAt] = 0x41;
    expect(errorOf(noKeeper).byteOffset).toBe(annotationAt);
    const unterminated = good.slice();
    const recordBytes = (good.length - headerBytes) / 2;
    unterminated.fill(0x41, annotationAt + 3, headerBytes + recordBytes);
    expect(errorOf(unterminated).message).toMatch(/TAL|annotation/);
  });

  it('refuses extra bytes after the declared records', () => {
    const err = errorOf(concat([good, new Uint8Array(3)]));
    expect(err.message).toMatch(/unexpected bytes/);
    expect(err.byteOffset).toBe(good.length);
  });

  it('throws only RecordingFormatError on random bytes and on any truncation or corruption', () => {
    const check = (bytes: Uint8Array): boolean => {
      try {
        read(bytes);
        return true;
      } catch (err) {
        return err instanceof RecordingFormatError;
      }
    };
    const small = concat(encodeRecording(demo(0.2), 'edf'));
    const smallBdf = concat(encodeRecording(demo(0.2), 'bdf'));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (b) => check(b)),
      { numRuns: 300 },
    );
    const refused = (bytes: Uint8Array): boolean => {
      try {
        read(bytes);
        return false;
      } catch (err) {
        return err instanceof RecordingFormatError;
      }
    };
    fc.assert(
      fc.property(fc.nat({ max: small.length - 1 }), (n) => refused(small.subarray(0, n))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.nat({ max: small.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (bdf, at, value) => {
          const bad = (bdf ? smallBdf : small).slice();
          bad[at % bad.length] = value;
          return check(bad);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('independent reader', () => {
  it('our BDF export opens in MNE with the same channels, rates and values', () => {
    const rec = demo(3, Date.UTC(2026, 0, 2, 3, 4, 5));
    const path = join(dir, 'mne.bdf');
    writeEdfFile(path, rec, 'bdf');
    const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
import mne
raw = mne.io.read_raw_bdf(sys.argv[1], preload=True, verbose='error')
d = raw.get_data()
emg1 = raw.ch_names.index('EMG 1')
print(json.dumps({'names': raw.ch_names, 'sfreq': raw.info['sfreq'],
  'emg1': (d[emg1][:50] * 1e6).tolist(), 'n': d.shape[1],
  'meas': raw.info['meas_date'].isoformat(),
  'ann': [a['description'] for a in raw.annotations]}))
`;
    const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' })) as {
      names: string[];
      sfreq: number;
      emg1: number[];
      n: number;
      meas: string;
      ann: string[];
    };
    expect(out.names).toEqual([
      ...rec.streams[0]!.descriptor.channels.map((c) => c.label),
      ...rec.streams[1]!.descriptor.channels.map((c) => c.label),
    ]);
    expect(out.sfreq).toBe(2000);
    expect(out.n).toBe(6000);
    expect(out.meas).toBe('2026-01-02T03:04:05+00:00');
    expect(out.ann).toContain('Baclofen 10 mg PO');
    const ours = rec.streams[0]!.data[0]!;
    out.emg1.forEach((v, i) => expect(v).toBeCloseTo(ours[i]!, 2));
  });
});
