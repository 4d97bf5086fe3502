import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { openShell, type ShellUnderTest } from './harness.js';
import { SEEDED_PATIENT, SEEDED_VISITS, seedTrends } from './seed-trends.js';

describe('settings in the browser shell', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('reaches Settings by keyboard, saves mains frequency and theme, and keeps them after a reload', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Settings' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');

    await page.getByRole('radio', { name: '60 Hz' }).check();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.screenshot({ path: 'docs/screenshots/settings-dark.png' });

    await page.reload();
    await expect.poll(() => page.getByRole('radio', { name: '60 Hz' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => page.getByText(shell.dataDir).count()).toBe(1);

    // "Same as the computer" follows the computer's setting, also when it changes while Tonus is open.
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('radio', { name: 'Same as the computer' }).check();
    await expect.poll(theme).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
  });
});

describe('angle units in the browser shell', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1440, height: 900 }, seedTrends);
  });
  afterAll(async () => {
    await shell?.close();
  });

  /** Opens Trends on the seeded patient's angle of catch and returns the data table's value cells. */
  async function angleOfCatchValues(page: Page): Promise<string[]> {
    await page.getByRole('link', { name: 'Trends' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Trends');
    await page.getByLabel('Patient').selectOption(SEEDED_PATIENT);
    await expect.poll(() => page.getByLabel('Indicator').locator('option[value="aoc"]').count()).toBe(1);
    await page.getByLabel('Indicator').selectOption('aoc');
    // Pre-dose and post-dose sessions of every visit, left side.
    const sessions = SEEDED_VISITS * 2;
    const rows = page.locator('table', { hasText: 'Angle of catch (R1) per session' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(sessions);
    return rows.locator('td:nth-child(3)').allTextContents();
  }

  const number = (text: string): number => Number.parseFloat(text);

  it('shows angles and angular velocities in radians once chosen, on Live and Trends, and after a reload', async () => {
    const { page } = shell;
    const inDegrees = await angleOfCatchValues(page);
    expect(inDegrees.every((t) => / °$/.test(t))).toBe(true);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Radians (rad, rad/s)' }).check();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved.');
    expect(await page.getByText(/CSV reports and exports stay in degrees/).count()).toBe(1);

    // Trends: the same sessions, each value now in radians (3 significant digits), and the text says rad.
    const inRadians = await angleOfCatchValues(page);
    expect(inRadians.every((t) => / rad$/.test(t))).toBe(true);
    inRadians.forEach((t, i) =>
      expect(Math.abs(number(t) - (number(inDegrees[i] ?? '') * Math.PI) / 180)).toBeLessThan(0.006),
    );
    const timeChart = page.getByRole('img', { name: /Angle of catch \(R1\) over time/ });
    expect(await timeChart.getAttribute('aria-label')).toMatch(
      /Baseline ± MDC95, Pre-dose \(trough\): [01]\.\d+–1\.\d+ rad \(mean 1\.\d+, MDC95 0\.\d+ rad/,
    );
    expect(await page.getByText(/^Values in rad\. A change "exceeds MDC"/).count()).toBeGreaterThan(0);
    expect(await page.getByText(/^Theil–Sen slope −?[\d.]+ rad per hour/).count()).toBe(1);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/trends-radians.png', fullPage: true });

    // Live: the demo device's stretch velocity and its scripted fast stretch (~320 °/s ≈ 5.6 rad/s).
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toContain('Streaming');
    const indicators = page.getByRole('region', { name: 'Live indicators' });
    await expect.poll(() => indicators.textContent(), { timeout: 10_000 }).toMatch(/\d\.\d\d rad\/s/);
    await expect
      .poll(() => indicators.textContent(), { timeout: 15_000 })
      .toMatch(/peak (3|4|5|6)\.\d\d rad\/s/);
    expect(await indicators.textContent()).not.toContain('°/s');
    const meter = indicators.getByRole('meter', { name: /^Stretch velocity, 0 to 6\.98 rad\/s$/ });
    expect(Number(await meter.getAttribute('max'))).toBeCloseTo((400 * Math.PI) / 180, 6);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/live-radians.png' });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Stopped');

    // The choice is read back at start.
    await page.reload();
    const afterReload = await angleOfCatchValues(page);
    expect(afterReload).toEqual(inRadians);
  });

  it('shows the review of an imported session in radians: indicators, event tables and event charts', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page
      .getByLabel('File on this computer')
      .first()
      .fill(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
    await page.getByRole('button', { name: 'Import' }).click();
    const stretches = page.getByRole('table', { name: 'Stretches' });
    await expect.poll(() => stretches.count(), { timeout: 20_000 }).toBe(1);
    const headers = await stretches.getByRole('columnheader').allTextContents();
    expect(headers).toContain('Peak velocity (rad/s)');
    expect(headers).toContain('Start angle (rad)');
    expect(headers.join(' ')).not.toMatch(/°/);
    // Peak velocities of the demo's stretches are a few rad/s, not hundreds of °/s.
    const column = headers.indexOf('Peak velocity (rad/s)') + 1;
    const peaks = (await stretches.locator(`tbody tr td:nth-child(${column})`).allTextContents()).map(Number);
    expect(peaks.length).toBeGreaterThan(0);
    for (const v of peaks) expect(Math.abs(v)).toBeLessThan(15);
    const indicators = page.getByRole('table', { name: 'Indicators' });
    const rom = indicators.locator('tr', { hasText: 'Range at slow stretch (R2)' });
    expect(await rom.locator('td').first().textContent()).toMatch(/^\d\.\d{3} rad$/);
    expect(await indicators.textContent()).not.toMatch(/°/);
    const charts = page.getByRole('region', { name: 'Charts of each event' }).getByRole('img');
    await expect.poll(() => charts.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const labels = await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels.some((l) => /catch at \d+\.\d\d s, angle -?\d\.\d\d rad/.test(l))).toBe(true);
    expect(labels.join(' ')).not.toMatch(/°/);
    await page
      .getByRole('region', { name: 'Analysis' })
      .screenshot({ path: 'docs/screenshots/review-radians.png' });
  });

  it('gives slow-stretch guidance in rad/s while recording, with Tardieu angles still entered in degrees', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('button', { name: `New session for ${SEEDED_PATIENT}` }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe(`New session — ${SEEDED_PATIENT}`);
    await page.getByLabel('Protocol').selectOption('passive-stretch-slow');
    expect(await page.getByText('3 slow stretches (≤ 0.52 rad/s,', { exact: false }).count()).toBe(1);
    expect(await page.getByLabel('Tardieu R1, angle of catch (°)').count()).toBe(1);
    expect(await page.getByText(/Tardieu angles are entered in degrees \(°\)/).count()).toBe(1);
    await page.getByRole('button', { name: 'Start recording' }).click();

    // The demo device's fast stretch (every 8 s) is far too fast for a slow one: said in rad/s.
    const guidance = page.getByRole('region', { name: 'Recording' }).getByLabel('Protocol guidance');
    await expect
      .poll(() => guidance.textContent(), { timeout: 20_000 })
      .toMatch(/Slow stretch 1 of 3.*\d\.\d\d rad\/s.* too fast/);
    expect(await guidance.textContent()).not.toContain('°/s');
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).not.toBe('Live signals');
  });
});
