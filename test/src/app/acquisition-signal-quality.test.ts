import { describe, expect, it } from 'vitest';
import { Acquisition } from '../../../src/app/acquisition.js';
import { EventHub } from '../../../src/app/event-hub.js';
import type { BlockSink, DeviceDriver, DriverStats } from '../../../src/devices/driver.js';
import type { DeviceEntry } from '../../../src/devices/registry.js';
import { builtinDevices } from '../../../src/devices/registry.js';
import type { SignalQuality } from '../../../src/shared/api/device-api.js';
import { SignalQualitySchema } from '../../../src/shared/api/device-api.js';
import type { StreamDescriptor } from '../../../src/shared/samples.js';

const findBuiltin = (id: string) => builtinDevices.find((d) => d.descriptor.id === id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds, up to `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; !check(); waited += 50) {
    if (waited > timeoutMs) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const oneEmgChannel: StreamDescriptor = {
  id: 'emg',
  label: 'EMG',
  sampleRateHz: 1000,
  channels: [{ id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -100, rangeMax: 100 }],
};

/** A driver whose blocks the test pushes itself (through `push`), with optional driver statistics. */
function scriptedDevice(id: string, stats?: () => DriverStats): { entry: DeviceEntry; push: BlockSink } {
  let sink: BlockSink | undefined;
  const driver: DeviceDriver = {
    descriptor: { id, name: id, transport: 'builtin', streams: [oneEmgChannel] },
    connect: async () => undefined,
    start: async (s) => {
      sink = s;
    },
    stop: async () => undefined,
    disconnect: async () => undefined,
    ...(stats ? { stats } : {}),
  };
  return { entry: { descriptor: driver.descriptor, create: () => driver }, push: (block) => sink?.(block) };
}

describe('Acquisition signal quality', () => {
  it('publishes per-channel quality of the demo device about once a second, only while someone listens', async () => {
    const hub = new EventHub();
    const acq = new Acquisition(findBuiltin, hub);
    expect(acq.getSignalQuality()).toBeNull();
    await acq.start('synthetic');
    // Nobody listens yet: nothing is evaluated on the frame timer.
    await sleep(300);
    const seen: SignalQuality[] = [];
    const off = hub.on('signalQuality', (q) => seen.push(q));
    await until(() => seen.length >= 3 && (seen.at(-1)?.windowS ?? 0) >= 1.5);
    off();
    const countWhenOff = seen.length;
    await sleep(1200);
    expect(seen.length).toBe(countWhenOff);
    const last = seen.at(-1) as SignalQuality;
    expect(SignalQualitySchema.parse(last)).toEqual(last);
    expect(last).toMatchObject({ deviceId: 'synthetic', state: 'streaming', droppedSamples: 0 });
    expect(last.batteryPercent).toBeUndefined();
    // Consecutive evaluations are at least the interval apart.
    for (let i = 1; i < seen.length; i++)
      expect((seen[i]?.atMs ?? 0) - (seen[i - 1]?.atMs ?? 0)).toBeGreaterThanOrEqual(1000);
    const emg = last.streams.find((s) => s.streamId === 'emg');
    expect(emg?.nominalRateHz).toBe(2000);
    expect(emg?.effectiveRateHz).toBeGreaterThan(0);
    expect(emg?.channels.map((c) => c.channelId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `emg${i}`));
    for (const c of emg?.channels ?? []) {
      expect(c.verdict).not.toBe('off');
      expect(c.noiseUv).toBeGreaterThan(0.5);
      expect(c.clippedFraction).toBe(0);
    }
    // The demo puts mains hum on its last EMG channel so that a 'check' shows.
    expect(emg?.channels.at(-1)).toMatchObject({ verdict: 'check', issues: ['lineNoise'] });
    expect(emg?.channels[0]?.verdict).toBe('good');
    const imu = last.streams.find((s) => s.streamId === 'imu');
    expect(imu?.channels.every((c) => c.verdict === 'good' && c.noiseUv === null)).toBe(true);
    // A screen opened mid-stream gets the same snapshot without waiting.
    expect(acq.getSignalQuality()?.streams).toHaveLength(2);
    await acq.stop();
    expect(acq.getSignalQuality()).toBeNull();
  });

  it('counts sequence jumps as dropped samples, reports battery from the driver, and reads the mains setting', async () => {
    const { entry, push: sink } = scriptedDevice('scripted', () => ({
      codec: { packets: 0, garbageBytes: 0, resyncs: 0, droppedSamples: 0, malformed: 0 },
      streams: [{ streamId: 'emg', nominalRateHz: 1000, effectiveRateHz: 998.5 }],
      batteryPercent: 64,
    }));
    let now = 1_000_000;
    const hub = new EventHub();
    const acq = new Acquisition(
      (id) => (id === 'scripted' ? entry : undefined),
      hub,
      () => now,
      {
        mainsHz: () => 60,
      },
    );
    await acq.start('scripted');
    const block = (firstSeq: number, n: number, f: (i: number) => number) => ({
      streamId: 'emg',
      firstSeq,
      timestampsMs: new Float64Array(n),
      data: [Float32Array.from({ length: n }, (_, i) => f(firstSeq + i))],
    });
    // 60 Hz hum over a little noise: line noise only when the test looks at 60 Hz.
    const signal = (i: number) => 20 * Math.sin((2 * Math.PI * 60 * i) / 1000) + ((i * 7919) % 13) - 6;
    sink(block(0, 1000, signal));
    sink(block(1100, 900, signal)); // 100 samples lost
    sink(block(2000, 500, signal));
    now += 2500;
    const q = acq.getSignalQuality();
    expect(q).toMatchObject({ deviceId: 'scripted', batteryPercent: 64, droppedSamples: 100 });
    expect(q?.streams[0]).toMatchObject({ droppedSamples: 100, effectiveRateHz: 998.5, nominalRateHz: 1000 });
    expect(q?.streams[0]?.channels[0]?.issues).toContain('lineNoise');
    expect(q?.streams[0]?.channels[0]?.reasons.join(' ')).toMatch(/at 60 Hz/);
    // A sequence that starts over (the device reconnected) is not a loss.
    sink(block(0, 500, signal));
    now += 1500;
    expect(acq.getSignalQuality()?.droppedSamples).toBe(100);
    await acq.stop();
  });

  it('measures the effective rate between block arrivals when the driver does not report one', async () => {
    const { entry, push: sink } = scriptedDevice('plain');
    let now = 5_000;
    const acq = new Acquisition(
      (id) => (id === 'plain' ? entry : undefined),
      new EventHub(),
      () => now,
    );
    await acq.start('plain');
    // 95 samples every 100 ms: a device running 5 % slow, delivered in bursts.
    for (let k = 0; k < 21; k++) {
      sink({
        streamId: 'emg',
        firstSeq: 95 * k,
        timestampsMs: new Float64Array(95),
        data: [Float32Array.from({ length: 95 }, (_, i) => Math.sin(i))],
      });
      now += 100;
    }
    const q = acq.getSignalQuality();
    expect(q?.streams[0]?.effectiveRateHz).toBeCloseTo(950, 6);
    expect(q?.streams[0]?.droppedSamples).toBe(0);
    now += 3000;
    expect(acq.getSignalQuality()?.streams[0]?.effectiveRateHz).toBe(0);
    await acq.stop();
  });
});
