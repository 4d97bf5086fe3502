import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createBleDriver, identifyBleDevice } from '../../../src/devices/drivers/ble-devices.node.js';
import type { DeviceDisconnectedError } from '../../../src/devices/driver.js';
import { selectBleBindings } from '../../../src/devices/transports/ble-bindings.js';
import type { NobleLike } from '../../../src/devices/transports/ble.node.js';
import { BleCentral } from '../../../src/devices/transports/ble.node.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import type { DeviceMessage } from '../../../src/devices/codecs/codec.js';
import {
  EmulatedBindings,
  EmulatedGanglion,
  EmulatedMetawear,
  EmulatedMyo,
  EmulatedMyoware,
} from '../../emulators/ble-bindings-emulator.js';

const require = createRequire(import.meta.url);
/** noble's real core; the emulated bindings stand in for the OS Bluetooth stack. */
const Noble = require('@stoprocent/noble/lib/noble.js') as new (bindings: unknown) => NobleLike;

const until = async (cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const count = (blocks: SampleBlock[], stream: string): number =>
  blocks.filter((b) => b.streamId === stream).reduce((n, b) => n + b.timestampsMs.length, 0);

const GANGLION_ID = 'c0ffee000001';
const GANGLION2_ID = 'c0ffee000002';
const MYO_ID = 'd0d0d0000003';

function setup(state: string | string[] = 'poweredOn'): { bindings: EmulatedBindings; central: BleCentral } {
  const bindings = new EmulatedBindings(
    [new EmulatedGanglion(GANGLION_ID, 3), new EmulatedGanglion(GANGLION2_ID, 2), new EmulatedMyo(MYO_ID)],
    state,
  );
  return { bindings, central: new BleCentral(new Noble(bindings)) };
}

describe('BLE end to end through noble core and emulated bindings', () => {
  it('scans with names and RSSI and recognises the devices', async () => {
    const { central } = setup();
    const found = await central.scan({ timeoutMs: 100 });
    expect(found.map((f) => [f.id, f.name, f.rssi])).toEqual([
      [GANGLION_ID, 'Ganglion-1a2b', -60],
      [GANGLION2_ID, 'Ganglion-1a2b', -60],
      [MYO_ID, 'Myo', -60],
    ]);
    expect(found.map((f) => identifyBleDevice(f.name, f.serviceUuids))).toEqual([
      'ganglion',
      'ganglion',
      'myo',
    ]);
  });

  it('reports a powered-off adapter as a state, and scanning yields nothing', async () => {
    const { central } = setup('poweredOff');
    expect(await central.waitForState()).toBe('poweredOff');
    expect(central.stateMessage).toMatch(/turned off/);
    expect(await central.scan({ timeoutMs: 50 })).toEqual([]);
    const driver = createBleDriver(central, GANGLION_ID, 'ganglion');
    await expect(driver.connect()).rejects.toThrow(/turned off/);
  });

  it('keeps reporting unsupported when the HCI bindings flap unsupported → poweredOff → unsupported', async () => {
    const { central } = setup(['unsupported', 'poweredOff', 'unsupported']);
    expect(await central.waitForState()).toBe('unsupported');
    await new Promise((r) => setTimeout(r, 20));
    expect(central.state).toBe('unsupported');
    expect(central.stateMessage).toMatch(/no usable Bluetooth LE adapter/);
  });

  it('streams a firmware-3 Ganglion: detects firmware, writes n and b without response, then s', async () => {
    const { bindings, central } = setup();
    const device = bindings.peripherals[0] as EmulatedGanglion;
    const driver = createBleDriver(central, GANGLION_ID, 'ganglion');
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => count(blocks, 'exg') >= 100 && count(blocks, 'accel') >= 2, 'Ganglion samples');
    await driver.stop();
    expect(device.writes).toEqual(
      ['n', 'b', 's'].map((c) => ({
        characteristic: '2d30c083f39f4ce6923f3484ea480596',
        bytes: [c.charCodeAt(0)],
        withoutResponse: true,
      })),
    );
    const exg = blocks.filter((b) => b.streamId === 'exg');
    const first = exg[0];
    // Sample 1 of channel 1 is 2·round(20000·sin(2π/200)) counts, shifted through the 18-bit field and back.
    expect(Math.round((first?.data[0]?.[1] ?? 0) / 0.00186995)).toBeCloseTo(
      2 * Math.round(20000 * Math.sin((2 * Math.PI) / 200)) * 64,
      -2,
    );
    expect(driver.stats().codec).toMatchObject({ droppedSamples: 0, malformed: 0 });
    await driver.disconnect();
  });

  it('reconstructs a firmware-2 Ganglion stream (seed + deltas) without drops', async () => {
    const { central } = setup();
    const driver = createBleDriver(central, GANGLION2_ID, 'ganglion');
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => count(blocks, 'exg') >= 250, 'Ganglion fw2 samples across a seed');
    await driver.disconnect();
    const ch0 = blocks.filter((b) => b.streamId === 'exg').flatMap((b) => Array.from(b.data[0] ?? []));
    const expected = (n: number): number =>
      2 * Math.round(20000 * Math.sin((2 * Math.PI * n) / 200)) * 0.00186995;
    // Deltas lose their LSB to the sign bit (firmware 2's encoder), so allow a few counts of drift per cycle.
    ch0.slice(0, 201).forEach((v, n) => expect(Math.abs(v - expected(n))).toBeLessThan(0.5));
    expect(driver.stats().codec.droppedSamples).toBe(0);
  });

  it('streams a Myo: set_mode raw + never-sleep, 4 EMG characteristics and IMU, battery, then stop', async () => {
    const { bindings, central } = setup();
    const device = bindings.peripherals[2] as EmulatedMyo;
    const driver = createBleDriver(central, MYO_ID, 'myo');
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => count(blocks, 'emg') >= 80 && count(blocks, 'imu') >= 10, 'Myo samples');
    await driver.stop();
    expect(device.writes.map((w) => [w.characteristic.slice(4, 8), w.bytes, w.withoutResponse])).toEqual([
      ['0401', [1, 3, 3, 1, 0], false],
      ['0401', [9, 1, 1], false],
      ['0401', [1, 3, 0, 0, 0], false],
      ['0401', [9, 1, 0], false],
    ]);
    const emg = blocks.filter((b) => b.streamId === 'emg').flatMap((b) => Array.from(b.data[0] ?? []));
    expect(emg.slice(0, 4)).toEqual([0, 8, 16, 24].map((v) => (v > 127 ? v - 256 : v)));
    const imu = blocks.find((b) => b.streamId === 'imu');
    expect(imu?.data[0]?.[0]).toBe(1);
    expect(imu?.data[6]?.[0]).toBe(1);
    expect(driver.stats().batteryPercent).toBe(87);
    await driver.disconnect();
  });

  it('turns a link loss into a disconnect event and reconnects', async () => {
    const { bindings, central } = setup();
    const driver = createBleDriver(central, MYO_ID, 'myo');
    await driver.connect();
    const blocks: SampleBlock[] = [];
    const lost: DeviceDisconnectedError[] = [];
    await driver.start((b) => blocks.push(b), { onDisconnected: (e) => lost.push(e) });
    await until(() => count(blocks, 'emg') >= 20, 'first samples');
    bindings.linkLoss(MYO_ID);
    await until(() => lost.length === 1, 'the disconnect event');
    expect(lost[0]?.message).toMatch(/disconnected \(connection timeout\)/);
    await driver.connect();
    const after: SampleBlock[] = [];
    await driver.start((b) => after.push(b));
    await until(() => count(after, 'emg') >= 20, 'samples after reconnection');
    expect(after[0]?.firstSeq).toBe(0);
    await driver.disconnect();
  });
});

