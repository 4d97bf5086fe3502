import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { ReplayPosition } from '../../../src/shared/api/replay-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';

const fixture = (name: string): string => join(packageRoot(), 'fixtures', name);

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
}

describe('replay seek', () => {
  it('seeks a replayed session, reports position and duration, and refuses when nothing replays', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-replay-')) });
    try {
      expect(await ok(dispatch(app.handlers, 'getReplayPosition', {}))).toBeNull();
      expect(await dispatch(app.handlers, 'seekStream', { positionS: 3 })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      const session = await ok<{ id: number; startTimeMs: number; endTimeMs: number }>(
        dispatch(app.handlers, 'importRecordingFile', { path: fixture('demo-passive-stretch.bdf') }),
      );
      const deviceId = `session:${session.id}?speed=1`;
      await ok(dispatch(app.handlers, 'startStream', { deviceId }));
      const before = await ok<ReplayPosition>(dispatch(app.handlers, 'getReplayPosition', {}));
      expect(before.deviceId).toBe(deviceId);
      expect(before.durationS).toBeCloseTo((session.endTimeMs - session.startTimeMs) / 1000, 0);
      expect(before.positionS).toBeLessThan(5);

      const seeked = await ok<ReplayPosition>(dispatch(app.handlers, 'seekStream', { positionS: 12 }));
      expect(seeked.positionS).toBe(12);
      const after = await ok<ReplayPosition>(dispatch(app.handlers, 'getReplayPosition', {}));
      expect(after.positionS).toBeGreaterThanOrEqual(12);

      const clamped = await ok<ReplayPosition>(dispatch(app.handlers, 'seekStream', { positionS: 1e6 }));
      expect(clamped.positionS).toBe(clamped.durationS);
      expect(
        (await ok<ReplayPosition>(dispatch(app.handlers, 'seekStream', { positionS: -5 }))).positionS,
      ).toBe(0);

      await ok(dispatch(app.handlers, 'stopStream', {}));
      expect(await ok(dispatch(app.handlers, 'getReplayPosition', {}))).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('gives no replay position for the synthetic demo device', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-replay-')) });
    try {
      await ok(dispatch(app.handlers, 'startStream', { deviceId: 'synthetic' }));
      expect(await ok(dispatch(app.handlers, 'getReplayPosition', {}))).toBeNull();
      await ok(dispatch(app.handlers, 'stopStream', {}));
    } finally {
      await app.close();
    }
  });
});
