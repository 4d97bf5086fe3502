import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeviceResolver } from '../../../src/app/device-resolver.js';
import { packageRoot } from '../../../src/app/paths.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import { BleCentral } from '../../../src/devices/transports/ble.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { storeRecording } from '../../../src/storage/session-recording.node.js';

const db = openDatabase(':memory:');
const resolveDevice = createDeviceResolver(() => new BleCentral(), db);
const fixture = join(packageRoot(), 'fixtures', 'demo-pendulum.bdf');

describe('device resolver', () => {
  it('finds the builtin demo device by id', () => {
    expect(resolveDevice('synthetic')?.descriptor.name).toMatch(/Demo device/);
  });

  it('plays a recording file as a device named by the requested id, with the file own streams and times', async () => {
    const id = `replay:${fixture}?speed=max`;
    const entry = resolveDevice(id);
    expect(entry?.descriptor.id).toBe(id);
    expect(entry?.descriptor.streams.map((s) => s.id)).toContain('emg');
    const driver = entry?.create();
    const blocks: SampleBlock[] = [];
    await driver?.connect();
    await driver?.start((b) => blocks.push(b));
    await expect.poll(() => blocks.length, { timeout: 5000 }).toBeGreaterThan(10);
    await driver?.stop();
    expect(driver?.descriptor.id).toBe(id);
    expect(driver?.descriptor.name).toBe(`Replay of ${basename(fixture)} at full speed`);
    expect(blocks[0]?.firstSeq).toBe(0);
  });

  it('plays a stored session back under session:ID', () => {
    const id = storeRecording(db, readRecordingFile(fixture), {
      patientId: null,
      protocol: 'pendulum',
      origin: 'import',
    });
    const entry = resolveDevice(`session:${id}?speed=8`);
    expect(entry?.descriptor.id).toBe(`session:${id}?speed=8`);
    expect(entry?.create().descriptor.name).toBe(`Replay of session ${id} at 8×`);
    expect(entry?.descriptor.streams.map((s) => s.id)).toEqual(
      readRecordingFile(fixture).streams.map((s) => s.descriptor.id),
    );
    expect(() => resolveDevice('session:999')).toThrow(/999/);
  });

  it('refuses a replay speed out of range and a file it cannot read, naming them', () => {
    expect(() => resolveDevice(`replay:${fixture}?speed=100`)).toThrow(/0.25 to 64/);
    expect(() => resolveDevice('replay:/nonexistent/x.bdf')).toThrow(/x\.bdf/);
  });

  it('describes serial and BLE devices from the device-kind table without opening them', () => {
    expect(resolveDevice('serial:/dev/ttyUSB9')?.descriptor).toMatchObject({
      name: 'OpenBCI Cyton (/dev/ttyUSB9)',
      transport: 'serial',
    });
    expect(resolveDevice('ble:c0ffee?kind=ganglion')?.descriptor.transport).toBe('ble');
    expect(() => resolveDevice('ble:c0ffee')).toThrow(/\?kind=ganglion\|myo/);
    expect(resolveDevice('usb:thing')).toBeUndefined();
  });
});
