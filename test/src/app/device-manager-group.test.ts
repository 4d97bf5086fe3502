import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Acquisition } from '../../../src/app/acquisition.js';
import { groupStreams, withDeviceGroups } from '../../../src/app/device-manager-group.js';
import { createDeviceResolver } from '../../../src/app/device-resolver.js';
import { EventHub } from '../../../src/app/event-hub.js';
import { Recorder } from '../../../src/app/recorder.js';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import { builtinDevices } from '../../../src/devices/registry.js';
import type { NobleLike } from '../../../src/devices/transports/ble.node.js';
import { BleCentral } from '../../../src/devices/transports/ble.node.js';
import type { StreamStatus } from '../../../src/shared/api/device-api.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { RecordingStatus, Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { readStream, storedSampleCounts } from '../../../src/storage/sample-chunks.node.js';
import { createSession } from '../../../src/storage/sessions.node.js';
import { EmulatedBindings, EmulatedMyo } from '../../emulators/ble-bindings-emulator.js';
import { SerialDeviceEmulator } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';
import { callApi, until } from '../../support/app-under-test.js';

const require = createRequire(import.meta.url);
const Noble = require('@stoprocent/noble/lib/noble.js') as new (bindings: unknown) => NobleLike;

const findBuiltin = (id: string) => builtinDevices.find((d) => d.descriptor.id === id);

describe('device groups (several devices as one)', () => {
  it('namespaces only the stream ids that collide, by member number', () => {
    const demo = findBuiltin('synthetic');
    if (!demo) throw new Error('no demo device');
    const [first, second] = groupStreams([demo.descriptor, demo.descriptor]);
    const ids = demo.descriptor.streams.map((s) => s.id);
    expect(first?.map((s) => s.id)).toEqual(ids);
    expect(second?.map((s) => s.id)).toEqual(ids.map((id) => `${id}.2`));
    expect(second?.[0]?.label).toMatch(/\(device 2\)$/);
    const distinct = { ...demo.descriptor, streams: [{ ...demo.descriptor.streams[0]!, id: 'other' }] };
    expect(groupStreams([demo.descriptor, distinct])[1]?.map((s) => s.id)).toEqual(['other']);
  });

  it('refuses a group of one and names a member that does not exist', () => {
    const resolve = withDeviceGroups(findBuiltin);
    expect(() => resolve('group:synthetic')).toThrow(/two or more devices separated by "\|"/);
    expect(() => resolve('group:synthetic|nope')).toThrow(/device 2 \("nope"\) is not available/);
    expect(resolve('synthetic')).toBe(findBuiltin('synthetic'));
  });
});

let app: TonusApp | undefined;
const pairs: SocatPair[] = [];
const emulators: SerialDeviceEmulator[] = [];
let root: string | undefined;

afterEach(async () => {
  await app?.close();
  for (const e of emulators.splice(0)) await e.close();
  for (const p of pairs.splice(0)) await p.kill();
  if (root) rmSync(root, { recursive: true, force: true });
  app = undefined;
  root = undefined;
});

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);

async function plugIn(p: SocatPair, index: number): Promise<void> {
  await p.start();
  const e = new SerialDeviceEmulator('cyton', p.devicePath);
  await e.open();
  emulators[index] = e;
}

