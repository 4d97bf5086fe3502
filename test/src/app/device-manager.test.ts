import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataGap, DeviceStatusSnapshot } from '../../../src/app/device-manager.js';
import { Acquisition } from '../../../src/app/acquisition.js';
import { DeviceManager } from '../../../src/app/device-manager.js';
import { EventHub } from '../../../src/app/event-hub.js';
import { builtinDevices } from '../../../src/devices/registry.js';
import { realDeviceManagerDeps } from '../../../src/app/device-manager-deps.js';
import { parseDeviceSpec } from '../../../src/devices/descriptors.js';
import type { NobleLike } from '../../../src/devices/transports/ble.node.js';
import { BleCentral } from '../../../src/devices/transports/ble.node.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import { EmulatedBindings, EmulatedGanglion, EmulatedMyo } from '../../emulators/ble-bindings-emulator.js';
import { SerialDeviceEmulator } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';

const require = createRequire(import.meta.url);
const Noble = require('@stoprocent/noble/lib/noble.js') as new (bindings: unknown) => NobleLike;

const until = async (cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function harness(): {
  manager: DeviceManager;
  statuses: DeviceStatusSnapshot[];
  gaps: DataGap[];
  blocks: Map<string, SampleBlock[]>;
  bindings: EmulatedBindings;
} {
  const bindings = new EmulatedBindings([
    new EmulatedGanglion('c0ffee000001', 3),
    new EmulatedMyo('d0d0d0000003'),
  ]);
  const statuses: DeviceStatusSnapshot[] = [];
  const gaps: DataGap[] = [];
  const blocks = new Map<string, SampleBlock[]>();
  const manager = new DeviceManager(realDeviceManagerDeps(new BleCentral(new Noble(bindings))), {
    onStatus: (s) => statuses.push(s),
    onGap: (g) => gaps.push(g),
    onBlock: (id, b) => {
      const list = blocks.get(id) ?? [];
      list.push(b);
      blocks.set(id, list);
    },
  });
  return { manager, statuses, gaps, blocks, bindings };
}

const lastState = (statuses: DeviceStatusSnapshot[], id: string): string | undefined =>
  statuses.filter((s) => s.deviceId === id).at(-1)?.state;
/** Whether the device was ever in `state`: a device that returns at once leaves a state within milliseconds. */
const wasInState = (statuses: DeviceStatusSnapshot[], id: string, state: string): boolean =>
  statuses.some((s) => s.deviceId === id && s.state === state);

describe('device specs', () => {
  it('parses serial, BLE and builtin specs with parameters, and explains bad ones', () => {
    expect(parseDeviceSpec('serial:/dev/ttyUSB0')).toMatchObject({
      transport: 'serial',
      address: '/dev/ttyUSB0',
      id: 'serial:/dev/ttyUSB0',
    });
    expect(parseDeviceSpec('ble:C0:FF:EE:00:00:01?kind=ganglion')).toMatchObject({
      id: 'ble:c0ffee000001',
      kind: 'ganglion',
    });
    expect(parseDeviceSpec('serial:/dev/ttyUSB1?kind=bitalino&channels=1,3&rate=100').params).toEqual({
      kind: 'bitalino',
      channels: '1,3',
      rate: '100',
    });
    expect(parseDeviceSpec('synthetic')).toMatchObject({ transport: 'builtin', id: 'synthetic' });
    expect(() => parseDeviceSpec('serial:/x?kind=toaster')).toThrow(/unknown kind "toaster"/);
    expect(() => parseDeviceSpec('ble:xyz')).toThrow(/BLE id is hex/);
    expect(() => parseDeviceSpec('ble:c0ffee?kind=cyton')).toThrow(/reached over serial/);
  });
});

describe('DeviceManager', () => {
  let manager: DeviceManager | undefined;
  let pair: SocatPair | undefined;
  let emulator: SerialDeviceEmulator | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await manager?.close();
    await emulator?.close();
    await pair?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
    manager = undefined;
    emulator = undefined;
    pair = undefined;
    dir = undefined;
  });

  it('discovers builtin, serial and BLE devices (with kind and RSSI) and streams two at once on one time axis', async () => {
    const h = harness();
    manager = h.manager;
    const found = await manager.scan(150);
    expect(found.ble.state).toBe('poweredOn');
    expect(found.devices.find((d) => d.id === 'synthetic')?.transport).toBe('builtin');
    expect(found.devices.filter((d) => d.transport === 'ble').map((d) => [d.spec, d.rssi])).toEqual([
      ['ble:c0ffee000001?kind=ganglion', -60],
      ['ble:d0d0d0000003?kind=myo', -60],
    ]);
    const before = Date.now();
    await manager.connect('ble:d0d0d0000003');
    await manager.connect('synthetic');
    await until(
      () =>
        (h.blocks.get('ble:d0d0d0000003')?.length ?? 0) > 10 && (h.blocks.get('synthetic')?.length ?? 0) > 10,
      'both devices streaming',
    );
    const after = Date.now();
    for (const id of ['ble:d0d0d0000003', 'synthetic']) {
      const t = h.blocks.get(id)?.at(-1)?.timestampsMs.at(-1) ?? 0;
      expect(t).toBeGreaterThan(before - 1000);
      expect(t).toBeLessThan(after + 1000);
    }
    const myo = manager.statuses().find((s) => s.deviceId === 'ble:d0d0d0000003');
    expect(myo).toMatchObject({ state: 'streaming', batteryPercent: 87, droppedSamples: 0 });
    expect(myo?.streams.map((s) => [s.streamId, s.nominalRateHz])).toEqual([
      ['emg', 200],
      ['imu', 50],
    ]);
  });

  it('reconnects a BLE device after a link loss and reports the gap', async () => {
    const h = harness();
    manager = h.manager;
    await manager.scan(100);
    await manager.connect('ble:d0d0d0000003');
    await until(() => (h.blocks.get('ble:d0d0d0000003')?.length ?? 0) > 5, 'data');
    h.bindings.linkLoss('d0d0d0000003');
    await until(() => wasInState(h.statuses, 'ble:d0d0d0000003', 'reconnecting'), 'reconnecting');
    await until(() => h.gaps.length === 1, 'the gap event');
    expect(h.gaps[0]?.endMs).toBeGreaterThan(h.gaps[0]?.startMs ?? Infinity);
    expect(h.gaps[0]?.reason).toMatch(/disconnected/);
    expect(manager.statuses()[0]).toMatchObject({ state: 'streaming', reconnects: 1 });
  });

  it('refuses an unknown BLE kind with a message that says what to do', async () => {
    const h = harness();
    manager = h.manager;
    await expect(manager.connect('ble:abcdef')).rejects.toThrow(/add \?kind=/);
  });

  // Needs socat for a real pty pair.
  it('serial: shows no-data when a connected device goes silent, and reconnects after unplug/replug with a gap', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-mgr-'));
    pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    const h = harness();
    manager = h.manager;
    const id = `serial:${pair.hostPath}`;
    await manager.connect(id);
    await until(() => (h.blocks.get(id)?.length ?? 0) > 5, 'Cyton data');
    emulator.pause();
    await until(() => lastState(h.statuses, id) === 'no-data', 'the watchdog');
    emulator.resume();
    await until(() => lastState(h.statuses, id) === 'streaming', 'data again');

    await emulator.close();
    await pair.kill();
    await until(() => lastState(h.statuses, id) === 'reconnecting', 'reconnecting');
    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    await until(() => h.gaps.length === 1, 'the gap after replug');
    expect(h.gaps[0]).toMatchObject({ deviceId: id });
    expect(manager.statuses()[0]).toMatchObject({ state: 'streaming', reconnects: 1 });
  });
});

