import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.node.js';
import { createPatient } from '../../src/storage/patients.node.js';
import { connectServer, type ServerConnection } from '../../src/storage/server-connection.node.js';
import { startTestCluster, type TestCluster } from '../support/postgres-cluster.js';
import { recordSession, siteServer } from '../src/storage/sync-fixture.js';
import { openShell, type ShellUnderTest } from './harness.js';

let cluster: TestCluster;
const shells: ShellUnderTest[] = [];
const savedEnv = { ...process.env };
beforeAll(async () => {
  cluster = await startTestCluster();
}, 60_000);
afterAll(async () => {
  for (const s of shells) await s.close();
  process.env = savedEnv;
  await cluster?.destroy();
});

/** Opens the browser shell with the server connection in libpq's environment variables (password included). */
async function shellAs(
  c: ServerConnection,
  seed?: (dataDir: string) => Promise<void>,
): Promise<ShellUnderTest> {
  Object.assign(process.env, {
    PGHOST: c.host,
    PGPORT: String(c.port),
    PGUSER: c.user,
    PGPASSWORD: c.password,
    PGDATABASE: c.database,
    PGSSLROOTCERT: c.sslRootCertFile,
  });
  try {
    const shell = await openShell({ width: 1440, height: 900 }, seed);
    shells.push(shell);
    return shell;
  } finally {
    process.env = { ...savedEnv };
  }
}

describe('clinic server in the browser shell', () => {
  it('shows what waits, syncs on request, and shows the cohort to a study role', async () => {
    const { site, admin } = await siteServer(cluster, { siteId: 'north', role: 'e2e_north' });
    const clinic = await shellAs(site, async (dataDir) => {
      const db = openDatabase(join(dataDir, 'tonus.sqlite'));
      const p = createPatient(db, { code: 'CP-310' });
      recordSession(db, p.id, Date.parse('2026-11-30T10:00:00Z'), 3);
      db.close();
    });
    const { page } = clinic;
    await page.getByRole('link', { name: 'Settings' }).click();
    const card = page.getByRole('group', { name: 'Clinic server' });
    await expect
      .poll(() => card.textContent(), { timeout: 10_000 })
      .toContain('2 changes waiting to be sent.');
    expect(await card.textContent()).toContain(
      `localhost:${site.port}, database ${site.database}, as e2e_north`,
    );
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain('Nothing waiting to be sent.');
    expect(await card.textContent()).toContain('This computer syncs as site “north”.');
    expect(await card.textContent()).toMatch(/Last sync: /);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/settings-sync.png' });

    await page.getByRole('link', { name: 'Cohort' }).click();
    await page.getByRole('button', { name: 'Show cohort' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/role "e2e_north" is not allowed/);

    const c = await connectServer(admin);
    await c.query("CREATE ROLE e2e_study LOGIN PASSWORD 'study-pw' IN ROLE tonus_study");
    await c.end();
    const study = await shellAs(cluster.as('e2e_study', 'study-pw', site.database));
    await study.page.getByRole('link', { name: 'Cohort' }).click();
    await study.page.getByLabel('Indicator').selectOption('rmsHV');
    await study.page.getByRole('button', { name: 'Show cohort' }).click();
    const rows = study.page.locator('table', { hasText: 'by dose phase' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      'Post-dose (peak)',
      '≥ 0.75',
      '12.50 µV',
      '12.50 µV',
      '—',
      '1 session',
      '1 patient',
      '1 site',
    ]);
    await study.page.screenshot({ path: 'docs/screenshots/cohort.png' });
  });
});
