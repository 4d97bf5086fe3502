import { describe, expect, it } from 'vitest';
import { detectClonus } from '../../../src/indicators/clonus.js';
import { analyzeTap } from '../../../src/indicators/tap-proxy.js';
import { gaussian } from '../dsp/signals.js';

describe('clonus (T17)', () => {
  const fs = 200;
  const g = gaussian(17);
  const omega = Float64Array.from({ length: 8 * fs }, (_, i) => {
    const t = i / fs;
    const clonus = t >= 1 && t < 5 ? 60 * Math.exp(-(t - 1) / 3) * Math.sin(2 * Math.PI * 6 * (t - 1)) : 0;
    return clonus + 2 * g();
  });

  it('finds one fatigable 6 Hz episode of 24 beats lasting ≈ 3.8 s', () => {
    const r = detectClonus(omega, fs);
    expect(r.episodes).toHaveLength(1);
    const e = r.episodes[0];
    expect(Math.abs((e?.f0Hz ?? 0) - 6)).toBeLessThanOrEqual(0.1);
    expect(e?.beats).toBe(24);
    expect(e?.ibiCv).toBeLessThan(0.05);
    expect(Math.abs((e?.durationS ?? 0) - 3.8)).toBeLessThan(0.1);
    expect(e?.grade).toBe('fatigable');
    expect(e?.decayRatio).toBeLessThan(0.5);
  });

  it('is confirmed by an EMG envelope bursting at the same frequency, not by unrelated EMG', () => {
    const h = gaussian(18);
    const bursting = omega.map((_, i) => {
      const t = i / fs;
      const burst = t >= 1 && t < 5 ? 20 * Math.max(0, Math.sin(2 * Math.PI * 6 * (t - 1) - 1)) : 0;
      return 5 + burst + h();
    });
    const unrelated = omega.map(() => 5 + 3 * h());
    const confirmed = detectClonus(omega, fs, { emgEnvelope: bursting }).episodes[0];
    expect(confirmed?.emgConfirmed).toBe(true);
    expect(confirmed?.emgCoherence).toBeGreaterThan(0.5);
    expect(detectClonus(omega, fs, { emgEnvelope: unrelated }).episodes[0]?.emgConfirmed).toBe(false);
    expect(detectClonus(omega, fs).episodes[0]?.emgConfirmed).toBeNull();
  });

  it('is not reported when it does not follow a stretch', () => {
    expect(detectClonus(omega, fs, { stretchesS: [{ startS: 5.6, endS: 6 }] }).episodes).toHaveLength(0);
    expect(
      detectClonus(omega, fs, { stretchesS: [{ startS: 0.1, endS: 0.5 }] }).episodes[0]?.stretchTriggered,
    ).toBe(true);
  });

  it('finds nothing in sensor noise', () => {
    expect(
      detectClonus(
        omega.map((v, i) => (i < fs || i >= 5 * fs ? v : 2 * g())),
        fs,
      ).episodes,
    ).toHaveLength(0);
  });
});

describe('tap proxy (T18)', () => {
  const fs = 3200;
  const zeta = 0.2;
  const wd = 2 * Math.PI * 15;
  const wn = wd / Math.sqrt(1 - zeta * zeta);
  const a = Float64Array.from(
    { length: fs },
    (_, i) => Math.exp(-zeta * wn * (i / fs)) * Math.sin(wd * (i / fs)),
  );

  it('T18 on the raw response: D = ln(a1/a3) = 1.2825, F = 15.0 Hz, FFT peak within 14–15.5 Hz', () => {
    const r = analyzeTap(a, fs, false);
    expect(Math.abs(r.decrement - 1.2825)).toBeLessThan(0.001);
    expect(Math.abs(r.frequencyHz - 15)).toBeLessThan(0.01);
    expect(r.fftPeakHz).toBeGreaterThanOrEqual(14);
    expect(r.fftPeakHz).toBeLessThanOrEqual(15.5);
  });

  it('the default 5–100 Hz band-pass keeps F (the zero-phase edge transient biases D, so D is not compared)', () => {
    const r = analyzeTap(a, fs);
    expect(Math.abs(r.frequencyHz - 15)).toBeLessThan(0.5);
    expect(r.parameters.bandPass).toBe(true);
  });
});
