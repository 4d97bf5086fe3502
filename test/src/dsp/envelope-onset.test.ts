import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { butterworthSos } from '../../../src/dsp/butterworth.js';
import { centeredRms, linearEnvelope, rectify, SlidingMav, SlidingRms } from '../../../src/dsp/envelope.js';
import { detectOnsets, tkeo } from '../../../src/dsp/onset.js';
import { sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { gaussian, rmsOf, sine } from './signals.js';

describe('envelopes', () => {
  it('sliding RMS of a sine is A/√2 and MAV is 2A/π', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.constantFrom(5, 10, 20, 25, 40, 50, 80, 100, 125, 200),
        (a, f) => {
          const fs = 2000;
          const x = sine(a, f, fs, fs);
          const win = (fs / f) * 4;
          const r = new SlidingRms(Math.round(win)).process(x);
          expect((r[fs - 1] ?? 0) / a).toBeCloseTo(1 / Math.SQRT2, 9);
          const m = new SlidingMav(Math.round(win)).process(x);
          // 2A/π is the continuous-time MAV; with ≥ 40 samples per period the sampled value is within 0.005.
          if (f <= 50) expect((m[fs - 1] ?? 0) / a).toBeCloseTo(2 / Math.PI, 2);
          expect((centeredRms(x, Math.round(win))[fs / 2] ?? 0) / a).toBeCloseTo(1 / Math.SQRT2, 3);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('live RMS is split-independent and reset() repeats it', () => {
    const g = gaussian(11);
    const x = Float64Array.from({ length: 5000 }, () => g());
    const whole = new SlidingRms(100).process(x);
    const live = new SlidingRms(100);
    const parts = [
      ...live.process(x.subarray(0, 1234)),
      ...live.process(x.subarray(1234, 1300)),
      ...live.process(x.subarray(1300)),
    ];
    parts.forEach((v, i) => expect(v).toBeCloseTo(whole[i] ?? 0, 12));
    live.reset();
    expect(Array.from(live.process(x))).toEqual(Array.from(whole));
  });

  it('rectification and linear envelope follow the amplitude', () => {
    expect(Array.from(rectify([-2, 0, 3]))).toEqual([2, 0, 3]);
    const x = sine(10, 80, 1000, 3000);
    const env = linearEnvelope(x, 1000);
    expect(env[1500] ?? 0).toBeCloseTo((2 * 10) / Math.PI, 0);
  });

  it('TKEO of a sine A·sin(Ωn) is A²·sin²Ω', () => {
    const x = sine(2, 50, 1000, 200);
    const psi = tkeo(x);
    expect(psi[100] ?? 0).toBeCloseTo(4 * Math.sin((2 * Math.PI * 50) / 1000) ** 2, 10);
  });
});

/** domain.md §9 T13: baseline noise (RMS ≈ 3.3 µV) + Gaussian burst (RMS ≈ 36 µV) from 1.000 s, fs 2 kHz. */
function t13(seed: number): Float64Array {
  const fs = 2000;
  const n = 2 * fs;
  const sos = butterworthSos(4, [20, 450], 'bandpass', fs);
  const g = gaussian(seed);
  const noise = sosfiltfilt(
    sos,
    Float64Array.from({ length: n }, () => g()),
  );
  const burst = sosfiltfilt(
    sos,
    Float64Array.from({ length: n }, () => g()),
  );
  const kn = 3.3 / rmsOf(noise);
  const kb = 36 / rmsOf(burst, fs, n);
  return noise.map((v, i) => v * kn + (i >= fs ? (burst[i] ?? 0) * kb : 0));
}

describe('onset detection (T13)', () => {
  const fs = 2000;
  const baseline = [400, 1600] as const;
  for (const seed of [1, 2, 3]) {
    const x = t13(seed);
    it(`seed ${seed}: TKEO (j = 8, 25 ms) finds the onset at 1.000 ± 0.015 s`, () => {
      const r = detectOnsets(x, fs, { method: 'tkeo', baseline });
      expect(r.bursts).toHaveLength(1);
      expect((r.bursts[0]?.start ?? 0) / fs).toBeCloseTo(1.0, 1);
      expect(Math.abs((r.bursts[0]?.start ?? 0) / fs - 1)).toBeLessThanOrEqual(0.015);
    });
    it(`seed ${seed}: Hodges–Bui threshold (3 SD, LP 50 Hz, 25 ms) and double threshold agree`, () => {
      for (const method of ['threshold', 'double'] as const) {
        const r = detectOnsets(x, fs, { method, baseline });
        expect(r.bursts.length).toBeGreaterThanOrEqual(1);
        expect(Math.abs((r.bursts[0]?.start ?? 0) / fs - 1)).toBeLessThanOrEqual(0.015);
      }
    });
  }

  it('finds nothing in baseline noise alone', () => {
    const x = t13(5).subarray(0, 1990);
    expect(detectOnsets(x, fs, { baseline }).bursts).toHaveLength(0);
  });
});
