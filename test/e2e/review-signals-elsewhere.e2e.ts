import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { createTonusApp, type TonusApp } from '../../src/app/tonus-app.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { openDatabase } from '../../src/storage/database.node.js';
import { runSync } from '../../src/storage/sync-run.node.js';
import { startTestCluster, type TestCluster } from '../support/postgres-cluster.js';
import { siteServer } from '../src/storage/sync-fixture.js';
import { openShell, type ShellUnderTest } from './harness.js';

let cluster: TestCluster;
let room: TonusApp | undefined;
let office: ShellUnderTest | undefined;
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await office?.close();
  await room?.close();
  await cluster?.destroy();
});

describe('the office reviews a session recorded in the treatment room of a site without raw sync', () => {
  it('says in words where the signals are instead of drawing empty charts', async () => {
    const { site } = await siteServer(cluster, { siteId: 'lean', role: 'e2e_lean', syncChunks: false });
    room = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-e2e-room-')) });
    const imported = await dispatch(room.handlers, 'importRecordingFile', {
      path: join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'),
      protocol: 'passive-stretch-fast',
    });
    expect(imported.ok).toBe(true);
    await room.analyses.idle();
    expect((await runSync(room.db, site)).error).toBeUndefined();

    office = await openShell({ width: 1440, height: 900 }, async (dataDir) => {
      mkdirSync(dataDir, { recursive: true });
      const db = openDatabase(join(dataDir, 'tonus.sqlite'));
      try {
        const r = await runSync(db, site);
        if (r.error) throw new Error(r.error);
      } finally {
        db.close();
      }
    });
    const { page } = office;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page
      .getByRole('button', { name: /^Open session/ })
      .first()
      .click();
    const words =
      'The signals of this session are on the workstation that recorded it: this site does not sync raw signals to the clinic server, so only its results, markers and dose context are here.';
    const note = page.getByRole('note').filter({ hasText: 'The signals of this session' });
    await expect.poll(() => note.textContent(), { timeout: 10_000 }).toBe(words);
    // The stream table does not contradict it with "0 samples stored", and re-analysis (of nothing) is not offered.
    const streams = page.getByRole('table', { name: 'Signal quality per stream' });
    expect(await streams.getByRole('cell', { name: 'On the recording workstation' }).count()).toBe(2);
    expect(await page.getByRole('button', { name: /^Analyse/ }).count()).toBe(0);
    expect(await page.getByText('It can be analysed again on the workstation that recorded it').count()).toBe(
      1,
    );
    // The analysis made in the treatment room is shown, and each event's chart says why it has no signal.
    const charts = page.getByRole('region', { name: 'Charts of each event' });
    await expect.poll(() => charts.count(), { timeout: 10_000 }).toBe(1);
    const alerts = charts.getByRole('alert');
    await expect.poll(() => alerts.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await alerts.first().textContent()).toBe(`The signal of this event could not be read: ${words}`);
    expect(await charts.getByRole('img').count()).toBe(0);
    await note.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/review-signals-elsewhere.png' });
  });
});
