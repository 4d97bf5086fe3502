import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { readRecordingFile } from '../../src/io/read-recording.node.js';
import { openShell, type ShellUnderTest } from './harness.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

describe('session review: a chart of each event with the catch and EMG onset marked', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('draws one chart per stretch after an import, described for screen readers with the catch', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('File on this computer').first().fill(fixture);
    await page.getByRole('button', { name: 'Import' }).click();
    const charts = page.getByRole('region', { name: 'Charts of each event' });
    await expect.poll(() => charts.count(), { timeout: 20_000 }).toBe(1);
    const stretchRows = page.getByRole('table', { name: 'Stretches' }).locator('tbody tr');
    const images = charts.getByRole('img');
    await expect.poll(() => images.count(), { timeout: 10_000 }).toBe(Math.min(6, await stretchRows.count()));
    const labels = await images.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels[0]).toMatch(/^Stretch 1, .*joint angle, angular velocity and EMG envelope/);
    expect(labels.some((l) => /catch at \d+\.\d\d s, angle -?\d+°/.test(l))).toBe(true);
    // The chart really drew: its canvas has non-background pixels.
    const drawn = await images.first().evaluate((c) => (c as HTMLCanvasElement).toDataURL().length > 5000);
    expect(drawn).toBe(true);
    await charts.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/review-events.png', fullPage: true });
  });

  it('replays the session on the Live screen and seeks with the slider', async () => {
    const { page } = shell;
    await page.getByRole('region', { name: 'Replay' }).getByLabel('Speed').selectOption('1');
    await page.getByRole('button', { name: 'Replay on Live screen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live signals');
    const slider = page.getByRole('slider', { name: 'Replay position' });
    await expect.poll(() => slider.count(), { timeout: 10_000 }).toBe(1);
    expect(Number(await slider.getAttribute('max'))).toBeCloseTo(16, 0);
    await slider.fill('12');
    await expect
      .poll(async () =>
        Number(/^([\d.]+) s of/.exec((await slider.getAttribute('aria-valuetext')) ?? '')?.[1]),
      )
      .toBeGreaterThanOrEqual(12);
    await slider.focus();
    await page.keyboard.press('Home');
    await expect
      .poll(async () =>
        Number(/^([\d.]+) s of/.exec((await slider.getAttribute('aria-valuetext')) ?? '')?.[1]),
      )
      .toBeLessThan(12);
    // Jump to just before the fast stretch so the screenshot shows it arriving.
    await slider.fill('11');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: 'docs/screenshots/replay.png' });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => slider.count()).toBe(0);
  });

  it('exports as downloads in the browser shell: CSV per stream and BDF+, with the samples of the file', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page
      .getByRole('button', { name: /^Open session/ })
      .first()
      .click();
    const exportCard = page.getByRole('region', { name: 'Export' });
    await exportCard.getByLabel('Format').selectOption('csv');
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await exportCard.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toMatch(/^Downloaded: /);
    await expect.poll(() => downloads.length).toBe(2);
    const names = downloads.map((d) => d.suggestedFilename()).sort();
    expect(names).toEqual([expect.stringMatching(/-emg\.csv$/), expect.stringMatching(/-imu\.csv$/)]);
    const emgDownload = downloads.find((d) => d.suggestedFilename().endsWith('-emg.csv')) as Download;
    const csv = readFileSync((await emgDownload.path()) as string, 'utf8')
      .trim()
      .split('\n');
    const header = csv.find((l) => !l.startsWith('#') && !l.startsWith('\ufeff#')) ?? '';
    const emg = readRecordingFile(fixture).streams.find((st) => st.descriptor.id === 'emg');
    expect(csv.slice(csv.indexOf(header) + 1)).toHaveLength(emg?.data[0]?.length ?? -1);

    await exportCard.getByLabel('Format').selectOption('bdf');
    await exportCard.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => downloads.length).toBe(3);
    const bdf = readFileSync((await downloads[2]?.path()) as string);
    expect(bdf.subarray(1, 8).toString('latin1')).toBe('BIOSEMI');
    expect(readRecordingFile((await downloads[2]?.path()) as string, { format: 'bdf' }).streams).toHaveLength(
      readRecordingFile(fixture).streams.length,
    );
    await exportCard.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/export-download.png' });
  });
});
