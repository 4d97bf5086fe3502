import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AcquisitionGap } from '../../../src/app/acquisition.js';
import { Acquisition, RECONNECT_GIVE_UP_MS } from '../../../src/app/acquisition.js';
import { EventHub } from '../../../src/app/event-hub.js';
import { packageRoot } from '../../../src/app/paths.js';
import { PlaybackDriver } from '../../../src/devices/drivers/playback.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import type { DeviceDriver, DriverEvents } from '../../../src/devices/driver.js';
import { DeviceDisconnectedError } from '../../../src/devices/driver.js';
import type { DeviceEntry } from '../../../src/devices/registry.js';
import { builtinDevices } from '../../../src/devices/registry.js';
import type { StreamStatus } from '../../../src/shared/api/device-api.js';
import type { LiveFrame } from '../../../src/shared/live-frame.js';
import type { StreamDescriptor } from '../../../src/shared/samples.js';

const findBuiltin = (id: string) => builtinDevices.find((d) => d.descriptor.id === id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Acquisition', () => {
  it('turns the demo stream into ~30 live frames per second of per-pixel columns', async () => {
    const hub = new EventHub();
    const frames: LiveFrame[] = [];
    hub.on('liveFrame', (f) => frames.push(f));
    const acq = new Acquisition(findBuiltin, hub);
    acq.setLiveView({ widthPx: 500, windowS: 5 });
    const started = await acq.start('synthetic');
    expect(started.state).toBe('streaming');
    // The status names the device and carries its streams, so any device can be drawn without a lookup.
    expect(started.deviceName).toBe(findBuiltin('synthetic')?.descriptor.name);
    expect(started.streams?.map((s) => [s.id, s.channels.length])).toEqual([
      ['emg', 8],
      ['imu', 6],
    ]);
    await sleep(600);
    await acq.stop();
    expect(frames.length).toBeGreaterThan(8);
    const emg = frames.flatMap((f) => f.streams.filter((s) => s.streamId === 'emg'));
    expect(emg[0]?.samplesPerColumn).toBe(20);
    expect(emg[0]?.channelCount).toBe(8);
    // Columns arrive contiguous, without gaps or repeats.
    for (let i = 1; i < emg.length; i++) {
      expect(emg[i]?.firstColumn).toBe((emg[i - 1]?.firstColumn ?? 0) + (emg[i - 1]?.columns ?? 0));
    }
    expect(acq.getStatus().state).toBe('stopped');
  });

  it('reports a connected device that sends nothing as "no data"', async () => {
    const silent: DeviceDriver = {
      descriptor: { id: 'silent', name: 'Silent', transport: 'builtin', streams: [] },
      connect: async () => undefined,
      start: async () => undefined,
      stop: async () => undefined,
      disconnect: async () => undefined,
    };
    const entry: DeviceEntry = { descriptor: silent.descriptor, create: () => silent };
    let now = 0;
    const hub = new EventHub();
    const states: StreamStatus[] = [];
    hub.on('streamStatus', (s) => states.push(s));
    const acq = new Acquisition(
      (id) => (id === 'silent' ? entry : undefined),
      hub,
      () => now,
    );
    await acq.start('silent');
    now = 2500;
    await sleep(80);
    await acq.stop();
    expect(states.map((s) => s.state)).toEqual(['starting', 'streaming', 'no-data', 'stopped']);
    expect(states[2]?.message).toMatch(/no data for 2 seconds/);
  });

  it('refuses an unknown device by id', async () => {
    const acq = new Acquisition(findBuiltin, new EventHub());
    await expect(acq.start('nope')).rejects.toThrow(/No device with id "nope"/);
  });
});

