/**
 * Every variant of EDF+/BDF+ that Tonus writes, opened by two independent strict readers: EDFlib (the library
 * behind EDFbrowser, Debian libedf-dev, through test/support/strict-readers/edflib-dump.c) and MNE-Python.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { readEdfFile, writeEdfFile } from '../../../src/io/edf/edf-file.node.js';
import type { Recording } from '../../../src/shared/recording.js';
import type { EdflibView } from '../../support/strict-readers/edflib.js';
import { buildEdflibDump, EDFLIB_FILETYPE } from '../../support/strict-readers/edflib.js';
import type { MneView } from '../../support/strict-readers/mne.js';
import { readWithMne } from '../../support/strict-readers/mne.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-strict-'));
const START_MS = Date.UTC(2026, 2, 4, 10, 15, 2, 250);

/** The demo device's 8 EMG channels at 2 kHz and 6-axis IMU at 100 Hz for the given sample counts. */
function demo(emgSamples: number, imuSamples: number): Recording {
  const s = new SyntheticSignal();
  const emg = s.next('emg', emgSamples);
  const imu = s.next('imu', imuSamples);
  const [emgDesc, imuDesc] = s.streams;
  return {
    format: 'bdf',
    source: 'demo',
    startTimeMs: START_MS,
    streams: [
      { descriptor: emgDesc!, data: emg.data.map((c) => Float32Array.from(c)) },
      { descriptor: imuDesc!, data: imu.data.map((c) => Float32Array.from(c)) },
    ],
    annotations: [
      { onsetS: 0, text: 'Protocol: passive-stretch' },
      { onsetS: 1.25, durationS: 0.4, text: 'Fast stretch' },
      { onsetS: 2, text: 'Dose: Baclofen 10 mg PO' },
    ],
    meta: { patientCode: 'P-0042', equipment: 'Tonus_demo' },
  };
}

/** Timestamps with a jump of `gapS` at `atS` (a pause), for a stream of `n` samples at `rateHz`. */
function withGap(rec: Recording, atS: number, gapS: number): Recording {
  rec.streams.forEach((s) => {
    const rate = s.descriptor.sampleRateHz;
    const n = s.data[0]!.length;
    s.timestampsMs = Float64Array.from(
      { length: n },
      (_, i) => rec.startTimeMs + (i * 1000) / rate + (i >= atS * rate ? gapS * 1000 : 0),
    );
  });
  rec.annotations.push({ onsetS: atS, durationS: gapS, text: 'Recording paused' });
  return rec;
}

/** A three-hour session of one EMG channel at 200 Hz: onsets past 10 000 s, 10 800 records. */
function longSession(): Recording {
  const rateHz = 200;
  const n = 3 * 3600 * rateHz;
  const data = Float32Array.from({ length: n }, (_, i) => 50 * Math.sin((2 * Math.PI * i) / 400));
  return {
    format: 'bdf',
    source: 'long',
    startTimeMs: START_MS,
    streams: [
      {
        descriptor: {
          id: 'emg',
          label: 'EMG',
          sampleRateHz: rateHz,
          channels: [{ id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -100, rangeMax: 100 }],
        },
        data: [data],
      },
    ],
    annotations: [
      { onsetS: 0, text: 'Protocol: rest' },
      { onsetS: 10_799.5, text: 'Marker near the end' },
    ],
    meta: { patientCode: 'P-LONG' },
  };
}

interface Variant {
  name: string;
  recording: () => Recording;
  /** True length of the data, s. */
  durationS: number;
  texts: string[];
  /** The patient code as EDFlib shows it, when it differs from the recording's. */
  patientCode?: string;
}

/** One quantisation step of the first channel, the tolerance for its values. */
function step(rec: Recording, kind: 'edf' | 'bdf'): number {
  const ch = rec.streams[0]!.descriptor.channels[0]!;
  return (ch.rangeMax - ch.rangeMin) / (kind === 'bdf' ? 2 ** 24 - 1 : 2 ** 16 - 1);
}

const variants: Variant[] = [
  {
    name: 'continuous multi-rate with annotations, whole seconds',
    recording: () => demo(6000, 300),
    durationS: 3,
    texts: ['Protocol: passive-stretch', 'Fast stretch', 'Dose: Baclofen 10 mg PO'],
  },
  {
    name: 'continuous, 60.03 s (the end falls inside a 1 s record)',
    recording: () => demo(120_060, 6003),
    durationS: 60.03,
    texts: ['Protocol: passive-stretch'],
  },
  {
    name: 'continuous, streams ending half an EMG sample apart (no record duration divides it)',
    recording: () => demo(8001, 400),
    durationS: 4.0005,
    texts: ['Fast stretch'],
  },
  {
    name: 'paused 7.5 s at 2.37 s: filler under the pause annotation, so EDF+C',
    recording: () => withGap(demo(12_000, 600), 2.37, 7.5),
    durationS: 13.5,
    texts: ['Recording paused', 'Fast stretch'],
  },
  {
    name: 'non-ASCII patient code and annotation text',
    recording: () => {
      const r = demo(4000, 200);
      r.meta.patientCode = 'Jürgen-Ø';
      r.meta.technician = 'Zoë';
      r.annotations.push({ onsetS: 1.5, text: 'Müdigkeit — Ödem (μ=3 µV) 痙縮' });
      return r;
    },
    durationS: 2,
    texts: ['Müdigkeit — Ödem (μ=3 µV) 痙縮'],
    patientCode: 'Jurgen- ',
  },
  {
    name: 'long session: 3 h, onsets past 10 000 s',
    recording: longSession,
    durationS: 10_800,
    texts: ['Protocol: rest', 'Marker near the end'],
  },
];

