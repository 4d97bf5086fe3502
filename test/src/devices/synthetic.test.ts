import { describe, expect, it } from 'vitest';
import {
  defaultSyntheticParams,
  scriptedMotion,
  SyntheticSignal,
} from '../../../src/devices/drivers/synthetic-signal.js';
import { SyntheticDriver } from '../../../src/devices/drivers/synthetic.js';
import type { SampleBlock } from '../../../src/shared/samples.js';

const concat = (blocks: SampleBlock[], channel: number): number[] =>
  blocks.flatMap((b) => Array.from(b.data[channel] ?? []));

describe('synthetic demo signal', () => {
  it('describes 8 EMG channels at 2 kHz in µV and a 6-axis IMU at 100 Hz', () => {
    const s = new SyntheticSignal();
    const [emg, imu] = s.streams;
    expect(emg).toMatchObject({ id: 'emg', sampleRateHz: 2000 });
    expect(emg?.channels).toHaveLength(8);
    expect(emg?.channels.every((c) => c.unit === 'uV' && c.kind === 'emg')).toBe(true);
    expect(imu).toMatchObject({ id: 'imu', sampleRateHz: 100 });
    expect(imu?.channels.map((c) => c.unit)).toEqual(['g', 'g', 'g', 'deg/s', 'deg/s', 'deg/s']);
  });

  it('is deterministic for a seed, whatever the block sizes', () => {
    const a = new SyntheticSignal({ ...defaultSyntheticParams, seed: 7 });
    const b = new SyntheticSignal({ ...defaultSyntheticParams, seed: 7 });
    const one = [a.next('emg', 3000)];
    const many = [b.next('emg', 1), b.next('emg', 999), b.next('emg', 2000)];
    expect(concat(many, 3)).toEqual(concat(one, 3));
    expect(many.map((m) => m.firstSeq)).toEqual([0, 1, 1000]);
    const c = new SyntheticSignal({ ...defaultSyntheticParams, seed: 8 });
    expect(concat([c.next('emg', 3000)], 3)).not.toEqual(concat(one, 3));
  });

  it('stamps samples on the nominal clock from the start time', () => {
    const s = new SyntheticSignal({ ...defaultSyntheticParams, startTimeMs: 1000 });
    s.next('imu', 10);
    const block = s.next('imu', 3);
    expect(Array.from(block.timestampsMs)).toEqual([1100, 1110, 1120]);
  });

  it('has a noise floor near its set RMS at rest and a reflex burst during the fast stretch', () => {
    const p = defaultSyntheticParams;
    const s = new SyntheticSignal();
    const block = s.next('emg', p.emgRateHz * p.cycleS);
    const rms = (from: number, to: number): number => {
      const x = (block.data[0] as Float32Array).subarray(from * p.emgRateHz, to * p.emgRateHz);
      return Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    };
    expect(rms(0, 2)).toBeGreaterThan(p.emgNoiseUv * 0.9);
    expect(rms(0, 2)).toBeLessThan(p.emgNoiseUv * 1.1);
    const burstStart = p.cycleS * 0.4 + 0.1;
    expect(rms(burstStart, burstStart + 0.2)).toBeGreaterThan(5 * rms(0, 2));
  });

  it('keeps gravity at 1 g through the movement and integrates gyro Z to the stretch range', () => {
    const p = defaultSyntheticParams;
    const s = new SyntheticSignal();
    const block = s.next('imu', p.imuRateHz * p.cycleS);
    const [ax, ay, , , , gz] = block.data as Float32Array[];
    for (let i = 0; i < block.timestampsMs.length; i += 37) {
      expect(Math.hypot(ax?.[i] ?? 0, ay?.[i] ?? 0)).toBeCloseTo(1, 1);
    }
    const stretchStart = p.cycleS * 0.4;
    let angle = 0;
    for (let i = stretchStart * p.imuRateHz; i < (stretchStart + p.stretchS) * p.imuRateHz; i++)
      angle += (gz?.[i] ?? 0) / p.imuRateHz;
    expect(angle).toBeGreaterThan(p.stretchRangeDeg * 0.9);
    expect(angle).toBeLessThan(p.stretchRangeDeg * 1.1);
    expect(scriptedMotion(p, stretchStart + p.stretchS + 0.5).angleDeg).toBe(p.stretchRangeDeg);
  });
});

describe('SyntheticDriver', () => {
  it('streams in real time against the host clock and stops delivering after stop()', async () => {
    const driver = new SyntheticDriver();
    const blocks: SampleBlock[] = [];
    await driver.connect();
    await driver.start((b) => blocks.push(b));
    await new Promise((r) => setTimeout(r, 300));
    await driver.stop();
    const count = blocks.length;
    const emgSamples = blocks
      .filter((b) => b.streamId === 'emg')
      .reduce((n, b) => n + b.timestampsMs.length, 0);
    expect(emgSamples).toBeGreaterThan(2000 * 0.15);
    expect(emgSamples).toBeLessThanOrEqual(2000 * 0.35);
    await new Promise((r) => setTimeout(r, 100));
    expect(blocks.length).toBe(count);
  });

  it('refuses to connect when already cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new SyntheticDriver().connect(ac.signal)).rejects.toThrow(/Cancelled/);
  });
});