describe('Acquisition on device loss', () => {
  it('goes reconnecting, then gives up into error with an open-ended gap when the device stays away', async () => {
    let events: DriverEvents = {};
    let reconnectAttempts = 0;
    let connected = false;
    const lost: DeviceDriver = {
      descriptor: { id: 'lost', name: 'Lost', transport: 'serial', streams: [] },
      connect: async () => {
        if (connected) {
          reconnectAttempts++;
          throw new Error('port not found');
        }
        connected = true;
      },
      start: async (_sink, e) => {
        events = e ?? {};
      },
      stop: async () => undefined,
      disconnect: async () => undefined,
    };
    const entry: DeviceEntry = { descriptor: lost.descriptor, create: () => lost };
    let now = 1000;
    const hub = new EventHub();
    const states: StreamStatus[] = [];
    hub.on('streamStatus', (s) => states.push(s));
    const acq = new Acquisition(
      (id) => (id === 'lost' ? entry : undefined),
      hub,
      () => now,
    );
    const gaps: AcquisitionGap[] = [];
    acq.onGap((g) => gaps.push(g));
    await acq.start('lost');
    events.onDisconnected?.(new DeviceDisconnectedError('lost', 'unplugged'));
    expect(acq.currentLoss()).toEqual({ deviceId: 'lost', startMs: 1000, reason: 'unplugged' });
    now += RECONNECT_GIVE_UP_MS + 1;
    while (acq.getStatus().state !== 'error') await sleep(20);
    expect(reconnectAttempts).toBe(1);
    expect(states.map((s) => s.state)).toEqual(['starting', 'streaming', 'reconnecting', 'error']);
    expect(states[2]?.message).toBe('unplugged. Trying to reconnect; the recording keeps what it has.');
    expect(states[3]?.message).toMatch(/^Device lost: unplugged\. It did not come back within 30 s;/);
    expect(gaps).toEqual([
      { deviceId: 'lost', startMs: 1000, endMs: now, reason: 'unplugged', reconnected: false },
    ]);
    expect(acq.currentLoss()).toBeUndefined();
  });
});

describe('Acquisition on a flapping device', () => {
  it('keeps reconnecting when the device drops again while being started, and ends the loss with one gap', async () => {
    const stream: StreamDescriptor = {
      id: 'emg',
      label: 'EMG',
      sampleRateHz: 100,
      channels: [{ id: 'c1', label: 'C1', kind: 'emg', unit: 'uV', rangeMin: -1000, rangeMax: 1000 }],
    };
    let starts = 0;
    const flapping: DeviceDriver = {
      descriptor: { id: 'flap', name: 'Flapping', transport: 'serial', streams: [stream] },
      connect: async () => undefined,
      start: async (sink, e) => {
        starts++;
        if (starts === 2) e?.onDisconnected?.(new DeviceDisconnectedError('flap', 'dropped again'));
        if (starts === 3)
          setTimeout(
            () =>
              sink({
                streamId: 'emg',
                firstSeq: 0,
                data: [new Float32Array(1)],
                timestampsMs: new Float64Array([Date.now()]),
              }),
            10,
          );
        if (starts === 1)
          setTimeout(() => e?.onDisconnected?.(new DeviceDisconnectedError('flap', 'unplugged')), 10);
      },
      stop: async () => undefined,
      disconnect: async () => undefined,
    };
    const entry: DeviceEntry = { descriptor: flapping.descriptor, create: () => flapping };
    const hub = new EventHub();
    const states: StreamStatus[] = [];
    hub.on('streamStatus', (s) => states.push(s));
    const acq = new Acquisition((id) => (id === 'flap' ? entry : undefined), hub);
    const gaps: AcquisitionGap[] = [];
    acq.onGap((g) => gaps.push(g));
    await acq.start('flap');
    while (gaps.length === 0) await sleep(20);
    await acq.stop();
    expect(starts).toBe(3);
    expect(states.map((s) => s.state)).toEqual([
      'starting',
      'streaming',
      'reconnecting',
      'streaming',
      'stopped',
    ]);
    expect(gaps).toEqual([
      expect.objectContaining({ deviceId: 'flap', reason: 'unplugged', reconnected: true }),
    ]);
  });
});

describe('Acquisition replaying a recording', () => {
  it('counts the stretches of the demo fixture live, on the joint-axis gyro the BDF file names', async () => {
    const recording = readRecordingFile(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
    expect(recording.streams.find((s) => s.descriptor.id === 'imu')?.descriptor.jointAxisChannelId).toBe(
      'gyroZ',
    );
    let driver: PlaybackDriver | undefined;
    const entry: DeviceEntry = {
      descriptor: new PlaybackDriver(recording, { speed: 16 }).descriptor,
      create: () => (driver = new PlaybackDriver(recording, { speed: 16 })),
    };
    const hub = new EventHub();
    const counts: number[] = [];
    hub.on('liveIndicators', (s) => counts.push(s.stretchCount));
    const acq = new Acquisition(() => entry, hub);
    await acq.start(entry.descriptor.id);
    await driver?.ended;
    await sleep(100);
    await acq.stop();
    // One slow and one fast stretch, as the offline analysis finds them.
    expect(counts.at(-1)).toBe(2);
  });
});