const TICKS_PER_S = 10_000_000;
const files = variants.flatMap((v, i) =>
  (['edf', 'bdf'] as const).map((kind) => ({ variant: v, kind, path: join(dir, `v${i}.${kind}`) })),
);

let edflib: (path: string) => EdflibView;
let mne: Record<string, MneView>;

beforeAll(() => {
  for (const f of files) writeEdfFile(f.path, f.variant.recording(), f.kind);
  edflib = buildEdflibDump();
  mne = readWithMne(files.map((f) => f.path));
}, 120_000);

describe.each(files)('$kind: $variant.name', ({ variant, kind, path }) => {
  it('opens in EDFlib with every signal, sample and annotation', () => {
    const view = edflib(path);
    expect(view.error).toBeUndefined();
    expect(view.filetype).toBe(kind === 'bdf' ? EDFLIB_FILETYPE.bdfPlus : EDFLIB_FILETYPE.edfPlus);
    const rec = variant.recording();
    const channels = rec.streams.flatMap((s) => s.descriptor.channels);
    expect(view.signals.map((s) => s.label.trim())).toEqual(channels.map((c) => c.label));
    expect(view.start).toBe('2026-03-04T10:15:02');
    expect(view.startSubsecond).toBe(2_500_000);
    const full = kind === 'bdf' ? [-8388608, 8388607] : [-32768, 32767];
    for (const s of view.signals) {
      expect([s.digitalMin, s.digitalMax]).toEqual(full);
      expect(s.read).toBe(s.samplesInFile);
    }
    const texts = view.annotations.map((a) => a.text);
    for (const t of variant.texts) expect(texts).toContain(t);
    const ends = view.annotations.find((a) => a.text === 'Recording ends');
    expect(ends).toBeDefined();
    // Annotation onsets are file time: from the whole second in the header.
    expect(ends!.onset / TICKS_PER_S).toBeCloseTo(variant.durationS, 6);
    // EDF+ subfields hold no spaces; EDFlib shows each "_" as a space.
    expect(view.patientCode).toBe(variant.patientCode ?? rec.meta.patientCode);
    expect(Math.abs(view.signals[0]!.first - rec.streams[0]!.data[0]![0]!)).toBeLessThanOrEqual(
      step(rec, kind),
    );
  });

  it('opens in MNE with the same channels, start and annotations', () => {
    const view = mne[path]!;
    expect(view.error).toBeUndefined();
    const rec = variant.recording();
    expect(view.names).toEqual(rec.streams.flatMap((s) => s.descriptor.channels.map((c) => c.label)));
    expect(view.sfreq).toBe(rec.streams[0]!.descriptor.sampleRateHz);
    // MNE 1.3 keeps whole seconds in meas_date; its onsets count from the first sample, as ours do.
    expect(view.measDate).toBe('2026-03-04T10:15:02+00:00');
    for (const t of variant.texts) {
      const ours = rec.annotations.find((a) => a.text === t)!;
      const theirs = view.annotations.find((a) => a.description === t);
      expect(theirs?.onset).toBeCloseTo(ours.onsetS, 6);
    }
    const first = rec.streams[0]!.data[0]!;
    view.firstChannel.forEach((v, i) => expect(Math.abs(v - first[i]!)).toBeLessThanOrEqual(step(rec, kind)));
  });

  it('shows no padding as data where a record duration divides the session, and reads back whole', () => {
    const view = edflib(path);
    const fileS = view.fileDuration / TICKS_PER_S;
    const pad = fileS - variant.durationS;
    if (variant.name.includes('half an EMG sample')) expect(pad).toBeGreaterThan(0);
    else {
      expect(Math.abs(pad)).toBeLessThan(1e-9);
      expect(mne[path]!.durationS).toBeCloseTo(variant.durationS, 9);
    }
    const back = readEdfFile(path);
    const rec = variant.recording();
    expect(back.streams.map((s) => s.data[0]!.length)).toEqual(rec.streams.map((s) => s.data[0]!.length));
    expect(back.annotations.map((a) => a.text)).not.toContain('Recording ends');
  });
});
