import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { AnalysisStatus } from '../../../src/shared/api/analysis-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';

const fixture = (name: string): string => join(packageRoot(), 'fixtures', name);

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
}

describe('per-session analysis', () => {
  it('runs after an import, keeps events and trend indicators with the session muscle and side', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-analysis-')) });
    try {
      const statuses: AnalysisStatus[] = [];
      app.events.on('analysisStatus', (s) => statuses.push(s));
      const patient = await ok<{ id: number }>(dispatch(app.handlers, 'createPatient', { code: 'P-A' }));
      const session = await ok<{ id: number }>(
        dispatch(app.handlers, 'importRecordingFile', {
          path: fixture('demo-passive-stretch.bdf'),
          patientId: patient.id,
          protocol: 'passive-stretch-fast',
          muscle: 'gastrocnemius',
          side: 'left',
        }),
      );
      await app.analyses.idle();
      expect(statuses.map((s) => s.state)).toEqual(['running', 'done']);
      const analysis = await ok<{ events: { kind: string }[]; summary: { emg: unknown[] } }>(
        dispatch(app.handlers, 'getSessionAnalysis', { sessionId: session.id }),
      );
      expect(analysis.events.some((e) => e.kind === 'stretch')).toBe(true);
      expect(analysis.summary.emg).toHaveLength(2);
      const rows = app.db
        .prepare('SELECT indicator_id, muscle, side, protocol FROM session_indicators WHERE session_id = ?')
        .all(session.id) as { indicator_id: string; muscle: string; side: string; protocol: string }[];
      expect(rows.map((r) => r.indicator_id)).toEqual(expect.arrayContaining(['rmsUv', 'rmsUv:emg2', 'aoc']));
      expect(new Set(rows.map((r) => `${r.muscle}/${r.side}/${r.protocol}`))).toEqual(
        new Set(['gastrocnemius/left/passive-stretch-fast']),
      );
    } finally {
      await app.close();
    }
  });

  it('analyses on demand and answers not-found for an unknown session', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-analysis-')) });
    try {
      const session = await ok<{ id: number }>(
        dispatch(app.handlers, 'importRecordingFile', {
          path: fixture('demo-pendulum.bdf'),
          protocol: 'pendulum',
        }),
      );
      const analysis = await ok<{ events: { kind: string }[] }>(
        dispatch(app.handlers, 'analyzeSession', { sessionId: session.id }),
      );
      expect(analysis.events.some((e) => e.kind === 'drop')).toBe(true);
      expect(await dispatch(app.handlers, 'getSessionAnalysis', { sessionId: 999 })).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
    } finally {
      await app.close();
    }
  });
});
