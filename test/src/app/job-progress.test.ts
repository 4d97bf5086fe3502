import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { JobProgress } from '../../../src/shared/api/job-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

function expectRisingToOne(events: readonly JobProgress[]): void {
  expect(events.length).toBeGreaterThan(1);
  for (let i = 1; i < events.length; i++)
    expect(events[i]?.fraction).toBeGreaterThanOrEqual(events[i - 1]?.fraction ?? Infinity);
  expect(events.at(-1)?.fraction).toBe(1);
}

describe('jobProgress events of the app', () => {
  it('tells import, analysis, BDF and CSV export progress under the client-chosen job ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-progress-'));
    const app = createTonusApp({ dataDir: join(dir, 'data') });
    try {
      const events: JobProgress[] = [];
      app.events.on('jobProgress', (p) => events.push(p));
      const of = (jobId: string): JobProgress[] => events.filter((e) => e.jobId === jobId);

      const imported = await dispatch(app.handlers, 'importRecordingFile', { path: fixture, jobId: 'imp-1' });
      if (!imported.ok) throw new Error(imported.error.message);
      const sessionId = (imported.value as { id: number }).id;
      expectRisingToOne(of('imp-1'));
      expect(of('imp-1').every((e) => e.kind === 'import')).toBe(true);

      await app.analyses.idle();
      const analysis = events.filter((e) => e.kind === 'analysis');
      expectRisingToOne(analysis);
      expect(analysis.every((e) => e.sessionId === sessionId)).toBe(true);

      const bdf = await dispatch(app.handlers, 'exportSession', {
        sessionId,
        format: 'bdf',
        path: join(dir, 'out.bdf'),
        jobId: 'bdf-1',
      });
      expect(bdf.ok).toBe(true);
      expectRisingToOne(of('bdf-1'));
      expect(of('bdf-1').every((e) => e.kind === 'export' && e.sessionId === sessionId)).toBe(true);

      const csv = await dispatch(app.handlers, 'exportSession', {
        sessionId,
        format: 'csv',
        path: join(dir, 'csv'),
        jobId: 'csv-1',
      });
      if (!csv.ok) throw new Error(csv.error.message);
      expectRisingToOne(of('csv-1'));
      const rows = (csv.value as { files: string[] }).files.reduce(
        (n, f) => n + readFileSync(f, 'utf8').trimEnd().split('\n').length - 1,
        0,
      );
      expect(rows).toBeGreaterThan(0);

      const download = await dispatch(app.handlers, 'prepareDownload', {
        sessionId,
        format: 'edf',
        jobId: 'dl-1',
      });
      expect(download.ok).toBe(true);
      expectRisingToOne(of('dl-1'));
    } finally {
      await app.close();
    }
  });

  it('refuses a malformed file whole with its place, stores nothing, and rejects a bad job id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-progress-bad-'));
    const app = createTonusApp({ dataDir: join(dir, 'data') });
    try {
      const bad = join(dir, 'cut.bdf');
      writeFileSync(bad, readFileSync(fixture).subarray(0, 700));
      const r = await dispatch(app.handlers, 'importRecordingFile', { path: bad });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'path' } });
      if (!r.ok) expect(r.error.message).toContain(bad);
      const sessions = await dispatch(app.handlers, 'listSessions', {});
      expect(sessions).toMatchObject({ ok: true, value: [] });

      const missing = await dispatch(app.handlers, 'exportSession', {
        sessionId: 4242,
        format: 'bdf',
        path: join(dir, 'x.bdf'),
      });
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found', where: 'sessionId' } });

      const badId = await dispatch(app.handlers, 'exportSession', {
        sessionId: 1,
        format: 'csv',
        path: dir,
        jobId: 'no spaces allowed',
      });
      expect(badId).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', where: 'exportSession.jobId' },
      });
    } finally {
      await app.close();
    }
  });
});
