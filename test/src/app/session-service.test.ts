import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Acquisition } from '../../../src/app/acquisition.js';
import { EventHub } from '../../../src/app/event-hub.js';
import { patientService } from '../../../src/app/services/patient-service.js';
import { sessionService } from '../../../src/app/services/session-service.js';
import type { TonusApp } from '../../../src/app/tonus-app.js';
import { syntheticDescriptor } from '../../../src/devices/drivers/synthetic.js';
import type { DeviceEntry } from '../../../src/devices/registry.js';
import type { ApiHandlers } from '../../../src/shared/api-contract.js';
import { handlersWith } from '../../support/handlers.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { defaultSyntheticParams, SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { demoSyntheticParams } from '../../../src/devices/drivers/synthetic.js';
import type { RecordingStatus, Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import type { Result } from '../../../src/shared/result.js';
import { readStream } from '../../../src/storage/sample-chunks.node.js';
import { decodeEdfHeader } from '../../../src/io/edf/edf-decoder.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { callApi } from '../../support/app-under-test.js';

let app: TonusApp;
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tonus-svc-'));
  app = createTonusApp({ dataDir });
});
afterEach(async () => {
  await app.close();
});

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);
const callRaw = (method: string, input: unknown): Promise<Result<unknown>> =>
  dispatch(app.handlers, method, input);
const waitFor = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((r) => setTimeout(r, 50));
};