describe('one session from two serial devices (two Cyton emulators over socat ptys)', () => {
  // Needs socat for real pty pairs.
  it('records both into one session on one host time axis, and survives losing one of them', async () => {
    root = mkdtempSync(join(tmpdir(), 'tonus-group-'));
    for (const n of [1, 2]) pairs.push(new SocatPair(join(root, `host${n}`), join(root, `device${n}`)));
    const [a, b] = pairs;
    if (!a || !b) throw new Error('no pty pairs');
    await plugIn(a, 0);
    await plugIn(b, 1);
    app = createTonusApp({ dataDir: join(root, 'data') });
    const states: StreamStatus[] = [];
    const recordings: RecordingStatus[] = [];
    app.events.on('streamStatus', (s) => states.push(s));
    app.events.on('recordingStatus', (s) => recordings.push(s));
    const lastState = () => states.at(-1)?.state;
    const stored = () => recordings.at(-1)?.samples ?? 0;

    const patient = await call<Patient>('createPatient', { code: 'P-TWO' });
    const started = await call<Session>('startRecording', {
      patientId: patient.id,
      protocol: 'rest',
      deviceId: `group:serial:${a.hostPath}?kind=cyton|serial:${b.hostPath}?kind=cyton`,
    });
    expect(started.streams.map((s) => s.id)).toEqual(['exg', 'accel', 'exg.2', 'accel.2']);
    expect(started.deviceName).toMatch(/Cyton .* \+ .*Cyton/);
    await until(() => stored() > 0, 'stored samples');
    const beforeLoss = stored();
    await until(() => stored() > beforeLoss, 'a second flush');

    await b.kill();
    await emulators[1]?.close();
    await until(
      () => lastState() === 'reconnecting',
      () =>
        `reconnecting after losing device 2 (states: ${states.map((s) => `${s.state} ${s.message ?? ''}`).join('; ')})`,
    );
    expect(states.at(-1)?.message).toMatch(/went away/);
    await plugIn(b, 1);
    await until(() => lastState() === 'streaming', 'streaming again');
    const afterReplug = stored();
    await until(() => stored() > afterReplug, 'samples after the replug');
    await call<Session>('stopRecording', {});

    const detail = await call<SessionDetail>('getSession', { sessionId: started.id });
    expect(detail.markers.filter((m) => m.kind === 'gap').map((m) => m.text)).toEqual([
      expect.stringMatching(/^Device lost: .*Cyton.*went away.*; reconnected after/),
    ]);
    const first = new Map<string, number>();
    const last = new Map<string, number>();
    for (const s of detail.streams) {
      const stream = readStream(app.db, started.id, s);
      expect(stream.storedSamples).toBeGreaterThan(0);
      first.set(s.id, stream.timestampsMs[0] ?? NaN);
      last.set(s.id, stream.timestampsMs.at(-1) ?? NaN);
    }
    // One host time axis: the two devices' EMG spans overlap (both ran through the same recording).
    const overlapStart = Math.max(first.get('exg') ?? NaN, first.get('exg.2') ?? NaN);
    const overlapEnd = Math.min(last.get('exg') ?? NaN, last.get('exg.2') ?? NaN);
    expect(overlapEnd).toBeGreaterThan(overlapStart);
    expect(Math.abs((first.get('exg') ?? 0) - detail.startTimeMs)).toBeLessThan(60_000);
  }, 60_000);
});

describe('one session from a serial and a Bluetooth device (Cyton over socat + Myo through noble)', () => {
  // Needs socat for the Cyton's pty pair.
  it('records the Cyton EMG and the Myo IMU together, on the host time axis', async () => {
    root = mkdtempSync(join(tmpdir(), 'tonus-group-ble-'));
    const pair = new SocatPair(join(root, 'host'), join(root, 'device'));
    pairs.push(pair);
    await plugIn(pair, 0);
    const db = openDatabase(join(root, 'tonus.sqlite'));
    const central = new BleCentral(new Noble(new EmulatedBindings([new EmulatedMyo('d0d0d0000003')])));
    const resolve = withDeviceGroups(createDeviceResolver(() => central, db));
    const groupId = `group:serial:${pair.hostPath}?kind=cyton|ble:d0d0d0000003?kind=myo`;
    const entry = resolve(groupId);
    if (!entry) throw new Error('the group did not resolve');
    const streams = entry.descriptor.streams;
    const sessionId = createSession(db, {
      patientId: null,
      protocol: 'rest',
      deviceId: groupId,
      deviceName: entry.descriptor.name,
      origin: 'live',
      startTimeMs: Date.now(),
      streams,
    });
    const acquisition = new Acquisition(resolve, new EventHub());
    const recorder = new Recorder({ db, sessionId, streams, source: acquisition });
    try {
      recorder.start();
      await acquisition.start(groupId);
      const counts = () => storedSampleCounts(db, sessionId);
      await until(
        () => streams.every((s) => (counts()[s.id] ?? 0) > 0),
        () => `samples of every stream (${JSON.stringify(counts())})`,
      );
      recorder.stop();
      const byKind = (kind: string) => streams.find((s) => s.channels.some((c) => c.kind === kind));
      const cytonEmg = streams.find((s) => s.id === 'exg');
      const myoImu = byKind('gyro');
      if (!cytonEmg || !myoImu) throw new Error(`streams: ${streams.map((s) => s.id).join(', ')}`);
      expect(new Set(streams.map((s) => s.id)).size).toBe(streams.length);
      const emg = readStream(db, sessionId, cytonEmg);
      const imu = readStream(db, sessionId, myoImu);
      const overlapStart = Math.max(emg.timestampsMs[0] ?? NaN, imu.timestampsMs[0] ?? NaN);
      const overlapEnd = Math.min(emg.timestampsMs.at(-1) ?? NaN, imu.timestampsMs.at(-1) ?? NaN);
      expect(overlapEnd).toBeGreaterThan(overlapStart);
    } finally {
      await acquisition.stop();
      db.close();
    }
  }, 60_000);
});
