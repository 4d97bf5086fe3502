import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { dispatch } from '../../../src/shared/dispatch.js';

describe('settings service', () => {
  it('starts from defaults, persists changes in the database, and refuses invalid values', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-settings-'));
    const app = createTonusApp({ dataDir });
    expect(await dispatch(app.handlers, 'getSettings', {})).toEqual({
      ok: true,
      value: { mainsHz: 50, theme: 'system', angleUnit: 'deg', dataDir },
    });
    expect((await dispatch(app.handlers, 'updateSettings', { mainsHz: 60 })).ok).toBe(true);
    expect(await dispatch(app.handlers, 'updateSettings', { mainsHz: 55 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', where: 'updateSettings.mainsHz' },
    });
    await app.close();

    const reopened = createTonusApp({ dataDir });
    expect(await dispatch(reopened.handlers, 'getSettings', {})).toMatchObject({
      ok: true,
      value: { mainsHz: 60 },
    });
    await reopened.close();
  });
});
