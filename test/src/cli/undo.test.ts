import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

const dirs: string[] = [];
afterEach(() => {
  process.exitCode = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('tonus show, sessions and undo on a deleted session (real SQLite file)', () => {
  it('says when the session was deleted and how to undo it; `tonus undo session ID` brings it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-cli-undo-'));
    dirs.push(dir);
    const app = createTonusApp({ dataDir: dir });
    let sessionId: number;
    try {
      const p = await app.handlers.createPatient({ code: 'P-033' });
      sessionId = (
        await app.handlers.startRecording({ patientId: p.id, protocol: 'rest', deviceId: 'synthetic' })
      ).id;
      await new Promise((r) => setTimeout(r, 500));
      await app.handlers.stopRecording({});
      await app.handlers.deleteItem({ entity: 'session', id: sessionId });
    } finally {
      await app.close();
    }
    const id = String(sessionId);
    const shown = await capture(['show', id, '--data-dir', dir]);
    expect(shown.code).toBe(3);
    expect(shown.err).toMatch(
      new RegExp(`Session ${id} was deleted on .* undo with \`tonus undo session ${id}\``),
    );
    expect(JSON.parse((await capture(['sessions', '--json', '--data-dir', dir])).out)).toEqual([]);

    const undone = await capture(['undo', 'session', id, '--data-dir', dir]);
    expect(undone).toMatchObject({ code: 0, out: `The session ${id} is back.\n` });
    expect((await capture(['show', id, '--data-dir', dir])).code).toBe(0);
    expect(
      (JSON.parse((await capture(['sessions', '--json', '--data-dir', dir])).out) as { id: number }[]).map(
        (s) => s.id,
      ),
    ).toEqual([sessionId]);
    expect((await capture(['undo', 'session', id, '--data-dir', dir])).code).toBe(3);
  });
});
