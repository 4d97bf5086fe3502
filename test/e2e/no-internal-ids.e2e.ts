import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';
import { internalIdsOnPage } from './id-scan.js';
import { SEEDED_PATIENT } from './seed-trends.js';
import { seedVisit } from './seed-visit.js';

describe('no internal id on any screen (seeded sessions with analyses, trends and doses)', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1440, height: 900 }, seedVisit);
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('shows every screen, every analysed session and every trend indicator in words', async () => {
    const { page } = shell;
    const found: string[] = [];
    const heading = page.getByRole('heading', { level: 1 });
    const visit = async (link: string, title: RegExp): Promise<void> => {
      await page.getByRole('link', { name: link, exact: true }).click();
      await expect.poll(() => heading.textContent()).toMatch(title);
    };

    await expect.poll(() => heading.textContent()).toBe('Patients');
    await expect.poll(() => page.getByRole('rowheader', { name: SEEDED_PATIENT }).count()).toBe(1);
    await page.getByRole('button', { name: `Select ${SEEDED_PATIENT}` }).click();
    found.push(...(await internalIdsOnPage(page, 'Patients')));

    await visit('New session', /^New session/);
    found.push(...(await internalIdsOnPage(page, 'New session')));
    await visit('Devices', /^Devices/);
    found.push(...(await internalIdsOnPage(page, 'Devices')));

    await visit('Live', /^Live/);
    await page.getByRole('button', { name: 'Start' }).click();
    const liveStatus = page.getByRole('toolbar', { name: 'Stream controls' }).getByRole('status');
    await expect.poll(() => liveStatus.textContent(), { timeout: 10_000 }).toContain('Streaming');
    await page.waitForTimeout(1500);
    found.push(...(await internalIdsOnPage(page, 'Live (streaming)')));
    await page.getByRole('button', { name: 'Stop', exact: true }).click();

    await visit('Sessions', /^Sessions/);
    const open = page.getByRole('button', { name: /^Open session of/ });
    await expect.poll(() => open.count()).toBeGreaterThan(20);
    const analysis = page.getByRole('region', { name: 'Analysis' });
    let analysed = 0;
    for (let i = 0; i < (await open.count()); i++) {
      await open.nth(i).click();
      await expect.poll(() => page.locator('tr.row--selected').count()).toBe(1);
      await expect
        .poll(async () => /Not analysed yet|Indicators/.test((await analysis.textContent()) ?? ''), {
          timeout: 10_000,
        })
        .toBe(true);
      if ((await analysis.getByRole('table', { name: 'Indicators' }).count()) === 1) analysed += 1;
      found.push(...(await internalIdsOnPage(page, `Sessions, session ${i + 1}`)));
    }
    // At least the four seeded demo recordings come with their analysis, so analysed screens are scanned too.
    expect(analysed).toBeGreaterThanOrEqual(4);

    await visit('Doses', /^Doses/);
    found.push(...(await internalIdsOnPage(page, 'Doses')));

    await visit('Trends', /^Trends/);
    await page.getByLabel('Patient').selectOption(SEEDED_PATIENT);
    const options = page.getByLabel('Indicator').locator('option');
    await expect.poll(() => options.count()).toBeGreaterThan(20);
    const ids = await options.evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const id of ids) {
      await page.getByLabel('Indicator').selectOption(id);
      await expect
        .poll(() => page.getByRole('img', { name: /over time/ }).count(), { timeout: 10_000 })
        .toBeGreaterThan(0);
      found.push(...(await internalIdsOnPage(page, `Trends, ${id}`)));
    }

    // The visit report of the last session opened (a seeded trend session: its day has 4 sessions).
    await visit('Visit report', /^Visit report/);
    await expect
      .poll(() => page.getByRole('table', { name: 'Sessions of the visit' }).count(), { timeout: 20_000 })
      .toBe(1);
    found.push(...(await internalIdsOnPage(page, 'Visit report')));

    await visit('Settings', /^Settings/);
    found.push(...(await internalIdsOnPage(page, 'Settings')));

    expect(found, found.join('\n')).toEqual([]);
  });
});
