import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BitalinoCodec, encodeBitalinoFrame } from '../../../src/devices/codecs/bitalino.js';
import type { Codec } from '../../../src/devices/codecs/codec.js';
import { CytonCodec } from '../../../src/devices/codecs/cyton.js';
import { encodeGanglionPacket, GanglionCodec } from '../../../src/devices/codecs/ganglion.js';
import { LineProtocolCodec, parseLineProfile } from '../../../src/devices/codecs/line-protocol.js';
import { MetawearCodec } from '../../../src/devices/codecs/metawear.js';
import { MYO_EMG_CHARS, MYO_IMU_CHAR, MyoCodec } from '../../../src/devices/codecs/myo.js';
import { myowareUartProfile, MyowarePeripheralCodec } from '../../../src/devices/codecs/myoware.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { RecordingFormatError } from '../../../src/io/recording-format-error.js';
import type { Recording } from '../../../src/shared/recording.js';
import type { SampleBlock } from '../../../src/shared/samples.js';

/**
 * The reliability fuzz suite: real files from fixtures/ mutated by fast-check (byte flips, truncations,
 * insertions, duplicated spans, huge numbers, NaN/Infinity text, header corruption). Every mutated file is
 * either refused with a RecordingFormatError or read into a Recording whose every sample, timestamp and channel
 * range is finite. Every device codec fed mutated captures and random bytes never throws and never emits a
 * non-finite value. `npm run soak` runs it with TONUS_FUZZ_RUNS_PER_SEED set high.
 */
const RUNS_PER_SEED = Number(process.env.TONUS_FUZZ_RUNS_PER_SEED ?? 30);
const CODEC_RUNS = Number(process.env.TONUS_FUZZ_CODEC_RUNS ?? 60);
const FIXTURES = join(import.meta.dirname, '../../../fixtures');

/** The first `lines` lines of a text seed (the long real files are trimmed at a line end to keep runs fast). */
function headLines(bytes: Uint8Array, lines: number): Uint8Array {
  let seen = 0;
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] === 0x0a && ++seen === lines) return bytes.subarray(0, i + 1);
  return bytes;
}

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, path)));
const textSeed = (path: string, lines = 250): Uint8Array =>
  headLines(path.endsWith('.gz') ? new Uint8Array(gunzipSync(fixture(path))) : fixture(path), lines);

/** Seeds by reader: every reader readRecordingFile dispatches to gets at least one real file. */
const SEEDS: { name: string; bytes: Uint8Array }[] = [
  { name: 'biosppy acc.txt', bytes: textSeed('external/biosppy/acc.txt') },
  { name: 'biosppy emg.txt', bytes: textSeed('external/biosppy/emg.txt') },
  { name: 'mhealthtools kinetic CSV', bytes: textSeed('external/mhealthtools/kinetic_tremor_data.csv') },
  { name: 'UCI 5Nmar.csv', bytes: textSeed('external/uci-lower-limb/5Nmar.csv') },
  {
    name: 'OpenBCI GUI v6 txt',
    bytes: textSeed('external/openbci-gui/OpenBCI_GUI-v6-blinks-jawClench-alpha.txt.gz'),
  },
  {
    name: 'OpenBCI sample data txt',
    bytes: textSeed('external/openbci-gui/OpenBCI-sampleData-1-blinks-jawClench-alpha.txt.gz'),
  },
  { name: 'OpenSignals SampleECG', bytes: textSeed('external-formats/opensignals/SampleECG.txt') },
  { name: 'demo-rest.bdf', bytes: fixture('demo-rest.bdf') },
  { name: 'uci-lower-limb-3Asen.bdf', bytes: fixture('uci-lower-limb-3Asen.bdf') },
  { name: 'XDF minimal', bytes: fixture('external-formats/xdf/minimal.xdf') },
  { name: 'XDF empty streams', bytes: fixture('external-formats/xdf/empty_streams.xdf') },
  { name: 'C3D pc_int', bytes: fixture('external-formats/c3d/pc_int.c3d') },
  { name: 'C3D pc_real', bytes: fixture('external-formats/c3d/pc_real.c3d') },
  { name: 'C3D dec_real (DEC floats)', bytes: fixture('external-formats/c3d/dec_real.c3d') },
  { name: 'C3D sgi_int (big-endian)', bytes: fixture('external-formats/c3d/sgi_int.c3d') },
  {
    name: 'OpenBCI GUI v5 txt',
    bytes: textSeed('external/openbci-gui/OpenBCI_GUI-v5-blinks-jawClench-alpha.txt.gz'),
  },
  {
    name: 'OpenSignals classification game',
    bytes: textSeed('external-formats/opensignals/classification_game_0_1.txt'),
  },
  { name: 'mhealthtools rest CSV', bytes: textSeed('external/mhealthtools/rest_tremor_data.csv') },
];

