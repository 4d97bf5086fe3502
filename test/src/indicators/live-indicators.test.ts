import { describe, expect, it } from 'vitest';
import { LiveIndicators } from '../../../src/indicators/live-indicators.js';
import { analyzePassiveStretches } from '../../../src/indicators/passive-stretch.js';
import type { SampleBlock, StreamDescriptor } from '../../../src/shared/samples.js';
import { EMG_FS, IMU_FS, stretchSession } from './stretch-session.js';

const streams: StreamDescriptor[] = [
  {
    id: 'emg',
    label: 'EMG',
    sampleRateHz: EMG_FS,
    channels: [{ id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -5000, rangeMax: 5000 }],
  },
  {
    id: 'imu',
    label: 'IMU',
    sampleRateHz: IMU_FS,
    channels: [
      { id: 'gyroZ', label: 'Gyro Z', kind: 'gyro', unit: 'deg/s', rangeMin: -2000, rangeMax: 2000 },
    ],
  },
];

/** Feeds the session in 20 ms blocks, EMG and IMU interleaved as a device delivers them. */
function feed(live: LiveIndicators, omega: Float64Array, emg: Float64Array): void {
  const blocks = Math.ceil(omega.length / (IMU_FS / 50));
  for (let b = 0; b < blocks; b++) {
    const e0 = (b * EMG_FS) / 50;
    const i0 = (b * IMU_FS) / 50;
    const block = (streamId: string, x: Float64Array, from: number, n: number): SampleBlock => ({
      streamId,
      firstSeq: from,
      timestampsMs: new Float64Array(Math.max(0, Math.min(n, x.length - from))),
      data: [Float32Array.from(x.subarray(from, from + n))],
    });
    live.push(block('emg', emg, e0, EMG_FS / 50));
    live.push(block('imu', omega, i0, IMU_FS / 50));
  }
}

describe('live indicators', () => {
  const { theta, omega, emg } = stretchSession();
  const offline = analyzePassiveStretches(theta, omega, IMU_FS, {
    x: emg,
    sampleRateHz: EMG_FS,
    restMean: 3 * 0.95,
    restSd: 0.5,
  });

  it('agree with the offline analysis: same stretches, start within 15 ms, peak velocity within 1 %, max angle within 1°, same reflexes', () => {
    const live = new LiveIndicators(streams);
    feed(live, omega, emg);
    const snap = live.snapshot();
    expect(snap.stretches).toHaveLength(offline.stretches.length);
    snap.stretches.forEach((s, i) => {
      const o = offline.stretches[i];
      // Live starts at ω > 20 °/s; offline also needs 10 % of the (then known) peak: ≤ 15 ms apart.
      expect(Math.abs(s.startS - (o?.startS ?? 0))).toBeLessThanOrEqual(0.015);
      expect(Math.abs(s.peakVelDegS / (o?.peakVelDegS ?? 1) - 1)).toBeLessThan(0.01);
      expect(Math.abs(s.thetaMaxDeg - (o?.thetaMaxDeg ?? 0))).toBeLessThan(1);
      expect(s.reflexPresent).toBe(o?.reflexPresent);
      expect(s.catchPresent).toBe(false);
    });
    expect(snap.rest?.mean).toBeGreaterThan(1);
  });

  it('the live envelope tracks the burst amplitude like the offline RMS (within 15 %)', () => {
    const live = new LiveIndicators(streams);
    const fast = offline.stretches.find((s) => s.kind === 'fast');
    const stopS = (fast?.startS ?? 0) + 0.2;
    const n = Math.round(stopS * IMU_FS);
    feed(live, omega.subarray(0, n), emg.subarray(0, Math.round(stopS * EMG_FS)));
    const liveRms = live.snapshot().emgRms[0] ?? 0;
    let s = 0;
    const w = Math.round(0.05 * EMG_FS);
    const end = Math.round(stopS * EMG_FS);
    for (let i = end - w; i < end; i++) s += (emg[i] ?? 0) ** 2;
    expect(Math.abs(liveRms / Math.sqrt(s / w) - 1)).toBeLessThan(0.15);
    expect(live.snapshot().current?.reflexPresent).toBe(true);
  });

  it('reset() makes processing repeatable', () => {
    const live = new LiveIndicators(streams);
    feed(live, omega, emg);
    const first = live.snapshot();
    live.reset();
    expect(live.snapshot().stretches).toEqual([]);
    feed(live, omega, emg);
    expect(live.snapshot()).toEqual(first);
  });

  it('counts completed stretches beyond the 50 it keeps, and starts again from zero on reset()', () => {
    const live = new LiveIndicators(streams);
    for (let k = 0; k < 9; k++) feed(live, omega, emg);
    const snap = live.snapshot();
    expect(snap.stretches).toHaveLength(50);
    expect(snap.stretchesCompleted).toBe(9 * offline.stretches.length);
    live.reset();
    expect(live.snapshot()).toMatchObject({ stretchesCompleted: 0, dropsStarted: 0 });
  });

  it('counts pendulum releases: a fall after a still hold, one per drop however long it swings', () => {
    // Three drops 12 s apart: 2 s held still, then a swing at 0.9 Hz damped with ζ = 0.1 starting downwards.
    const wd = 2 * Math.PI * 0.9;
    const decay = 0.1 * wd;
    const pendulum = Float64Array.from({ length: 36 * IMU_FS }, (_, i) => {
      const t = (i / IMU_FS) % 12;
      return t < 2 ? 0 : -250 * Math.exp(-decay * (t - 2)) * Math.sin(wd * (t - 2) + 0.3);
    });
    const live = new LiveIndicators(streams);
    feed(live, pendulum, new Float64Array(36 * EMG_FS));
    expect(live.snapshot().dropsStarted).toBe(3);
  });
});