describe('patient service (through dispatch, real SQLite)', () => {
  it('creates, lists and updates patients, and answers conflicts and bad input clearly', async () => {
    const p = await call<Patient>('createPatient', {
      code: 'P-001',
      birthYear: 2014,
      gmfcsLevel: 2,
      affectedSide: 'right',
    });
    expect(p).toMatchObject({
      code: 'P-001',
      birthYear: 2014,
      gmfcsLevel: 2,
      affectedSide: 'right',
      weightKg: null,
    });
    expect(await call<Patient[]>('listPatients', {})).toEqual([p]);
    expect(await call<Patient>('updatePatient', { id: p.id, patch: { weightKg: 24 } })).toMatchObject({
      weightKg: 24,
    });
    expect(await callRaw('createPatient', { code: 'P-001' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'A patient with code "P-001" already exists.', where: 'code' },
    });
    expect(await callRaw('createPatient', { code: 'P 1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', where: 'createPatient.code' },
    });
    expect(await callRaw('createPatient', { code: 'P-2', gmfcsLevel: 6 })).toMatchObject({
      ok: false,
      error: { where: 'createPatient.gmfcsLevel' },
    });
    expect(await callRaw('updatePatient', { id: 77, patch: {} })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('session service when the device fails to start', () => {
  it('leaves no session and no lock behind', async () => {
    const events = new EventHub();
    const failing: DeviceEntry = {
      descriptor: { ...syntheticDescriptor, id: 'broken', name: 'Broken device' },
      create: () => ({
        descriptor: { ...syntheticDescriptor, id: 'broken' },
        connect: async () => {
          throw new Error('port busy');
        },
        start: async () => undefined,
        stop: async () => undefined,
        disconnect: async () => undefined,
      }),
    };
    const resolveDevice = (id: string) => (id === 'broken' ? failing : undefined);
    const ctx = { ...app, events, resolveDevice, acquisition: new Acquisition(resolveDevice, events) };
    const handlers: ApiHandlers = handlersWith({ ...patientService(ctx), ...sessionService(ctx) });
    const p = await dispatch(handlers, 'createPatient', { code: 'P-X' });
    expect(p.ok).toBe(true);
    const r = await dispatch(handlers, 'startRecording', {
      patientId: 1,
      protocol: 'rest',
      deviceId: 'broken',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'device-error' } });
    if (!r.ok) expect(r.error.message).toContain('port busy');
    expect(await dispatch(handlers, 'listSessions', {})).toEqual({ ok: true, value: [] });
    expect(readdirSync(join(dataDir, 'locks'))).toEqual([]);
  });
});

describe('session service (through dispatch, real SQLite, the demo device)', () => {
  it('records the demo device, reports status, takes markers, stops complete and lists it', async () => {
    const statuses: RecordingStatus[] = [];
    app.events.on('recordingStatus', (s) => statuses.push(s));
    const p = await call<Patient>('createPatient', { code: 'P-010' });
    const started = await call<Session>('startRecording', {
      patientId: p.id,
      protocol: 'passive-stretch',
      muscle: 'gastrocnemius',
      side: 'left',
      deviceId: 'synthetic',
      clinical: { modifiedAshworth: '1+', tardieuR1Deg: 35 },
    });
    expect(started).toMatchObject({
      status: 'recording',
      patientCode: 'P-010',
      muscle: 'gastrocnemius',
      side: 'left',
      origin: 'live',
    });
    expect(existsSync(join(dataDir, 'locks', `session-${started.id}.lock`))).toBe(true);
    expect(
      await callRaw('startRecording', { patientId: p.id, protocol: 'rest', deviceId: 'synthetic' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await waitFor(() => statuses.some((s) => s.samples > 0));
    await call('addMarker', { sessionId: started.id, text: 'fast stretch 1' });
    const stopped = await call<Session>('stopRecording', {});
    expect(stopped.status).toBe('complete');
    expect(stopped.endTimeMs).toBeGreaterThan(stopped.startTimeMs);
    expect(app.acquisition.getStatus().state).toBe('stopped');
    expect(existsSync(join(dataDir, 'locks', `session-${started.id}.lock`))).toBe(false);
    expect(statuses.at(-1)).toMatchObject({ sessionId: started.id, status: 'complete', droppedSamples: 0 });

    const detail = await call<SessionDetail>('getSession', { sessionId: started.id });
    expect(detail.markers.map((m) => [m.kind, m.text])).toEqual([['marker', 'fast stretch 1']]);
    expect(detail.clinical).toEqual({ modifiedAshworth: '1+', tardieuR1Deg: 35 });
    const emgSamples = detail.storedSamples.emg ?? 0;
    expect(emgSamples).toBeGreaterThan(0);
    expect(statuses.at(-1)?.samples).toBe(emgSamples * 8 + (detail.storedSamples.imu ?? 0) * 6);
    const emg = readStream(app.db, started.id, detail.streams[0]!);
    expect(emg.data).toEqual(
      new SyntheticSignal({ ...defaultSyntheticParams, ...demoSyntheticParams }).next('emg', emgSamples).data,
    );

    expect((await call<Session[]>('listSessions', { patientId: p.id })).map((s) => s.id)).toEqual([
      started.id,
    ]);
    expect(await call<Session[]>('listSessions', { patientId: p.id + 1 })).toEqual([]);
    expect(await callRaw('stopRecording', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('pauses and resumes a recording: status says paused, the span is a pause marker, not a gap', async () => {
    const statuses: RecordingStatus[] = [];
    app.events.on('recordingStatus', (s) => statuses.push(s));
    const p = await call<Patient>('createPatient', { code: 'P-013' });
    expect(await callRaw('pauseRecording', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const s = await call<Session>('startRecording', {
      patientId: p.id,
      protocol: 'passive-stretch',
      deviceId: 'synthetic',
    });
    await waitFor(() => statuses.some((x) => x.samples > 0));
    expect(await callRaw('resumeRecording', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const paused = await call<RecordingStatus>('pauseRecording', {});
    expect(paused).toMatchObject({ sessionId: s.id, status: 'recording', paused: true });
    expect(statuses.at(-1)).toMatchObject({ paused: true });
    expect(await callRaw('pauseRecording', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // The first flush after the pause writes what arrived before it; after that nothing more is stored.
    await waitFor(() => statuses.filter((x) => x.paused).length >= 3);
    const storedWhilePaused = statuses.at(-1)?.samples ?? NaN;
    await waitFor(() => statuses.filter((x) => x.paused).length >= 5);
    expect(statuses.at(-1)?.samples).toBe(storedWhilePaused);
    expect(statuses.at(-1)?.elapsedS).toBe(paused.elapsedS);
    expect(await call<RecordingStatus>('resumeRecording', {})).toMatchObject({ paused: false });
    await waitFor(() => (statuses.at(-1)?.samples ?? 0) > storedWhilePaused);
    const stopped = await call<Session>('stopRecording', {});
    expect(stopped).toMatchObject({ status: 'complete', droppedSamples: 0, gapCount: 0 });
    const detail = await call<SessionDetail>('getSession', { sessionId: s.id });
    expect(detail.markers.map((m) => m.kind)).toEqual(['pause']);
    expect(detail.markers[0]?.durationMs).toBeGreaterThan(0);
    expect(await callRaw('addMarker', { sessionId: s.id, text: 'x', kind: 'pause' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it('exports a paused recording as BDF+C with filler under its pause, and imports it back as a pause', async () => {
    const statuses: RecordingStatus[] = [];
    app.events.on('recordingStatus', (x) => statuses.push(x));
    const p = await call<Patient>('createPatient', { code: 'P-015' });
    const s = await call<Session>('startRecording', {
      patientId: p.id,
      protocol: 'rest',
      deviceId: 'synthetic',
    });
    await waitFor(() => statuses.some((x) => x.samples > 0));
    await call('pauseRecording', {});
    await new Promise((r) => setTimeout(r, 2500));
    await call('resumeRecording', {});
    const resumedAt = statuses.length;
    await waitFor(() => statuses.length > resumedAt + 2);
    await call('stopRecording', {});
    const detail = await call<SessionDetail>('getSession', { sessionId: s.id });
    const pause = detail.markers.find((m) => m.kind === 'pause');
    if (!pause) throw new Error('no pause marker');

    const out = join(dataDir, 'paused.bdf');
    await call('exportSession', { sessionId: s.id, format: 'bdf', path: out });
    expect(decodeEdfHeader(readFileSync(out), out)).toMatchObject({ isDiscontinuous: false });
    const back = readRecordingFile(out);
    // The session's protocol travels as `Protocol: rest` at 0 s (src/shared/session-fact-texts.ts).
    expect(back.annotations.map((a) => a.text)).toEqual(['Protocol: rest', pause.text]);
    const ts = back.streams.find((x) => x.descriptor.id === 'emg')?.timestampsMs;
    if (!ts) throw new Error('a file with filler left out has sample times');
    const jumps = ts.filter((t, i) => i > 0 && t - (ts[i - 1] ?? t) > 1000);
    expect(jumps).toHaveLength(1);
    expect(Math.abs((jumps[0] ?? NaN) - (pause.timeMs + (pause.durationMs ?? 0)))).toBeLessThan(1);

    const imported = await call<Session>('importRecordingFile', { path: out });
    expect(imported.gapCount).toBe(0);
    const again = await call<SessionDetail>('getSession', { sessionId: imported.id });
    expect(again.markers.map((m) => [m.kind, m.text])).toEqual([['pause', pause.text]]);
  });

  it('stops a paused recording', async () => {
    const p = await call<Patient>('createPatient', { code: 'P-014' });
    const s = await call<Session>('startRecording', {
      patientId: p.id,
      protocol: 'rest',
      deviceId: 'synthetic',
    });
    await call('pauseRecording', {});
    // Paused from the start, it stored nothing: never `complete`.
    expect(await call<Session>('stopRecording', {})).toMatchObject({
      id: s.id,
      status: 'interrupted',
      endReason: 'no-data',
      endDetail: expect.stringMatching(/^Nothing was stored: /),
    });
    expect(await callRaw('resumeRecording', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('ends the recording as interrupted by the shutdown when the app closes mid-recording, keeping its samples', async () => {
    const p = await call<Patient>('createPatient', { code: 'P-011' });
    const s = await call<Session>('startRecording', {
      patientId: p.id,
      protocol: 'rest',
      deviceId: 'synthetic',
    });
    const statuses: RecordingStatus[] = [];
    app.events.on('recordingStatus', (r) => statuses.push(r));
    await waitFor(() => (statuses.at(-1)?.samples ?? 0) > 0);
    await app.close();
    app = createTonusApp({ dataDir });
    const detail = await call<SessionDetail>('getSession', { sessionId: s.id });
    expect(detail).toMatchObject({ status: 'interrupted', endReason: 'shutdown' });
    expect(Object.values(detail.storedSamples).every((n) => n > 0)).toBe(true);
  });

  it('refuses unknown patients, devices and sessions', async () => {
    expect(
      await callRaw('startRecording', { patientId: 5, protocol: 'rest', deviceId: 'synthetic' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found', where: 'patientId' },
    });
    const p = await call<Patient>('createPatient', { code: 'P-012' });
    expect(
      await callRaw('startRecording', { patientId: p.id, protocol: 'rest', deviceId: 'nope' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-found', where: 'deviceId' },
    });
    expect(await callRaw('getSession', { sessionId: 9 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await callRaw('addMarker', { sessionId: 9, text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(
      await callRaw('startRecording', {
        patientId: p.id,
        protocol: 'rest',
        deviceId: 'synthetic',
        side: 'up',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', where: 'startRecording.side' },
    });
    expect(await call<Session[]>('listSessions', {})).toEqual([]);
  });
});
