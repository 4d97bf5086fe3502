import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceDisconnectedError } from '../../../src/devices/driver.js';
import {
  createBitalinoDriver,
  createCytonDriver,
  createLineDriver,
  loadLineProfile,
} from '../../../src/devices/drivers/serial-devices.node.js';
import { listSerialPorts } from '../../../src/devices/transports/serial.node.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import { SerialDeviceEmulator } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';

const until = async (cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const samples = (blocks: SampleBlock[], stream: string): number =>
  blocks.filter((b) => b.streamId === stream).reduce((n, b) => n + b.timestampsMs.length, 0);

// A real pty pair made by socat, with the device emulator on the other end (npm test installs socat).
describe('serial end to end over a socat pty pair', () => {
  let dir: string;
  let pair: SocatPair;
  let emulator: SerialDeviceEmulator | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-serial-'));
    pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
  });

  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    await pair.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists serial ports without throwing', async () => {
    expect(Array.isArray(await listSerialPorts())).toBe(true);
  });

  it('streams a Cyton: v / d handshake, b to start, s to stop, fitted timestamps', async () => {
    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    const driver = createCytonDriver(pair.hostPath);
    await driver.connect();
    expect(driver.info.firmware).toBe('v3.1.1');
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => samples(blocks, 'exg') >= 250, '250 Cyton samples');
    await driver.stop();
    await until(() => !emulator?.isStreaming, 'the emulator to stop');
    expect(String.fromCharCode(...emulator.received)).toBe('vdbs');
    const exg = blocks.filter((b) => b.streamId === 'exg');
    const seqs = exg.flatMap((b) => Array.from(b.timestampsMs, (_, i) => b.firstSeq + i));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const times = exg.flatMap((b) => Array.from(b.timestampsMs));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] ?? 0);
    expect(samples(blocks, 'accel')).toBeGreaterThan(0);
    expect(driver.stats().codec).toMatchObject({ droppedSamples: 0, garbageBytes: 0 });
    await driver.disconnect();
  });

  it('streams a BITalino: version, rate, start mask, stop', async () => {
    await pair.start();
    emulator = new SerialDeviceEmulator('bitalino', pair.devicePath);
    await emulator.open();
    const driver = createBitalinoDriver(pair.hostPath, {
      channels: [
        { input: 1, kind: 'emg' },
        { input: 2, kind: 'raw' },
      ],
      sampleRateHz: 1000,
      commandGapMs: 10,
    });
    await driver.connect();
    expect(driver.info).toEqual({ version: 'BITalino_v5.1', isRevolution: true });
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await until(() => samples(blocks, 'analog') >= 500, '500 BITalino samples');
    await driver.stop();
    await until(() => !emulator?.isStreaming, 'the emulator to stop');
    expect(emulator.received).toEqual([0x07, 0xc3, 0x0d, 0x00]);
    expect(driver.stats().codec).toMatchObject({ droppedSamples: 0, garbageBytes: 0, resyncs: 0 });
    await driver.disconnect();
  });

  it('streams an Arduino-style CSV device described by a JSON profile file', async () => {
    await pair.start();
    emulator = new SerialDeviceEmulator('line', pair.devicePath);
    const profileFile = join(dir, 'arduino-myoware.json');
    writeFileSync(
      profileFile,
      JSON.stringify({
        name: 'Arduino + MyoWare',
        sampleRateHz: 200,
        counterField: 0,
        counterModulus: 256,
        channels: [
          {
            field: 1,
            id: 'env',
            label: 'Envelope',
            kind: 'emg',
            unit: 'counts',
            rangeMin: 0,
            rangeMax: 1023,
          },
          { field: 2, id: 'raw', label: 'Raw', kind: 'emg', unit: 'counts', rangeMin: 0, rangeMax: 1023 },
        ],
      }),
    );
    const driver = createLineDriver(pair.hostPath, await loadLineProfile(profileFile));
    await driver.connect();
    const blocks: SampleBlock[] = [];
    await driver.start((b) => blocks.push(b));
    await emulator.open();
    await until(() => samples(blocks, 'emg') >= 300, '300 lines');
    await driver.disconnect();
    const env = blocks.flatMap((b) => Array.from(b.data[0] ?? []));
    const seqs = blocks.flatMap((b) => Array.from(b.timestampsMs, (_, i) => b.firstSeq + i));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    for (let i = 1; i < env.length; i++) expect(env[i]).toBe(((env[i - 1] ?? 0) + 1) % 50);
    expect(driver.stats().codec).toMatchObject({ droppedSamples: 0, malformed: 0 });
  });

  it('turns unplugging (killing socat) into a disconnect, and reconnects when it comes back', async () => {
    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    const driver = createCytonDriver(pair.hostPath);
    await driver.connect();
    const blocks: SampleBlock[] = [];
    const disconnects: DeviceDisconnectedError[] = [];
    await driver.start((b) => blocks.push(b), { onDisconnected: (e) => disconnects.push(e) });
    await until(() => samples(blocks, 'exg') >= 50, 'first samples');
    await emulator.close();
    await pair.kill();
    await until(() => disconnects.length === 1, 'the disconnect event');
    expect(disconnects[0]).toMatchObject({
      name: 'DeviceDisconnectedError',
      deviceId: `serial:${pair.hostPath}`,
    });
    await expect(driver.connect()).rejects.toThrow(/Cannot open serial port/);

    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    await driver.connect();
    const after: SampleBlock[] = [];
    await driver.start((b) => after.push(b));
    await until(() => samples(after, 'exg') >= 50, 'samples after reconnection');
    expect(after[0]?.firstSeq).toBe(0);
    await driver.disconnect();
    expect(disconnects).toHaveLength(1);
  });

  it('rejects with CanceledError when connect is aborted, and explains a silent board', async () => {
    await pair.start();
    const driver = createCytonDriver(pair.hostPath, { replyTimeoutMs: 300 });
    const ac = new AbortController();
    ac.abort();
    await expect(driver.connect(ac.signal)).rejects.toMatchObject({ name: 'CanceledError' });
    await expect(driver.connect()).rejects.toThrow(/board not ready, no \$\$\$ after "v"/);
  });
});