describe('BLE return of a lost peripheral (noble core, emulated bindings)', () => {
  it('waits for the advertisement while the device is away, then reconnects as soon as it is seen', async () => {
    const { bindings, central } = setup();
    const driver = createBleDriver(central, MYO_ID, 'myo');
    await driver.connect();
    const lost: DeviceDisconnectedError[] = [];
    await driver.start(() => undefined, { onDisconnected: (e) => lost.push(e) });
    bindings.goAway(MYO_ID);
    await until(() => lost.length === 1, 'the disconnect event');
    await expect(driver.connect()).rejects.toThrow(/out of range/);
    const watch = new AbortController();

    const back = driver.waitUntilPresent?.(watch.signal).then(() => Date.now());
    if (!back) throw new Error('a BLE driver must watch for its device');
    let isBack = false;
    void back.then(() => (isBack = true));
    // Away: no advertisement, so the watch stays pending through several advertising intervals of the emulator.
    await new Promise((r) => setTimeout(r, 200));
    expect(isBack).toBe(false);
    const returnedAtMs = Date.now();
    bindings.comeBack(MYO_ID);
    const seenAtMs = await back;
    await driver.connect();
    const after: SampleBlock[] = [];
    await driver.start((b) => after.push(b));
    await until(() => count(after, 'emg') > 0, 'samples after the return');
    console.log(
      `BLE: advertisement seen ${seenAtMs - returnedAtMs} ms, streaming ${Date.now() - returnedAtMs} ms after the device returned`,
    );
    await driver.disconnect();
  });

  it('stops waiting when cancelled', async () => {
    const { bindings, central } = setup();
    const driver = createBleDriver(central, MYO_ID, 'myo');
    await driver.connect();
    await driver.start(() => undefined);
    bindings.goAway(MYO_ID);
    const watch = new AbortController();
    const waiting = driver.waitUntilPresent?.(watch.signal);
    watch.abort();
    await expect(waiting).rejects.toThrow(/cancelled/);
    await driver.disconnect();
  });
});