const NASTY = ['1e999', '9e99999', '-1e308', '1e308', 'NaN', 'Infinity', '-Infinity', '99999999', '-0', ''];
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; from: number; length: number; to: number }
  | { kind: 'number'; at: number; text: string }
  | { kind: 'header'; at: number; text: string }
  | { kind: 'digit'; at: number; digit: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // A digit changed in place keeps the file well formed: the reader must accept it, so values are checked too.
  fc.record({ kind: fc.constant('digit' as const), at: position, digit: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: position,
    length: fc.integer({ min: 1, max: 4096 }),
    to: position,
  }),
  fc.record({ kind: fc.constant('number' as const), at: position, text: fc.constantFrom(...NASTY) }),
  fc.record({
    kind: fc.constant('header' as const),
    at: fc.integer({ min: 0, max: 767 }),
    text: fc.constantFrom(...NASTY),
  }),
);

/** Applies one mutation; positions are fractions of the current length so every mutation lands in the file. */
function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = (f: number): number => Math.floor(f * bytes.length);
  const join3 = (a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array => {
    const out = new Uint8Array(a.length + b.length + c.length);
    out.set(a, 0);
    out.set(b, a.length);
    out.set(c, a.length + b.length);
    return out;
  };
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (out.length > 0) out[at(m.at)] = m.byte;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, at(m.at));
    case 'insert':
      return join3(bytes.subarray(0, at(m.at)), m.bytes, bytes.subarray(at(m.at)));
    case 'duplicate': {
      const from = at(m.from);
      const span = bytes.subarray(from, Math.min(bytes.length, from + m.length));
      return join3(bytes.subarray(0, at(m.to)), span, bytes.subarray(at(m.to)));
    }
    case 'number': {
      // Replaces the number-like token at the position (text formats) or overwrites bytes (binary formats).
      const p = at(m.at);
      let end = p;
      while (end < bytes.length && end - p < 24 && /[0-9.eE+-]/.test(String.fromCharCode(bytes[end] ?? 0)))
        end++;
      return join3(bytes.subarray(0, p), ascii(m.text), bytes.subarray(end));
    }
    case 'digit': {
      const out = bytes.slice();
      let p = at(m.at);
      while (p < out.length && ((out[p] ?? 0) < 0x30 || (out[p] ?? 0) > 0x39)) p++;
      if (p < out.length) out[p] = 0x30 + m.digit;
      return out;
    }
    case 'header': {
      const out = bytes.slice();
      const text = ascii(m.text.padEnd(8, ' '));
      out.set(text.subarray(0, Math.max(0, out.length - m.at)), Math.min(m.at, out.length));
      return out;
    }
  }
}

function nonFinite(recording: Recording): string | undefined {
  if (!Number.isFinite(recording.startTimeMs)) return `startTimeMs ${recording.startTimeMs}`;
  for (const s of recording.streams) {
    const d = s.descriptor;
    if (!Number.isFinite(d.sampleRateHz) || d.sampleRateHz <= 0) return `${d.id} rate ${d.sampleRateHz}`;
    for (const c of d.channels)
      if (!Number.isFinite(c.rangeMin) || !Number.isFinite(c.rangeMax))
        return `${d.id}/${c.id} range ${c.rangeMin}..${c.rangeMax}`;
    for (const [k, ch] of s.data.entries())
      for (let i = 0; i < ch.length; i++)
        if (!Number.isFinite(ch[i])) return `${d.id} channel ${k} sample ${i} = ${ch[i]}`;
    if (s.timestampsMs)
      for (let i = 0; i < s.timestampsMs.length; i++)
        if (!Number.isFinite(s.timestampsMs[i])) return `${d.id} timestamp ${i} = ${s.timestampsMs[i]}`;
  }
  return undefined;
}

const counts = { tried: 0, refused: 0, accepted: 0 };
const bySeed = new Map<string, { tried: number; refused: number; accepted: number }>();
const dir = mkdtempSync(join(tmpdir(), 'tonus-fuzz-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    [
      `reliability fuzz: ${counts.tried} mutated files tried, ${counts.refused} refused with RecordingFormatError, ${counts.accepted} accepted with finite values`,
      ...[...bySeed].map(
        ([name, c]) => `  ${name}: ${c.tried} tried, ${c.refused} refused, ${c.accepted} accepted`,
      ),
    ].join('\n'),
  );
});

describe('every reader, fed mutated real files', () => {
  for (const [n, seed] of SEEDS.entries()) {
    it(`${seed.name}: refuses with RecordingFormatError or stores only finite values`, () => {
      const mine = { tried: 0, refused: 0, accepted: 0 };
      bySeed.set(seed.name, mine);
      expect(() => readRecordingFile(join(dir, 'missing'))).toThrow();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
          const bytes = mutations.reduce(mutate, seed.bytes);
          const path = join(dir, `seed-${n}.bin`);
          writeFileSync(path, bytes);
          counts.tried++;
          mine.tried++;
          let recording: Recording;
          try {
            recording = readRecordingFile(path);
          } catch (err) {
            if (!(err instanceof RecordingFormatError)) throw err;
            counts.refused++;
            mine.refused++;
            return;
          }
          counts.accepted++;
          mine.accepted++;
          expect(nonFinite(recording)).toBeUndefined();
        }),
        { numRuns: RUNS_PER_SEED },
      );
    });
  }
});

