import { describe, expect, it } from 'vitest';
import {
  absoluteScaleNgPerMl,
  bandedConcentration,
  batemanUnit,
  brentRoot,
  defaultPkParams,
  drawRateConstants,
  keFromHalfLife,
  rateConstants,
  regimenSteadyStateMax,
  solveKa,
  steadyState,
  superposedConcentration,
  tmaxOf,
  validatePkParams,
} from '../../../src/dosing/pk-model.js';

const H = 3_600_000;
const child = rateConstants(defaultPkParams.child);

describe('Bateman model (domain spec §6.2)', () => {
  it('T2: t½ 4.5 h, Tmax 1.0 h → ka 3.182 h⁻¹ and C/Cmax 0.899/0.662/0.358 at 2/4/8 h', () => {
    expect(child.kePerH).toBeCloseTo(0.154, 3);
    expect(Math.abs(child.kaPerH - 3.182)).toBeLessThanOrEqual(0.005);
    const cmax = batemanUnit(1, child);
    expect(Math.abs(batemanUnit(2, child) / cmax - 0.899)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(batemanUnit(4, child) / cmax - 0.662)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(batemanUnit(8, child) / cmax - 0.358)).toBeLessThanOrEqual(0.002);
    expect(batemanUnit(0.5, child) / cmax).toBeCloseTo(0.885, 3);
  });

  it('T3: t½ 3.5 h, Tmax 1.0 h → ka 2.873 h⁻¹', () => {
    expect(Math.abs(rateConstants(defaultPkParams.adult).kaPerH - 2.873)).toBeLessThanOrEqual(0.005);
  });

  it('solves ka so that the curve really peaks at the entered Tmax, over the allowed ranges', () => {
    for (const halfLifeH of [2, 3.5, 4.5, 8])
      for (const tmaxH of [0.5, 1, 2, 3]) {
        const ke = keFromHalfLife(halfLifeH);
        // A Bateman curve cannot peak later than 1/ke (t½ 2 h: 2.89 h); validatePkParams rejects those pairs.
        if (tmaxH >= 1 / ke) continue;
        const ka = solveKa(tmaxH, ke);
        expect(ka).toBeGreaterThan(ke);
        expect(tmaxOf(ka, ke)).toBeCloseTo(tmaxH, 9);
        const k = { kaPerH: ka, kePerH: ke };
        expect(batemanUnit(tmaxH, k)).toBeGreaterThan(batemanUnit(tmaxH - 0.01, k));
        expect(batemanUnit(tmaxH, k)).toBeGreaterThan(batemanUnit(tmaxH + 0.01, k));
      }
  });

  it('refuses a Tmax the bracket (ke, 100] cannot reach', () => {
    expect(() => solveKa(10, keFromHalfLife(4.5))).toThrow(/shorter than 1\/ke/);
    expect(() => solveKa(0.01, keFromHalfLife(4.5))).toThrow(/above 100/);
  });

  it("Brent's method finds a root and refuses an unbracketed interval", () => {
    expect(brentRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 12);
    expect(() => brentRoot((x) => x * x + 1, 0, 2)).toThrow(/not bracketed/);
  });

  it('T4: q8h to steady state peaks 0.89 h after the dose, peak/trough 2.85, R 1.412', () => {
    const ss = steadyState(8, child);
    expect(ss.peakAfterDoseH).toBeCloseTo(0.89, 2);
    expect(ss.peakToTrough).toBeCloseTo(2.85, 2);
    expect(ss.accumulation).toBeCloseTo(1.412, 3);
    expect(steadyState(6, child).peakToTrough).toBeCloseTo(2.11, 2);
    expect(steadyState(6, child).accumulation).toBeCloseTo(1.658, 3);
    const simulated = regimenSteadyStateMax(
      [0, 8, 16].map((offsetH) => ({ offsetH, amount: 1 })),
      child,
    );
    // The model drops doses older than 48 h, so the simulated peak sits just below the closed form.
    expect(simulated).toBeLessThan(ss.cMax);
    expect(simulated / ss.cMax).toBeGreaterThan(0.999);
  });

  it('T5: doses at 08:00, 14:00, 20:00 give C 0.450 at 13:30 and 1.156 at 15:30', () => {
    const day = Date.UTC(2026, 0, 12);
    const doses = [8, 14, 20].map((h) => ({ timeMs: day + h * H, amount: 1 }));
    expect(superposedConcentration(doses, day + 13.5 * H, child)).toBeCloseTo(0.45, 3);
    expect(superposedConcentration(doses, day + 15.5 * H, child)).toBeCloseTo(1.156, 3);
  });

  it('superposition is the sum of single doses, scales with dose and ignores doses older than 48 h', () => {
    const t0 = Date.UTC(2026, 0, 12);
    const a = { timeMs: t0, amount: 5 };
    const b = { timeMs: t0 + 3 * H, amount: 10 };
    const at = t0 + 5 * H;
    expect(superposedConcentration([a, b], at, child)).toBeCloseTo(
      5 * batemanUnit(5, child) + 10 * batemanUnit(2, child),
      12,
    );
    expect(superposedConcentration([{ timeMs: at - 49 * H, amount: 100 }], at, child)).toBe(0);
    expect(superposedConcentration([{ timeMs: at + H, amount: 100 }], at, child)).toBe(0);
  });

  it('T6: child 20 kg, 10 mg → F·D/V 431 ng/mL and Cmax ≈ 370 ng/mL', () => {
    const scale = absoluteScaleNgPerMl(20, {});
    expect(10 * scale).toBeCloseTo(431, 0);
    expect(10 * scale * batemanUnit(1, child)).toBeCloseTo(370, -1);
  });

  it('validates t½ and Tmax against §6.2 ranges and warns on renal-impairment half-lives', () => {
    expect(validatePkParams({ halfLifeH: 4.5, tmaxH: 1 })).toEqual({ errors: [], warnings: [] });
    expect(validatePkParams({ halfLifeH: 12, tmaxH: 1 }).warnings[0]).toMatch(/renal impairment/);
    expect(validatePkParams({ halfLifeH: 1, tmaxH: 1 }).errors[0]).toMatch(/below the allowed 2 h/);
    expect(validatePkParams({ halfLifeH: 4.5, tmaxH: 4 }).errors[0]).toMatch(/outside the allowed/);
    expect(validatePkParams({ halfLifeH: 2, tmaxH: 3 }).errors[0]).toMatch(/cannot peak later than 1\/ke/);
  });

  it('the Monte-Carlo band is seeded, has 500 draws and brackets the typical value', () => {
    const draws = drawRateConstants(child);
    expect(draws).toHaveLength(500);
    expect(drawRateConstants(child)).toEqual(draws);
    const kes = draws.map((d) => Math.log(d.kePerH / child.kePerH));
    const sd = Math.sqrt(kes.reduce((s, x) => s + x * x, 0) / kes.length);
    expect(sd).toBeCloseTo(Math.sqrt(Math.log(1 + 0.35 ** 2)), 1);
    const doses = [{ timeMs: 0, amount: 1 }];
    for (const h of [0.5, 2, 6]) {
      const b = bandedConcentration(doses, h * H, child, draws);
      expect(b.p10).toBeLessThan(b.value);
      expect(b.p90).toBeGreaterThan(b.value);
    }
  });

  it('effect compartment (ke0): lags the plasma peak, tends to plasma for fast ke0, and is off by default', () => {
    expect(child.ke0PerH).toBeUndefined();
    const slow = rateConstants({ ...defaultPkParams.child, ke0PerH: 0.5 });
    const fast = rateConstants({ ...defaultPkParams.child, ke0PerH: 500 });
    const peakOf = (k: typeof child): number => {
      let best = 0;
      for (let m = 1; m <= 12 * 60; m++) if (batemanUnit(m / 60, k) > batemanUnit(best / 60, k)) best = m;
      return best / 60;
    };
    expect(peakOf(child)).toBeCloseTo(1, 1);
    expect(peakOf(slow)).toBeGreaterThan(2);
    for (const h of [0.5, 1, 2, 6]) expect(batemanUnit(h, fast)).toBeCloseTo(batemanUnit(h, child), 2);
    // Numerical check of dCe/dt = ke0·(C − Ce) by a central difference.
    const dt = 1e-4;
    for (const h of [0.3, 1, 4]) {
      const dCe = (batemanUnit(h + dt, slow) - batemanUnit(h - dt, slow)) / (2 * dt);
      expect(dCe).toBeCloseTo(0.5 * (batemanUnit(h, child) - batemanUnit(h, slow)), 6);
    }
    const coinciding = rateConstants({ ...defaultPkParams.child, ke0PerH: keFromHalfLife(4.5) });
    expect(Number.isFinite(batemanUnit(3, coinciding))).toBe(true);
    expect(() => rateConstants({ ...defaultPkParams.child, ke0PerH: 0 })).toThrow(/ke0 0/);
  });
});
