import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Acquisition } from '../../src/app/acquisition.js';
import { EventHub } from '../../src/app/event-hub.js';
import type { DeviceDriver } from '../../src/devices/driver.js';
import { createCytonDriver } from '../../src/devices/drivers/serial-devices.node.js';
import { SerialDeviceEmulator } from '../emulators/serial-device-emulator.js';
import { SocatPair } from '../emulators/socat-pair.js';
import type { Bench, BenchResult } from './harness.js';

/** How long the Cyton stays unplugged in each round (3.7 s as in issue 12, and either side of it). */
const UNPLUGGED_MS = [1200, 2600, 3700, 4600] as const;

/** The same driver without its watch for the port, so the acquisition falls back to the fixed waits. */
function withoutWatch(driver: DeviceDriver): DeviceDriver {
  return {
    get descriptor() {
      return driver.descriptor;
    },
    connect: (signal) => driver.connect(signal),
    start: (sink, events) => driver.start(sink, events),
    stop: () => driver.stop(),
    disconnect: () => driver.disconnect(),
  };
}

/** Milliseconds from the device's return (pty and emulator up again) to the first block, per round. */
async function returnDelaysMs(watch: boolean): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), 'tonus-bench-reconnect-'));
  const pair = new SocatPair(join(root, 'host'), join(root, 'device'));
  let emulator: SerialDeviceEmulator | undefined;
  const plugIn = async (): Promise<void> => {
    await pair.start();
    emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
  };
  const acquisition = new Acquisition((id) => {
    const driver = createCytonDriver(pair.hostPath);
    return id === driver.descriptor.id
      ? { descriptor: driver.descriptor, create: () => (watch ? driver : withoutWatch(driver)) }
      : undefined;
  }, new EventHub());
  let lastBlockAtMs = 0;
  acquisition.onBlock(() => (lastBlockAtMs = Date.now()));
  const delays: number[] = [];
  try {
    await plugIn();
    await acquisition.start(`serial:${pair.hostPath}`);
    for (const unpluggedMs of UNPLUGGED_MS) {
      await pair.kill();
      await emulator?.close();
      await new Promise((r) => setTimeout(r, unpluggedMs));
      await plugIn();
      const returnedAtMs = Date.now();
      while (lastBlockAtMs < returnedAtMs) {
        if (Date.now() - returnedAtMs > 30_000) throw new Error('the Cyton did not come back');
        await new Promise((r) => setTimeout(r, 5));
      }
      delays.push(lastBlockAtMs - returnedAtMs);
    }
  } finally {
    await acquisition.stop().catch(() => undefined);
    await emulator?.close();
    await pair.kill();
    rmSync(root, { recursive: true, force: true });
  }
  return delays;
}

/**
 * Reconnection after a Cyton is unplugged for 1.2 to 4.6 s on a real pty: from its return to the first block, with
 * the port watch against the fixed waits of `RECONNECT_DELAYS_MS` (same run, same device).
 */
export const bench: Bench = {
  name: 'Reconnection delay after a serial device returns',
  async run(): Promise<BenchResult[]> {
    const watched = await returnDelaysMs(true);
    const fixed = await returnDelaysMs(false);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      {
        name: `Cyton on a pty, unplugged ${UNPLUGGED_MS.map((ms) => ms / 1000).join(', ')} s`,
        throughput: 1000 / mean(watched),
        unit: ' returns/s',
        baselineName: 'fixed waits',
        baselineThroughput: 1000 / mean(fixed),
        note: `return → first block: watched ${watched.join(', ')} ms (max ${Math.max(...watched)}); fixed waits ${fixed.join(', ')} ms`,
      },
    ];
  },
};
