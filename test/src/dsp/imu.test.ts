import { describe, expect, it } from 'vitest';
import {
  anchoredAngle,
  angularAcceleration,
  ComplementaryAngle,
  integrateAngle,
  inclinationDeg,
} from '../../../src/dsp/imu.js';

describe('IMU angle', () => {
  it('T1: ω = 100 °/s for 0.90 s from θ₀ = 0 gives 90.0 ± 0.1°', () => {
    const fs = 200;
    const omega = new Float64Array(Math.round(0.9 * fs) + 1).fill(100);
    const theta = integrateAngle(omega, fs, 0);
    expect(Math.abs((theta.at(-1) ?? 0) - 90)).toBeLessThanOrEqual(0.1);
  });

  it('inclination is atan2(ax, ay) in degrees', () => {
    expect(Array.from(inclinationDeg([1, 0], [0, 1]))).toEqual([90, 0]);
  });

  it('complementary filter follows gyro during motion and is pulled to the inclination at rest', () => {
    const fs = 100;
    const f = new ComplementaryAngle(fs);
    const omega = new Float64Array(200).fill(0);
    const incl = new Float64Array(200).fill(10);
    incl[0] = 0;
    const out = f.process(omega, incl);
    expect(out[0]).toBe(0);
    expect(out[199] ?? 0).toBeGreaterThan(8.5);
    f.reset();
    const again = f.process(omega, incl);
    expect(Array.from(again)).toEqual(Array.from(out));
  });

  it('re-anchoring removes gyro drift between static periods', () => {
    const fs = 100;
    const n = 1000;
    const trueOmega = Float64Array.from({ length: n }, (_, i) => (i >= 300 && i < 500 ? 45 : 0));
    const trueTheta = integrateAngle(trueOmega, fs, 0);
    const drifting = trueOmega.map((v) => v + 0.5);
    const theta = anchoredAngle(drifting, trueTheta, fs);
    expect(Math.abs((theta[900] ?? 0) - (trueTheta[900] ?? 0))).toBeLessThan(0.3);
    expect(Math.abs((integrateAngle(drifting, fs).at(900) ?? 0) - (trueTheta[900] ?? 0))).toBeGreaterThan(4);
  });

  it('angular acceleration of a slow ramp in ω is its slope', () => {
    const fs = 200;
    const omega = Float64Array.from({ length: 400 }, (_, i) => (50 * i) / fs);
    expect(angularAcceleration(omega, fs)[200] ?? 0).toBeCloseTo(50, 3);
  });
});
