/**
 * A session's facts travel through an EDF+/BDF+ file and back (text forms: src/shared/session-fact-texts.ts):
 * patient code, protocol, muscle, side, clinician scores, doses and side effects, markers and pauses. Doses
 * found in the file belong to the patient it names and wait for review before they enter the dose log.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TonusApp } from '../../../src/app/tonus-app.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { ImportedDoses } from '../../../src/shared/api/imported-dose-api.js';
import type { DoseLog } from '../../../src/shared/api/dosing-api.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { RecordingStatus, Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import type { Result } from '../../../src/shared/result.js';
import { buildEdflibDump } from '../../support/strict-readers/edflib.js';
import { readWithMne } from '../../support/strict-readers/mne.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-facts-'));
const apps: TonusApp[] = [];
const open = (name: string): TonusApp => {
  const app = createTonusApp({ dataDir: join(dir, name) });
  apps.push(app);
  return app;
};
const raw = (app: TonusApp, method: string, input: unknown): Promise<Result<unknown>> =>
  dispatch(app.handlers, method, input);
async function call<T>(app: TonusApp, method: string, input: unknown): Promise<T> {
  const r = await raw(app, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

const HOUR_MS = 3_600_000;
let session: Session;
let file: string;

beforeAll(async () => {
  const clinic = open('clinic');
  const p = await call<Patient>(clinic, 'createPatient', { code: 'P-0042' });
  const statuses: RecordingStatus[] = [];
  clinic.events.on('recordingStatus', (x) => statuses.push(x));
  session = await call<Session>(clinic, 'startRecording', {
    patientId: p.id,
    protocol: 'passive-stretch',
    muscle: 'gastrocnemius',
    side: 'right',
    deviceId: 'synthetic',
    clinical: { modifiedAshworth: '1+', tardieuQuality: 2, tardieuR1Deg: 45, tardieuR2Deg: 90 },
  });
  while (!statuses.some((x) => x.samples > 0)) await new Promise((r) => setTimeout(r, 50));
  await call(clinic, 'addMarker', { sessionId: session.id, text: 'Fast stretch, ankle' }).catch(
    () => undefined,
  );
  await call(clinic, 'stopRecording', {});
  await call(clinic, 'addDoses', {
    patient: 'P-0042',
    doses: [
      { timeMs: session.startTimeMs - 2 * HOUR_MS, route: 'oral', kind: 'scheduled', amount: 10, unit: 'mg' },
      {
        timeMs: session.startTimeMs - 8 * HOUR_MS,
        route: 'oral',
        kind: 'extra',
        amount: 5,
        unit: 'mg',
        status: 'missed',
      },
      {
        timeMs: session.startTimeMs - 30 * HOUR_MS,
        route: 'oral',
        kind: 'scheduled',
        amount: 10,
        unit: 'mg',
      },
    ],
    actor: 'test',
  });
  await call(clinic, 'addSideEffect', {
    patient: 'P-0042',
    timeMs: session.startTimeMs - HOUR_MS,
    kind: 'drowsiness',
    severity: 'moderate',
  });
  file = join(dir, 'session.bdf');
  await call(clinic, 'exportSession', { sessionId: session.id, format: 'bdf', path: file });
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
});

const factTexts = [
  'Protocol: passive-stretch',
  'Muscle: gastrocnemius',
  'Side: right',
  'MAS: 1+',
  'Tardieu quality: 2',
  'Tardieu R1: 45 deg',
  'Tardieu R2: 90 deg',
];

describe('a session exported as BDF+', () => {
  it('carries its facts, doses and side effects as annotations that EDFlib and MNE read', () => {
    const view = buildEdflibDump()(file);
    expect(view.error).toBeUndefined();
    expect(view.patientCode).toBe('P-0042');
    const at = (text: string): number | undefined => view.annotations.find((a) => a.text === text)?.onset;
    for (const t of factTexts) expect(at(t)).toBe(0);
    // Doses of the 24 h before the start, at their own (negative) times; the one 30 h before is left out.
    const ours = readRecordingFile(file);
    const startS = (ours.startTimeMs - session.startTimeMs) / 1000;
    expect(at('Dose: Baclofen 10 mg PO')! / 1e7).toBeCloseTo(-7200 - startS, 3);
    expect(at('Dose missed: Baclofen 5 mg PO (extra)')! / 1e7).toBeCloseTo(-28_800 - startS, 3);
    expect(view.annotations.filter((a) => a.text.startsWith('Dose')).length).toBe(2);
    expect(at('Side effect: drowsiness, moderate')).toBeDefined();
    expect(view.annotations.map((a) => a.text)).toContain('Recording ends');
    // Live streams end up to a device block apart: then, and only then, each stream's true length follows
    // as `tonus:samples …`, at the same onset as `Recording ends` (documented in src/io/edf/edf-format.ts).
    const ends = at('Recording ends');
    for (const a of view.annotations.filter((x) => x.text.startsWith('tonus:'))) {
      expect(a.text).toMatch(/^tonus:samples( [a-z0-9]+=\d+)+$/);
      expect(a.onset).toBe(ends);
    }
    const mne = readWithMne([file])[file]!;
    expect(mne.error).toBeUndefined();
    // MNE omits annotations before the first sample (the doses and side effect before the session).
    for (const t of factTexts) expect(mne.annotations.map((a) => a.description)).toContain(t);
  });

  it('imports back with its patient, protocol, muscle, side and scores, and its doses held for review', async () => {
    const lab = open('lab');
    const imported = await call<Session>(lab, 'importRecordingFile', { path: file });
    expect(imported).toMatchObject({
      patientCode: 'P-0042',
      protocol: 'passive-stretch',
      muscle: 'gastrocnemius',
      side: 'right',
      clinical: { modifiedAshworth: '1+', tardieuQuality: 2, tardieuR1Deg: 45, tardieuR2Deg: 90 },
    });
    const detail = await call<SessionDetail>(lab, 'getSession', { sessionId: imported.id });
    const texts = detail.markers.map((m) => m.text);
    for (const t of factTexts) expect(texts).not.toContain(t);
    expect(detail.markers.filter((m) => m.kind === 'dose').map((m) => m.text)).toEqual([
      'Dose missed: Baclofen 5 mg PO (extra)',
      'Dose: Baclofen 10 mg PO',
    ]);
    expect(texts).toContain('Side effect: drowsiness, moderate');

    // Nothing enters the dose log until a person confirms it.
    const empty = await call<DoseLog>(lab, 'listDoses', { patient: 'P-0042' });
    expect(empty.doses).toEqual([]);
    const pending = await call<ImportedDoses>(lab, 'listImportedDoses', { sessionId: imported.id });
    expect(pending.patientCode).toBe('P-0042');
    expect(pending.doses.map((d) => [d.amount, d.unit, d.route, d.status, d.inLog])).toEqual([
      [5, 'mg', 'oral', 'missed', false],
      [10, 'mg', 'oral', 'taken', false],
    ]);
    const taken = pending.doses[1]!;
    expect(taken.timeMs).toBeCloseTo(session.startTimeMs - 2 * HOUR_MS, -1);
    const after = await call<ImportedDoses>(lab, 'confirmImportedDoses', {
      sessionId: imported.id,
      markerIds: [taken.markerId],
      actor: 'reviewer',
    });
    expect(after.doses.map((d) => d.inLog)).toEqual([false, true]);
    const log = await call<DoseLog>(lab, 'listDoses', { patient: 'P-0042' });
    expect(log.doses.map((d) => [d.amount, d.route, d.kind, d.status])).toEqual([
      [10, 'oral', 'scheduled', 'taken'],
    ]);
    // Confirming again adds nothing.
    await call(lab, 'confirmImportedDoses', {
      sessionId: imported.id,
      markerIds: [taken.markerId],
      actor: 'r',
    });
    expect((await call<DoseLog>(lab, 'listDoses', { patient: 'P-0042' })).doses).toHaveLength(1);
  });

  it('refuses to import a file with doses for another patient than the one it names', async () => {
    const lab = open('other');
    const other = await call<Patient>(lab, 'createPatient', { code: 'P-0099' });
    const r = await raw(lab, 'importRecordingFile', { path: file, patientId: other.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'patientId' } });
    expect(r.ok ? '' : r.error.message).toContain('P-0042');
  });
});
