import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import { DoseRepository } from '../../../src/storage/dose-repository.node.js';
import { findPatientByCode, getPatient } from '../../../src/storage/patients.node.js';
import { ReportRepository } from '../../../src/storage/report-repository.node.js';
import { readSessionRecording } from '../../../src/storage/session-recording.node.js';
import { TrendRepository } from '../../../src/storage/trend-repository.node.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function appWithSession(): Promise<{
  app: TonusApp;
  dir: string;
  patientId: number;
  sessionId: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-deleted-everywhere-'));
  dirs.push(dir);
  const app = createTonusApp({ dataDir: dir });
  const p = await app.handlers.createPatient({ code: 'P-021' });
  const s = await app.handlers.startRecording({ patientId: p.id, protocol: 'rest', deviceId: 'synthetic' });
  await new Promise((r) => setTimeout(r, 700));
  await app.handlers.stopRecording({});
  await app.analyses.idle();
  return { app, dir, patientId: p.id, sessionId: s.id };
}

/** Every place a user meets a session, asked for `sessionId`, in the SQLite file of `app`. */
async function everyLookupOf(app: TonusApp, sessionId: number, patientId: number, outDir: string) {
  const h = app.handlers;
  const reports = new ReportRepository(app.db);
  const doses = new DoseRepository(app.db);
  const settle = (p: Promise<unknown>) =>
    p.then(
      () => 'found',
      (e: Error) => e.message,
    );
  const sync = (f: () => unknown) => {
    try {
      f();
      return 'found';
    } catch (e) {
      return (e as Error).message;
    }
  };
  return {
    listed: (await h.listSessions({})).map((s) => s.id),
    show: await settle(h.getSession({ sessionId })),
    export: await settle(h.exportSession({ sessionId, format: 'csv', path: join(outDir, 'csv') })),
    traces: await settle(h.getSessionTraces({ sessionId, fromS: 0, toS: 1, maxPoints: 16 })),
    analyse: await settle(h.analyzeSession({ sessionId })),
    doseContext: await settle(h.getSessionDoseContext({ sessionId, recompute: true })),
    report: await settle(h.writeReport({ sessionId, outDir: join(outDir, 'report'), includeRaw: false })),
    reportSessionsOfPatient: reports.sessionIdsOfPatient(patientId),
    doseSessions: doses.sessionsOf(patientId).map((s) => s.id),
    replay: sync(() => readSessionRecording(app.db, sessionId)),
  };
}

describe('a deleted session or patient is gone wherever a user meets data (real SQLite file)', () => {
  it('hides a deleted session from reports, dosing, show, export, replay, traces and analysis, saying when and how to undo', async () => {
    const { app, dir, patientId, sessionId } = await appWithSession();
    try {
      const before = await everyLookupOf(app, sessionId, patientId, join(dir, 'before'));
      expect(before).toMatchObject({ listed: [sessionId], show: 'found', export: 'found', traces: 'found' });
      expect(before).toMatchObject({
        analyse: 'found',
        doseContext: 'found',
        report: 'found',
        replay: 'found',
      });
      expect(before.reportSessionsOfPatient).toEqual([sessionId]);
      expect(before.doseSessions).toEqual([sessionId]);

      await app.handlers.deleteItem({ entity: 'session', id: sessionId });
      const after = await everyLookupOf(app, sessionId, patientId, join(dir, 'after'));
      const words = new RegExp(
        `^Session ${sessionId} was deleted on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; it is kept until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; undo with \`tonus undo session ${sessionId}\` or Undo in the app\\.`,
      );
      for (const key of ['show', 'export', 'traces', 'analyse', 'doseContext', 'report', 'replay'] as const)
        expect(after[key], key).toMatch(words);
      expect(after.listed).toEqual([]);
      expect(after.reportSessionsOfPatient).toEqual([]);
      expect(after.doseSessions).toEqual([]);

      await app.handlers.undoDelete({ entity: 'session', id: sessionId });
      expect((await everyLookupOf(app, sessionId, patientId, join(dir, 'undone'))).show).toBe('found');
    } finally {
      await app.close();
    }
  });

  it('hides a deleted patient and all its sessions, and names the patient when one of them is asked for', async () => {
    const { app, dir, patientId, sessionId } = await appWithSession();
    try {
      await app.handlers.deleteItem({ entity: 'patient', id: patientId });
      const after = await everyLookupOf(app, sessionId, patientId, join(dir, 'after'));
      expect(after.show).toMatch(
        new RegExp(
          `^Session ${sessionId} belongs to patient P-021, deleted on .* undo with \`tonus undo patient ${patientId}\``,
        ),
      );
      expect(after.replay).toBe(after.show);
      expect(after.listed).toEqual([]);
      expect(after.doseSessions).toEqual([]);
      expect(getPatient(app.db, patientId)).toBeUndefined();
      expect(findPatientByCode(app.db, 'P-021')).toBeUndefined();
      expect(() => new DoseRepository(app.db).findPatient('P-021')).toThrow(/^Patient P-021 was deleted on /);
      expect(new TrendRepository(app.db).patientsWithLastSession()).toEqual([]);
      await expect(app.handlers.listDoses({ patient: 'P-021' })).rejects.toThrow(
        /^Patient P-021 was deleted on /,
      );
      await expect(app.handlers.createPatient({ code: 'P-021' })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/^Patient P-021 was deleted on .* undo with `tonus undo patient \d+`/),
      });
    } finally {
      await app.close();
    }
  });
});