describe('BLE end to end: impedance, MetaWear, MyoWare', () => {
  it('runs a Ganglion impedance check with z / Z and reports ohms per channel and reference', async () => {
    const { bindings, central } = setup();
    const device = bindings.peripherals[0] as EmulatedGanglion;
    const driver = createBleDriver(central, GANGLION_ID, 'ganglion', { ganglion: { isImpedanceMode: true } });
    await driver.connect();
    const messages: DeviceMessage[] = [];
    await driver.start(() => undefined, { onMessage: (m) => messages.push(m) });
    await until(() => messages.length >= 5, 'five impedance values');
    await driver.disconnect();
    expect(messages.slice(0, 5)).toEqual([
      { kind: 'impedance', channel: 1, ohms: 1000 },
      { kind: 'impedance', channel: 2, ohms: 1007 },
      { kind: 'impedance', channel: 3, ohms: 1014 },
      { kind: 'impedance', channel: 4, ohms: 1021 },
      { kind: 'impedance', channel: 'ref', ohms: 1028 },
    ]);
    expect(device.writes.map((w) => String.fromCharCode(...w.bytes))).toEqual(['z', 'Z']);
  });

  it('configures and streams a MetaWear accelerometer with the spec bytes', async () => {
    const bindings = new EmulatedBindings([new EmulatedMetawear('ee0000000004')]);
    const central = new BleCentral(new Noble(bindings));
    const driver = createBleDriver(central, 'ee0000000004', 'metawear', {
      metawear: { rangeG: 4, sampleRateHz: 100 },
    });
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => count(blocks, 'accel') >= 20, 'MetaWear samples');
    await driver.disconnect();
    const device = bindings.peripherals[0] as EmulatedMetawear;
    expect(device.writes.map((w) => w.bytes)).toEqual([
      [0x03, 0x03, 0x28, 0x05],
      [0x03, 0x04, 0x01],
      [0x03, 0x02, 0x01, 0x00],
      [0x03, 0x01, 0x01],
      [0x03, 0x01, 0x00],
      [0x03, 0x02, 0x00, 0x01],
      [0x03, 0x04, 0x00],
    ]);
    expect(blocks[0]?.data.map((ch) => ch[0])).toEqual([0, 0, 1]);
  });

  it('reads MyoWare text notifications as mV samples', async () => {
    const bindings = new EmulatedBindings([new EmulatedMyoware('ab0000000005')]);
    const central = new BleCentral(new Noble(bindings));
    const [ad] = await central.scan({ timeoutMs: 50 });
    expect(identifyBleDevice(ad?.name, ad?.serviceUuids ?? [])).toBe('myoware');
    const driver = createBleDriver(central, 'ab0000000005', 'myoware');
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => count(blocks, 'emg') >= 10, 'MyoWare samples');
    await driver.disconnect();
    expect(driver.stats().codec.malformed).toBe(0);
    const v = blocks.flatMap((b) => Array.from(b.data[0] ?? []));
    expect(v.every((x) => x >= 0 && x <= 0.33)).toBe(true);
  });
});

describe('BLE bindings selection', () => {
  const base = { env: {}, hasDbusNext: true, hasSystemBus: true };
  it('uses BlueZ D-Bus on Linux when available (no root) and HCI otherwise', () => {
    expect(selectBleBindings({ ...base, platform: 'linux' }).kind).toBe('dbus');
    expect(selectBleBindings({ ...base, platform: 'linux', hasSystemBus: false }).kind).toBe('hci');
    expect(selectBleBindings({ ...base, platform: 'linux', hasDbusNext: false }).reason).toMatch(/dbus-next/);
  });
  it('uses native bindings on macOS and Windows, honours overrides, and refuses dbus without dbus-next', () => {
    expect(selectBleBindings({ ...base, platform: 'darwin' }).kind).toBe('mac');
    expect(selectBleBindings({ ...base, platform: 'win32' }).kind).toBe('win');
    expect(selectBleBindings({ ...base, platform: 'linux', env: { TONUS_BLE_BINDINGS: 'hci' } }).kind).toBe(
      'hci',
    );
    expect(
      selectBleBindings({ ...base, platform: 'linux', hasDbusNext: false, env: { NOBLE_BINDINGS: 'dbus' } })
        .kind,
    ).toBe('none');
    expect(selectBleBindings({ ...base, platform: 'aix' }).kind).toBe('none');
  });

  it('on this machine, loading the real bindings yields a clear adapter state, not a crash', async () => {
    const central = new BleCentral();
    const state = await central.waitForState(3000);
    expect(['unsupported', 'unauthorized', 'poweredOff', 'poweredOn', 'unavailable']).toContain(state);
    expect(central.stateMessage.length).toBeGreaterThan(10);
  });
});
