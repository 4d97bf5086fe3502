import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTonusApp } from '../../src/app/tonus-app.js';
import { packageRoot } from '../../src/app/paths.js';
import type { MethodOutput } from '../../src/shared/api-contract.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { openShell, type ShellUnderTest } from './harness.js';
import { SEEDED_PATIENT, seedTrends } from './seed-trends.js';

/** The seeded trend patient, plus the demo passive-stretch fixture imported (and analysed) as their session. */
async function seed(dataDir: string): Promise<void> {
  await seedTrends(dataDir);
  const app = createTonusApp({ dataDir });
  try {
    const patients = await dispatch(app.handlers, 'listPatients', {});
    const list = patients.ok ? (patients.value as MethodOutput<'listPatients'>) : [];
    const patient = list.find((p) => p.code === SEEDED_PATIENT);
    if (!patient) throw new Error('the seeded patient is missing');
    const imported = await dispatch(app.handlers, 'importRecordingFile', {
      path: join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'),
      patientId: patient.id,
      protocol: 'passive-stretch-fast',
      muscle: 'gastrocnemius',
      side: 'left',
    });
    if (!imported.ok) throw new Error(imported.error.message);
  } finally {
    await app.close();
  }
}

/** 200 % zoom of a 1440 × 900 screen: the page lays out in 720 × 450 CSS pixels, drawn at twice the density. */
const ZOOMED = { width: 720, height: 450 };

describe('every screen at 200 % zoom', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell(ZOOMED, seed);
  });
  afterAll(async () => {
    await shell?.close();
  });

  const fitsWidth = (): Promise<boolean> =>
    shell.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it.each([
    ['patients', 'Patients', 'Patients'],
    ['new-session', 'New session', `New session — ${SEEDED_PATIENT}`],
    ['devices', 'Devices', 'Devices'],
    ['live', 'Live', 'Live signals'],
    ['review', 'Sessions', `Sessions — ${SEEDED_PATIENT}`],
    ['doses', 'Doses', 'Doses'],
    ['trends', 'Trends', 'Trends'],
    ['settings', 'Settings', 'Settings'],
  ])('%s reads without sideways scrolling', async (route, link, heading) => {
    const { page } = shell;
    if (route === 'patients') {
      await page.getByRole('button', { name: `Select ${SEEDED_PATIENT}` }).click();
    }
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toContain(heading);
    if (route === 'live') {
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await expect
        .poll(() => page.getByRole('toolbar', { name: 'Stream controls' }).getByRole('status').textContent())
        .toContain('Streaming');
      await page.waitForTimeout(1500);
    }
    if (route === 'review') {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `docs/screenshots/zoom200-${route}.png` });
      await page
        .getByRole('button', { name: /^Open session/ })
        .first()
        .click();
      await expect.poll(() => page.getByRole('region', { name: 'Session summary' }).count()).toBe(1);
    }
    if (route === 'trends') {
      await page.getByLabel('Patient').selectOption(SEEDED_PATIENT);
      await expect.poll(() => page.getByRole('img').count()).toBeGreaterThan(0);
    }
    await expect.poll(fitsWidth).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `docs/screenshots/zoom200-${route}.png` });
    if (route === 'live') await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
});
