import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/dosing/random.js';
import { bonatoBursts, pairExceedanceProbability } from '../../../src/dsp/onset-bonato.js';

describe("Bonato's double threshold (IEEE TBME 1998)", () => {
  it('sets the pair threshold from the false-alarm probability of the r0-of-m rule', () => {
    // r0 = 1 of m = 5: 1 − (1 − p)⁵ = 0.05 → p = 1 − 0.95^(1/5).
    expect(pairExceedanceProbability(0.05, 5, 1)).toBeCloseTo(1 - 0.95 ** 0.2, 12);
    // One pair: p is the false-alarm probability itself.
    expect(pairExceedanceProbability(0.05, 1, 1)).toBeCloseTo(0.05, 12);
    // r0 = m = 2: p² = 0.04 → p = 0.2.
    expect(pairExceedanceProbability(0.04, 2, 2)).toBeCloseTo(0.2, 12);
  });

  it('finds a burst in noise to within the window, and ignores a blip shorter than 30 ms', () => {
    const fs = 1000;
    const rng = seededRandom(5);
    const x = Array.from({ length: 2 * fs }, (_, i) => {
      const inBurst = i >= 800 && i < 1200;
      const blip = i >= 1600 && i < 1610;
      return (inBurst || blip ? 1 : 0.01) * rng.normal();
    });
    const bursts = bonatoBursts(x, fs);
    expect(bursts).toHaveLength(1);
    const [b] = bursts;
    // Onset: the window of m = 5 pairs (10 samples) starting at the pair counts, so up to 8 samples early.
    expect(b?.start).toBeGreaterThanOrEqual(790);
    expect(b?.start).toBeLessThanOrEqual(804);
    expect(b?.end).toBeGreaterThanOrEqual(1194);
    expect(b?.end).toBeLessThanOrEqual(1202);
  });

  it('a pause shorter than 30 ms inside a burst does not split it; a longer one does', () => {
    const fs = 1000;
    const rng = seededRandom(9);
    const withPause = (pauseMs: number) =>
      Array.from({ length: 2 * fs }, (_, i) => {
        const on = (i >= 600 && i < 900) || (i >= 900 + pauseMs && i < 1300);
        return (on ? 1 : 0.01) * rng.normal();
      });
    expect(bonatoBursts(withPause(12), fs)).toHaveLength(1);
    expect(bonatoBursts(withPause(80), fs)).toHaveLength(2);
  });
});
