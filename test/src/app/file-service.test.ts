import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { packageRoot } from '../../../src/app/paths.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

describe('import and export of recording files', () => {
  it('imports a BDF+ fixture as a complete session, and exports it back within BDF quantisation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-files-'));
    const app = createTonusApp({ dataDir: join(dir, 'data') });
    try {
      const original = readRecordingFile(fixture);
      const imported = await dispatch(app.handlers, 'importRecordingFile', { path: fixture });
      if (!imported.ok) throw new Error(imported.error.message);
      const session = imported.value as { id: number; status: string; origin: string; startTimeMs: number };
      expect(session).toMatchObject({
        status: 'complete',
        origin: 'import',
        startTimeMs: original.startTimeMs,
      });

      const detail = await dispatch(app.handlers, 'getSession', { sessionId: session.id });
      if (!detail.ok) throw new Error(detail.error.message);
      const stored = (detail.value as { storedSamples: Record<string, number> }).storedSamples;
      for (const s of original.streams) expect(stored[s.descriptor.id]).toBe(s.data[0]?.length);
      // `Protocol: …` becomes the session's protocol, not a marker (src/shared/session-fact-texts.ts).
      expect((detail.value as { markers: unknown[] }).markers.length).toBe(
        original.annotations.filter((a) => !a.text.startsWith('Protocol: ')).length,
      );
      expect((detail.value as { protocol: string }).protocol).toBe('passive-stretch');

      const out = join(dir, 'export.bdf');
      expect(
        await dispatch(app.handlers, 'exportSession', { sessionId: session.id, format: 'bdf', path: out }),
      ).toEqual({
        ok: true,
        value: { files: [out] },
      });
      const back = readRecordingFile(out);
      expect(back.streams.map((s) => s.descriptor.id)).toEqual(original.streams.map((s) => s.descriptor.id));
      for (const [i, s] of original.streams.entries()) {
        for (const [c, ch] of s.data.entries()) {
          const d = s.descriptor.channels[c];
          const step = ((d?.rangeMax ?? 1) - (d?.rangeMin ?? 0)) / (2 ** 24 - 1);
          const got = back.streams[i]?.data[c] as Float32Array;
          for (let k = 0; k < ch.length; k += 97)
            expect(Math.abs((got[k] ?? NaN) - (ch[k] ?? 0))).toBeLessThanOrEqual(step * 1.01 + 1e-6);
        }
      }

      const csv = await dispatch(app.handlers, 'exportSession', {
        sessionId: session.id,
        format: 'csv',
        path: join(dir, 'csv'),
      });
      if (!csv.ok) throw new Error(csv.error.message);
      const files = (csv.value as { files: string[] }).files;
      expect(files).toHaveLength(original.streams.length);
      const lines = readFileSync(files[0] as string, 'utf8')
        .trim()
        .split('\n');
      expect(lines.length).toBeGreaterThan(original.streams[0]?.data[0]?.length ?? 0);
    } finally {
      await app.close();
    }
  });

  it('refuses a corrupted file whole, naming the file and place, and keeps nothing of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-files-'));
    const app = createTonusApp({ dataDir: join(dir, 'data') });
    try {
      const bad = join(dir, 'truncated.bdf');
      const bytes = readFileSync(fixture);
      writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length * 0.6) + 1));
      const r = await dispatch(app.handlers, 'importRecordingFile', { path: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-input');
        expect(r.error.message).toContain('truncated.bdf');
        expect(r.error.message).toMatch(/byte/);
      }
      const sessions = await dispatch(app.handlers, 'listSessions', {});
      expect(sessions).toEqual({ ok: true, value: [] });
      expect(
        await dispatch(app.handlers, 'importRecordingFile', { path: join(dir, 'nope.bdf') }),
      ).toMatchObject({
        ok: false,
        error: { code: 'not-found', where: 'path' },
      });
    } finally {
      await app.close();
    }
  });
});
