import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import { SerialDeviceEmulator, type EmulatedDevice } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';
import { callApi, until } from '../../support/app-under-test.js';

let app: TonusApp | undefined;
let pair: SocatPair | undefined;
let emulator: SerialDeviceEmulator | undefined;
let root: string | undefined;

afterEach(async () => {
  try {
    await app?.close();
  } finally {
    await emulator?.close();
    await pair?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
    app = undefined;
    emulator = undefined;
    pair = undefined;
    root = undefined;
  }
});

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);

const LINE_PROFILE = {
  name: 'Arduino + MyoWare',
  sampleRateHz: 200,
  counterField: 0,
  counterModulus: 256,
  channels: [
    { field: 1, id: 'env', label: 'Envelope', kind: 'emg', unit: 'counts', rangeMin: 0, rangeMax: 1023 },
    { field: 2, id: 'raw', label: 'Raw', kind: 'emg', unit: 'counts', rangeMin: 0, rangeMax: 1023 },
  ],
};

interface Case {
  title: string;
  device: EmulatedDevice;
  /** Spec query after `serial:PATH?`; `PROFILE` is replaced by the profile file. */
  query: string;
  /** The stream compared with the emulator's count, its channel count and rate. */
  stream: string;
  channels: number;
  sampleRateHz: number;
  /** Samples of `stream` a device emitting `sent` packets, frames or lines delivers. */
  expected: (sent: number) => number;
  /** Samples to wait for before the device is halted. */
  minSamples: number;
  /** The UI's path: the stream is started first (Devices screen), then the recording. */
  streamFirst?: boolean;
}

const cases: Case[] = [
  {
    title: 'Cyton (8 channels at 250 Hz)',
    device: 'cyton',
    query: 'kind=cyton',
    stream: 'exg',
    channels: 8,
    sampleRateHz: 250,
    expected: (sent) => sent,
    minSamples: 250,
  },
  {
    title: 'Cyton + Daisy (16 channels at 125 Hz from paired packets)',
    device: 'cyton',
    query: 'kind=cyton-daisy',
    stream: 'exg',
    channels: 16,
    sampleRateHz: 125,
    // Odd packet n (board) pairs with n + 1 (daisy); packet 0 has no board half.
    expected: (sent) => Math.floor((sent - 1) / 2),
    minSamples: 125,
  },
  {
    title: 'BITalino A1–A3 at 100 Hz',
    device: 'bitalino',
    query: 'kind=bitalino&channels=1,2,3&rate=100',
    stream: 'analog',
    channels: 3,
    sampleRateHz: 100,
    expected: (sent) => sent,
    minSamples: 100,
  },
  {
    title: 'BITalino A1–A3 at 100 Hz, streamed before recording (the UI path)',
    device: 'bitalino',
    query: 'kind=bitalino&channels=1,2,3&rate=100',
    stream: 'analog',
    channels: 3,
    sampleRateHz: 100,
    expected: (sent) => sent,
    minSamples: 100,
    streamFirst: true,
  },
  {
    title: 'BITalino all six inputs at 1000 Hz',
    device: 'bitalino',
    query: 'kind=bitalino&channels=1,2,3,4,5,6&rate=1000',
    stream: 'analog',
    channels: 6,
    sampleRateHz: 1000,
    expected: (sent) => sent,
    minSamples: 1000,
  },
  {
    title: 'BITalino A5, A6 (6-bit inputs) at 10 Hz',
    device: 'bitalino',
    query: 'kind=bitalino&channels=5,6&rate=10',
    stream: 'analog',
    channels: 2,
    sampleRateHz: 10,
    expected: (sent) => sent,
    minSamples: 12,
  },
  {
    title: 'line protocol with a profile file and a baud rate',
    device: 'line',
    query: 'kind=line&profile=PROFILE&baud=57600',
    stream: 'emg',
    channels: 2,
    sampleRateHz: 200,
    expected: (sent) => sent,
    minSamples: 200,
  },
];

describe('a recording stores what the connected serial device sends (app, real SQLite, emulators over socat)', () => {
  it.each(cases)('$title: every emitted sample is stored, in the driver’s streams', async (c) => {
    root = mkdtempSync(join(tmpdir(), 'tonus-config-'));
    const profile = join(root, 'profile.json');
    writeFileSync(profile, JSON.stringify(LINE_PROFILE));
    pair = new SocatPair(join(root, 'host'), join(root, 'device'));
    await pair.start();
    emulator = new SerialDeviceEmulator(c.device, pair.devicePath);
    // A line device prints from the moment its port opens: it is opened once the host listens.
    if (c.device !== 'line') await emulator.open();
    app = createTonusApp({ dataDir: join(root, 'data') });
    const errors: string[] = [];
    const origError = console.error;
    console.error = (...a: unknown[]) => void errors.push(a.join(' '));
    try {
      let delivered = 0;
      app.acquisition.onBlock((b: SampleBlock) => {
        if (b.streamId === c.stream) delivered += b.timestampsMs.length;
      });
      const patient = await call<Patient>('createPatient', { code: 'P-CFG' });
      const deviceId = `serial:${pair.hostPath}?${c.query.replace('PROFILE', profile)}`;
      if (c.streamFirst) {
        await call('startStream', { deviceId });
        await until(() => delivered > 0, 'the stream to run');
      }
      // Streamed first: what arrived before the recording began is not part of it (no I/O runs in between).
      const deliveredBefore = delivered;
      const started = await call<Session>('startRecording', {
        patientId: patient.id,
        protocol: 'rest',
        deviceId,
      });
      if (c.device === 'line') await emulator.open();
      await until(() => delivered - deliveredBefore >= c.minSamples, `${c.minSamples} samples`);
      emulator.halt();
      const sent = emulator.sent;
      await until(() => delivered >= c.expected(sent), 'the last emitted samples', 5000);
      await call<Session>('stopRecording', {});
      const detail = await call<SessionDetail>('getSession', { sessionId: started.id });
      const stream = detail.streams.find((s) => s.id === c.stream);
      expect(stream?.channels).toHaveLength(c.channels);
      expect(stream?.sampleRateHz).toBe(c.sampleRateHz);
      expect(detail.storedSamples[c.stream]).toBe(c.expected(sent) - deliveredBefore);
      if (!c.streamFirst) expect(deliveredBefore).toBe(0);
      expect(delivered).toBe(c.expected(sent));
      expect(detail).toMatchObject({ status: 'complete', endReason: 'user', droppedSamples: 0 });
      expect(errors).toEqual([]);
    } finally {
      console.error = origError;
    }
  });
});
