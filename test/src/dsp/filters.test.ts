import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { butterworthSos } from '../../../src/dsp/butterworth.js';
import { detectLineNoise, lineNotchSos, notchSos } from '../../../src/dsp/notch.js';
import { SosFilter, sosfilt, sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { gaussian, rmsOf, sine } from './signals.js';

const FS = 1000;

/** Steady-state gain in dB of `sos` at `freqHz`, from the second half of a 4 s sine. */
function gainDb(sos: Float64Array, freqHz: number, fs = FS): number {
  const x = sine(1, freqHz, fs, 4 * fs);
  const y = sosfilt(sos, x);
  return 20 * Math.log10(rmsOf(y, 2 * fs) / rmsOf(x, 2 * fs));
}

describe('IIR notch', () => {
  it.each([50, 60] as const)('removes %i Hz by at least 30 dB and passes 100 Hz within 0.5 dB', (f) => {
    const sos = notchSos(f, 30, FS);
    expect(gainDb(sos, f)).toBeLessThan(-30);
    expect(Math.abs(gainDb(sos, 100))).toBeLessThan(0.5);
  });

  it('the 60 Hz cascade removes every harmonic below Nyquist and passes 100 Hz', () => {
    const sos = lineNotchSos(60, FS);
    expect(sos.length / 6).toBe(8);
    for (const f of [60, 120, 180, 240, 300, 360, 420, 480]) expect(gainDb(sos, f)).toBeLessThan(-30);
    expect(Math.abs(gainDb(sos, 100))).toBeLessThan(0.5);
  });

  it('line-noise detection fires on 50 Hz hum 20 dB above broadband noise, not on the noise alone', () => {
    const g = gaussian(7);
    const noise = Float64Array.from({ length: 10 * FS }, () => g());
    const hum = sine(3, 50, FS, 10 * FS);
    const humming = noise.map((v, i) => v + (hum[i] ?? 0));
    expect(detectLineNoise(noise, FS, 50).detected).toBe(false);
    const r = detectLineNoise(humming, FS, 50);
    expect(r.detected).toBe(true);
    expect(r.ratioDb).toBeGreaterThan(10);
  });

  it('refuses a notch at or above Nyquist', () => {
    expect(() => notchSos(500, 30, FS)).toThrow(RangeError);
  });
});

describe('Butterworth', () => {
  it('is −3 dB at the cut-offs and passes the band centre', () => {
    const sos = butterworthSos(4, [20, 450], 'bandpass', 2000);
    expect(gainDb(sos, 20, 2000)).toBeCloseTo(-3.01, 1);
    expect(gainDb(sos, 450, 2000)).toBeCloseTo(-3.01, 1);
    expect(Math.abs(gainDb(sos, 100, 2000))).toBeLessThan(0.05);
  });

  it('zero-phase filtering does not shift a sine', () => {
    const sos = butterworthSos(4, 20, 'lowpass', 200);
    const x = sine(1, 2, 200, 2000);
    const y = sosfiltfilt(sos, x);
    for (let i = 200; i < 1800; i++) expect(y[i]).toBeCloseTo(x[i] ?? 0, 3);
  });

  it('refuses cut-offs outside (0, Nyquist) and too-short zero-phase input', () => {
    expect(() => butterworthSos(4, 600, 'lowpass', 1000)).toThrow(RangeError);
    expect(() => butterworthSos(4, [450, 20], 'bandpass', 1000)).toThrow(RangeError);
    expect(() => sosfiltfilt(butterworthSos(4, 20, 'lowpass', 200), new Float64Array(15))).toThrow(
      /too short/,
    );
  });
});

describe('SosFilter (live)', () => {
  const sos = butterworthSos(4, [20, 450], 'bandpass', 2000);
  const g = gaussian(3);
  const x = Float64Array.from({ length: 4000 }, () => g());
  const whole = sosfilt(sos, x);

  it('block by block equals the whole signal for any split', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const f = new SosFilter(sos);
        const out: number[] = [];
        let pos = 0;
        for (let k = 0; pos < x.length; k++) {
          const n = sizes[k % sizes.length] ?? 1;
          out.push(...f.process(x.subarray(pos, pos + n)));
          pos += n;
        }
        expect(out).toEqual(Array.from(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('reset() makes processing repeatable', () => {
    const f = new SosFilter(sos);
    const first = f.process(x);
    f.reset();
    expect(f.process(x)).toEqual(first);
  });
});
