import { describe, expect, it } from 'vitest';
import { butterworthSos } from '../../../src/dsp/butterworth.js';
import { sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { emgQuality } from '../../../src/indicators/quality.js';
import { analyzeRestTone } from '../../../src/indicators/rest-tone.js';
import type { ChannelDescriptor } from '../../../src/shared/samples.js';
import { gaussian, sine } from '../dsp/signals.js';

const FS = 1000;
const ch: ChannelDescriptor = {
  id: 'emg1',
  label: 'EMG 1',
  kind: 'emg',
  unit: 'uV',
  rangeMin: -1000,
  rangeMax: 1000,
};

function emg(seconds: number, rmsUv: number, seed: number): Float64Array {
  const g = gaussian(seed);
  const x = sosfiltfilt(
    butterworthSos(4, [20, 450], 'bandpass', FS),
    Float64Array.from({ length: seconds * FS }, () => g()),
  );
  let s = 0;
  for (const v of x) s += v * v;
  const k = rmsUv / Math.sqrt(s / x.length);
  return x.map((v) => v * k);
}

describe('rest tone', () => {
  it('quiet rest is at the noise floor; activity raises RMS, SNR and the active fraction', () => {
    const quiet = emg(30, 3, 1);
    const r = analyzeRestTone(quiet, FS);
    expect(r.rmsRest).toBeCloseTo(3, 0);
    expect(r.snrRestDb).toBeLessThan(2);
    expect(r.activeAtRestFraction).toBe(0);
    const busy = emg(30, 3, 2);
    const burst = emg(10, 20, 3);
    busy.set(
      busy.subarray(10 * FS, 20 * FS).map((v, i) => v + (burst[i] ?? 0)),
      10 * FS,
    );
    const a = analyzeRestTone(busy, FS, [0, busy.length], r.noiseFloor);
    expect(a.activeAtRestFraction).toBeGreaterThan(30);
    expect(a.algorithmVersion).toMatch(/^rest-tone\//);
  });
});

describe('EMG quality flags', () => {
  const clean = emg(10, 20, 4).map((v, i) => (i % 3000 < 1500 ? v : v / 8));

  it('a clean signal has no flags', () => {
    expect(emgQuality(clean, ch, FS).flags).toEqual([]);
  });

  it('flags clipping, flat line, line noise, motion artefact and low SNR', () => {
    const clippedSig = clean.map((v, i) => (i % 100 === 0 ? 1000 : v));
    expect(emgQuality(clippedSig, ch, FS).flags).toContain('clipping');
    const flat = Float64Array.from(clean);
    flat.fill(0.1, 2000, 3500);
    expect(emgQuality(flat, ch, FS).flags).toContain('flatLine');
    const hum = sine(30, 50, FS, clean.length);
    expect(
      emgQuality(
        clean.map((v, i) => v + (hum[i] ?? 0)),
        ch,
        FS,
      ).flags,
    ).toContain('lineNoise');
    const sway = sine(200, 2, FS, clean.length);
    expect(
      emgQuality(
        clean.map((v, i) => v + (sway[i] ?? 0)),
        ch,
        FS,
      ).flags,
    ).toContain('motionArtefact');
    expect(emgQuality(emg(10, 20, 5), ch, FS).flags).toContain('lowSnr');
    expect(emgQuality(clean, ch, FS, 50, 10).flags).toContain('droppedSamples');
    expect(emgQuality(clean, ch, 500).flags).toContain('reducedBandwidth');
  });
});