describe('single-device acquisition on a discovered device (the switch-over path)', () => {
  // Needs socat for a real pty pair.
  it('starts a serial device found by discovery through Acquisition, by its id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-acq-'));
    const pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
    await pair.start();
    const emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    const deps = realDeviceManagerDeps(new BleCentral(new Noble(new EmulatedBindings([]))));
    const manager = new DeviceManager({
      ...deps,
      discover: async () => ({
        devices: [
          {
            spec: `serial:${pair.hostPath}?kind=cyton`,
            id: `serial:${pair.hostPath}`,
            name: 'Cyton',
            transport: 'serial',
          },
        ],
        ble: { state: 'poweredOn', message: '' },
      }),
    });
    await manager.scan(10);
    const hub = new EventHub();
    const acquisition = new Acquisition(
      (id) => [...builtinDevices, ...manager.discoveredEntries()].find((d) => d.descriptor.id === id),
      hub,
    );
    const blocks: SampleBlock[] = [];
    acquisition.onBlock((b) => blocks.push(b));
    try {
      const status = await acquisition.start(`serial:${pair.hostPath}`);
      expect(status.state).toBe('streaming');
      await until(
        () => blocks.filter((b) => b.streamId === 'exg').length > 5,
        'Cyton blocks through acquisition',
      );
      await acquisition.stop();
      await until(() => emulator.received.length === 4, 'the stop command');
    } finally {
      await acquisition.stop();
      await emulator.close();
      await pair.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(String.fromCharCode(...emulator.received)).toBe('vdbs');
  });
});