describe('counterexamples the fuzz found, kept as fixed cases', () => {
  it.each(['1e999', '2.5', '0', '99999999'])(
    'OpenBCI "%%Number of channels = %s" is refused with the header line, not a RangeError',
    (channels) => {
      const seed = SEEDS.find((x) => x.name === 'OpenBCI sample data txt')?.bytes ?? new Uint8Array();
      const text = new TextDecoder()
        .decode(seed)
        .replace('%Number of channels = 8', `%Number of channels = ${channels}`);
      const path = join(dir, 'openbci-channels.txt');
      writeFileSync(path, text);
      expect(() => readRecordingFile(path)).toThrow(RecordingFormatError);
      expect(() => readRecordingFile(path)).toThrow(/Number of channels.*\(at line 2\)/);
    },
  );
});

const LINE_PROFILE = parseLineProfile(
  JSON.stringify({
    name: 'Fuzz sketch, counter first',
    sampleRateHz: 500,
    counterField: 0,
    counterModulus: 256,
    channels: [{ field: 1, id: 'env', label: 'Envelope', kind: 'emg', unit: 'mV', rangeMin: 0, rangeMax: 5 }],
  }),
);

function firstNonFinite(blocks: readonly SampleBlock[]): string | undefined {
  for (const b of blocks) {
    if (!Number.isFinite(b.firstSeq)) return `${b.streamId} firstSeq ${b.firstSeq}`;
    for (const t of b.timestampsMs) if (!Number.isFinite(t)) return `${b.streamId} timestamp ${t}`;
    for (const ch of b.data) for (const v of ch) if (!Number.isFinite(v)) return `${b.streamId} value ${v}`;
  }
  return undefined;
}

const lineText = ascii(
  Array.from({ length: 200 }, (_, i) => `${i % 256},${(i * 0.01).toFixed(3)}\r\n`).join(''),
);
const bitalinoCapture = new Uint8Array(
  Array.from({ length: 60 }, (_, i) => [
    ...encodeBitalinoFrame(i, [(i * 37) % 1024, (i * 91) % 1024]),
  ]).flat(),
);
const CODECS: {
  name: string;
  make: () => Codec;
  capture: Uint8Array;
  sources: readonly (string | undefined)[];
}[] = [
  {
    name: 'Cyton',
    make: () => new CytonCodec(),
    capture: fixture('captures/cyton-emulator.bin'),
    sources: [undefined],
  },
  {
    name: 'BITalino',
    make: () =>
      new BitalinoCodec({
        channels: [
          { input: 1, kind: 'emg' },
          { input: 3, kind: 'emg' },
        ],
        sampleRateHz: 1000,
      }),
    capture: bitalinoCapture,
    sources: [undefined],
  },
  {
    name: 'line protocol',
    make: () => new LineProtocolCodec(LINE_PROFILE),
    capture: lineText,
    sources: [undefined],
  },
  {
    name: 'MyoWare UART',
    make: () => new LineProtocolCodec(myowareUartProfile()),
    capture: lineText,
    sources: [undefined],
  },
  { name: 'MyoWare BLE', make: () => new MyowarePeripheralCodec(), capture: lineText, sources: [undefined] },
  {
    name: 'Ganglion fw2',
    make: () => new GanglionCodec(2),
    capture: encodeGanglionPacket(1, [5, -3, 2, 7, 1, 1, -2, 4], 18, 9),
    sources: [undefined],
  },
  {
    name: 'Ganglion fw3',
    make: () => new GanglionCodec(3),
    capture: encodeGanglionPacket(7, [5e5, -3e5, 2, 7, 1, 1, -2, 4], 19),
    sources: [undefined],
  },
  { name: 'MetaWear', make: () => new MetawearCodec(), capture: new Uint8Array(20), sources: [undefined] },
  {
    name: 'Myo',
    make: () => new MyoCodec(),
    capture: new Uint8Array(16),
    sources: [MYO_IMU_CHAR, ...MYO_EMG_CHARS],
  },
];

describe('every device codec, fed mutated captures and random bytes', () => {
  for (const codec of CODECS) {
    it(`${codec.name}: never throws, never emits a non-finite value`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutation), fc.constantFrom(...codec.sources)),
            {
              minLength: 1,
              maxLength: 30,
            },
          ),
          (steps) => {
            const c = codec.make();
            const out: SampleBlock[] = [];
            let capture = codec.capture;
            for (const [step, source] of steps) {
              if (step instanceof Uint8Array) out.push(...c.push(step, source));
              else {
                capture = mutate(capture, step);
                out.push(...c.push(capture.subarray(0, 240), source));
              }
            }
            c.takeMessages();
            expect(firstNonFinite(out)).toBeUndefined();
          },
        ),
        { numRuns: CODEC_RUNS },
      );
    });
  }
});
