import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { Session } from '../../../src/shared/api/session-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { callApi } from '../../support/app-under-test.js';

let app: TonusApp;
beforeEach(() => {
  app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-note-')) });
});
afterEach(async () => {
  await app.close();
});

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);

describe('session note (through dispatch, real SQLite)', () => {
  it('sets, replaces and clears the note of a stored session; refuses an unknown session', async () => {
    const patient = await call<Patient>('createPatient', { code: 'P-NOTE' });
    await call('startRecording', {
      patientId: patient.id,
      protocol: 'rest',
      deviceId: 'synthetic',
      note: 'a',
    });
    await new Promise((r) => setTimeout(r, 300));
    const session = await call<Session>('stopRecording', {});
    expect(session.note).toBe('a');

    const noted = await call<Session>('setSessionNote', {
      sessionId: session.id,
      note: '  Calm, cooperative. ',
    });
    expect(noted.note).toBe('Calm, cooperative.');
    expect((await call<Session>('getSession', { sessionId: session.id })).note).toBe('Calm, cooperative.');
    expect((await call<Session>('setSessionNote', { sessionId: session.id, note: '  ' })).note).toBeNull();

    const missing = await dispatch(app.handlers, 'setSessionNote', { sessionId: 999_999, note: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const tooLong = await dispatch(app.handlers, 'setSessionNote', {
      sessionId: session.id,
      note: 'x'.repeat(2001),
    });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
