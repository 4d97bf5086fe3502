import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import type { NobleLike } from '../../../src/devices/transports/ble.node.js';
import { BleCentral } from '../../../src/devices/transports/ble.node.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import {
  EmulatedBindings,
  EmulatedGanglion,
  EmulatedMetawear,
  EmulatedMyo,
  EmulatedMyoware,
  EmulatedMyowareUart,
  type EmulatedPeripheral,
} from '../../emulators/ble-bindings-emulator.js';
import { callApi } from '../../support/app-under-test.js';

const require = createRequire(import.meta.url);
/** noble's real core; the emulated bindings stand in for the OS Bluetooth stack. */
const Noble = require('@stoprocent/noble/lib/noble.js') as new (bindings: unknown) => NobleLike;

let app: TonusApp | undefined;
let root: string | undefined;

afterEach(async () => {
  try {
    await app?.close();
  } finally {
    if (root) rmSync(root, { recursive: true, force: true });
    app = undefined;
    root = undefined;
  }
});

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);

async function until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ID = 'c0ffee00000a';

const kinds: { kind: string; make: () => EmulatedPeripheral; streams: string[] }[] = [
  { kind: 'ganglion', make: () => new EmulatedGanglion(ID, 3), streams: ['exg', 'accel'] },
  { kind: 'ganglion', make: () => new EmulatedGanglion(ID, 2), streams: ['exg'] },
  { kind: 'myo', make: () => new EmulatedMyo(ID), streams: ['emg', 'imu'] },
  { kind: 'myoware', make: () => new EmulatedMyoware(ID), streams: ['emg'] },
  { kind: 'myoware-uart', make: () => new EmulatedMyowareUart(ID), streams: ['emg'] },
  { kind: 'metawear', make: () => new EmulatedMetawear(ID), streams: ['accel'] },
];

describe('a recording stores what the connected BLE device sends (noble core, emulated bindings, real SQLite)', () => {
  it.each(kinds)('$kind: every decoded sample of every stream is stored', async ({ kind, make, streams }) => {
    root = mkdtempSync(join(tmpdir(), 'tonus-ble-rec-'));
    const device = make();
    const central = new BleCentral(new Noble(new EmulatedBindings([device])));
    app = createTonusApp({ dataDir: join(root, 'data'), central });
    const delivered = new Map<string, number>();
    app.acquisition.onBlock((b: SampleBlock) =>
      delivered.set(b.streamId, (delivered.get(b.streamId) ?? 0) + b.timestampsMs.length),
    );
    const patient = await call<Patient>('createPatient', { code: 'P-BLE' });
    const started = await call<Session>('startRecording', {
      patientId: patient.id,
      protocol: 'rest',
      deviceId: `ble:${ID}?kind=${kind}`,
    });
    await until(
      () => streams.every((s) => (delivered.get(s) ?? 0) >= 40),
      `samples of ${streams.join(', ')}`,
    );
    device.stopStreaming();
    // Notifications already queued in the emulated stack still arrive; wait until nothing more comes.
    let last = -1;
    const total = (): number => [...delivered.values()].reduce((a, b) => a + b, 0);
    await until(() => {
      const t = total();
      const settled = t === last;
      last = t;
      return settled;
    }, 'the last notifications');
    await call<Session>('stopRecording', {});
    const detail = await call<SessionDetail>('getSession', { sessionId: started.id });
    const connected = app.acquisition.getStatus();
    expect(detail.streams.map((s) => s.id).sort()).toEqual([...delivered.keys()].sort());
    expect(connected.streams?.map((s) => s.id).sort()).toEqual(detail.streams.map((s) => s.id).sort());
    for (const [stream, n] of delivered) expect(detail.storedSamples[stream], stream).toBe(n);
    expect(detail).toMatchObject({ status: 'complete', endReason: 'user' });
  });
});
