import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { readRecordingFile } from '../../src/io/read-recording.node.js';
import { openShell, type ShellUnderTest } from './harness.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

describe('research flow: import a BDF+ fixture, replay at 8x, export CSV', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('refuses a file that is not a recording, saying why', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('File on this computer').first().fill(join(packageRoot(), 'package.json'));
    await page.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Not imported: .*package\.json.*unrecognised recording format/);
  });

  it('imports, replays at 8x on the Live screen, and exports CSV whose samples match the file', async () => {
    const { page } = shell;
    await page.getByLabel('File on this computer').first().fill(fixture);
    await page.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByRole('region', { name: 'Session summary' });
    await expect.poll(() => summary.textContent()).toContain('Complete');
    const recording = readRecordingFile(fixture);
    const emg = recording.streams.find((s) => s.descriptor.id === 'emg');
    expect(await summary.textContent()).toContain((emg?.data[0]?.length ?? 0).toLocaleString('en-US'));

    await page.getByRole('region', { name: 'Replay' }).getByLabel('Speed').selectOption('8');
    await page.getByRole('button', { name: 'Replay on Live screen' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live signals');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('Streaming');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: 'docs/screenshots/replay.png' });
    await page.getByRole('button', { name: 'Stop' }).click();

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page
      .getByRole('button', { name: /^Open session/ })
      .first()
      .click();
    const out = mkdtempSync(join(tmpdir(), 'tonus-export-'));
    const exportCard = page.getByRole('region', { name: 'Export' });
    await exportCard.getByLabel('Format').selectOption('csv');
    await exportCard.getByLabel('Folder on this computer').fill(out);
    // Every state the export's progress bar is rendered in, kept by a MutationObserver in the page.
    await page.evaluate(() => {
      const seen: { value: string | null; text: string | null }[] = [];
      (window as unknown as { progressSeen: typeof seen }).progressSeen = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('progress[aria-label="Exporting"]'))
          seen.push({ value: bar.getAttribute('value'), text: bar.getAttribute('aria-valuetext') });
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await exportCard.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Saved:');
    const progressSeen = await page.evaluate(
      () =>
        (window as unknown as { progressSeen: { value: string | null; text: string | null }[] }).progressSeen,
    );
    expect(progressSeen.length).toBeGreaterThan(0);
    for (const { value, text } of progressSeen) {
      if (value === null) expect(text).toBe('Exporting…');
      else {
        expect(Number(value)).toBeGreaterThanOrEqual(0);
        expect(Number(value)).toBeLessThanOrEqual(1);
        expect(text).toBe(`Exporting… ${Math.floor(Number(value) * 100)} %`);
      }
    }
    await page.screenshot({ path: 'docs/screenshots/export.png', fullPage: true });
    // The file names patient DEMO-001, who is not in this data folder: no patient, so no EMG-BIDS yet.
    expect(await exportCard.getByRole('button', { name: /EMG-BIDS/ }).isDisabled()).toBe(true);
    expect(await exportCard.textContent()).toContain('EMG-BIDS needs a patient: this session has none.');

    const files = readdirSync(out).sort();
    expect(files.some((f) => f.endsWith('-emg.csv'))).toBe(true);
    const csv = readFileSync(join(out, files.find((f) => f.endsWith('-emg.csv')) as string), 'utf8')
      .trim()
      .split('\n');
    const header = csv.find((l) => !l.startsWith('#')) ?? '';
    expect(header).toMatch(/uV/);
    const rows = csv.slice(csv.indexOf(header) + 1);
    expect(rows).toHaveLength(emg?.data[0]?.length ?? -1);
    const first = rows[0]?.split(',') ?? [];
    const value = Number(first[first.length - (emg?.data.length ?? 1)]);
    expect(value).toBeCloseTo(emg?.data[0]?.[0] ?? NaN, 2);
  });
});
