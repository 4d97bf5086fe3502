import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';
import { SEEDED_INDICATORS, SEEDED_PATIENT, SEEDED_VISITS, seedTrends } from './seed-trends.js';

/** Okabe–Ito colours of the trough and peak markers (renderer/trends-format.ts). */
const TROUGH_RGB = [0x00, 0x72, 0xb2] as const;
const PEAK_RGB = [0xd5, 0x5e, 0x00] as const;

/** Painted pixels of the canvas labelled `label`, and how many are (near) each of `colours`. */
async function canvasPixels(
  page: Page,
  label: RegExp,
  colours: readonly (readonly [number, number, number])[],
): Promise<{ painted: number; matches: number[] }> {
  const canvas = page.getByRole('img', { name: label });
  return canvas.evaluate((el, cs) => {
    const c = el as HTMLCanvasElement;
    const data = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    const matches = cs.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] as number) < 200) continue;
      painted++;
      cs.forEach(([r, g, b], k) => {
        const d =
          Math.abs((data[i] as number) - r) +
          Math.abs((data[i + 1] as number) - g) +
          Math.abs((data[i + 2] as number) - b);
        if (d < 24) matches[k] = (matches[k] as number) + 1;
      });
    }
    return { painted, matches };
  }, colours);
}

describe('trends in the browser shell', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1440, height: 900 }, seedTrends);
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('shows the seeded trend with phases, MDC band, doses, fits, comparisons and the therapy window', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Trends' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Trends');

    await page.getByLabel('Patient').selectOption(SEEDED_PATIENT);
    await expect
      .poll(() => page.getByLabel('Indicator').locator('option').allTextContents())
      .toEqual([
        'EMG during fast stretch',
        'EMG increase slow → fast',
        'Angle of catch (R1)',
        'Range at slow stretch (R2)',
      ]);
    expect(
      await page
        .getByLabel('Indicator')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual([...SEEDED_INDICATORS]);
    await page.getByLabel('Indicator').selectOption('rmsHV');
    await expect
      .poll(() => page.getByLabel('Muscle and side').locator('option').allTextContents())
      .toEqual(['gastrocnemius, left', 'gastrocnemius, right']);
    await page.getByLabel('Muscle and side').selectOption({ label: 'gastrocnemius, left' });

    const timeChart = page.getByRole('img', { name: /over time, gastrocnemius, left/ });
    await expect.poll(() => timeChart.count()).toBe(1);
    const label = (await timeChart.getAttribute('aria-label')) ?? '';
    expect(label).toContain(`${SEEDED_VISITS * 2} sessions`);
    // One band per dose phase, each named (troughs and peaks differ by the drug's effect).
    expect(label).toMatch(/Baseline ± MDC95, Pre-dose \(trough\): [\d.]+–[\d.]+ µV/);
    expect(label).toMatch(/Baseline ± MDC95, Post-dose \(peak\): [\d.]+–[\d.]+ µV/);
    expect(label).toMatch(/dose 7\.5 mg from 22 Sept?\.? 2026/);
    // One pre- and one post-dose session per visit: no repeats, so the MDC95 is the published one, named.
    expect(await page.getByRole('list', { name: 'Smallest real change' }).textContent()).toMatch(
      /^Smallest real change: [\d.]+ µV \(published value, Schless et al\. 2015: .*\)\. This patient has 0 of the 5 repeats needed/,
    );

    // Both phases are drawn in their own colours, and the scatter charts are painted too.
    const time = await canvasPixels(page, /over time/, [TROUGH_RGB, PEAK_RGB]);
    expect(time.painted).toBeGreaterThan(5000);
    expect(time.matches[0]).toBeGreaterThan(100);
    expect(time.matches[1]).toBeGreaterThan(100);
    for (const name of [/by hours since the last dose/, /by relative concentration/]) {
      const scatter = await canvasPixels(page, name, [TROUGH_RGB, PEAK_RGB]);
      expect(scatter.matches[0]).toBeGreaterThan(50);
      expect(scatter.matches[1]).toBeGreaterThan(50);
    }
    await expect
      .poll(() =>
        page
          .getByText(
            /^Theil–Sen slope −?[\d.]+ µV per (hour|unit of relative concentration) \(n = 20, 95 % bootstrap interval −?[\d.]+ to −?[\d.]+\)$/,
          )
          .count(),
      )
      .toBe(2);

    // The within-day view overlays the predicted C_rel after the last dose before the last session.
    expect(
      await page
        .getByRole('img', {
          name: /predicted relative concentration after the dose of 10 Oct, 14:00/,
        })
        .count(),
    ).toBe(1);

    // The data table alternative lists the band, the dose change, the side effect and every session.
    const details = page.locator('details', { hasText: 'Data table: 20 sessions' });
    await details.locator('summary').focus();
    await page.keyboard.press('Enter');
    const marked = details.getByRole('list', { name: 'Marked on the chart' });
    await expect
      .poll(() => marked.getByText(/^Baseline ± MDC95, Pre-dose \(trough\): /).isVisible())
      .toBe(true);
    expect(await marked.getByText(/^Baseline ± MDC95, Post-dose \(peak\): /).count()).toBe(1);
    expect(await marked.getByText(/^Dose change: 7\.5 mg at /).count()).toBe(1);
    // The seeded doses of the day before the first session are drawn and counted too.
    expect(await marked.getByText(/^\d+ doses taken/).textContent()).toMatch(
      /^\d+ doses taken \(\d+ in the day before the first session\)/,
    );
    expect(await marked.getByText('Side effect: drowsiness (mild)', { exact: false }).count()).toBe(1);
    expect(await details.locator('tbody tr').count()).toBe(SEEDED_VISITS * 2);
    expect(await details.locator('tbody tr', { hasText: 'Pre-dose (trough) (circle)' }).count()).toBe(
      SEEDED_VISITS,
    );
    expect(await details.locator('tbody tr', { hasText: 'Post-dose (peak) (triangle)' }).count()).toBe(
      SEEDED_VISITS,
    );
    await details.locator('summary').click();

    // Zoom and pan by keyboard: the visible range (announced in a status line) narrows, moves, and resets.
    const range = page.getByRole('toolbar', { name: 'Zoom and pan the time axis' }).getByRole('status');
    await expect.poll(() => range.textContent()).toMatch(/^Showing /);
    const all = await range.textContent();
    await page.getByRole('button', { name: 'Zoom in' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => range.textContent()).not.toBe(all);
    const zoomed = await range.textContent();
    await page.getByRole('button', { name: '← Earlier' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => range.textContent()).not.toBe(zoomed);
    await page.getByRole('button', { name: 'Show all' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => range.textContent()).toBe(all);

    // Comparisons judged against MDC95 in words.
    const prePost = page.locator('table', { has: page.getByRole('columnheader', { name: 'Pre-dose' }) });
    expect(await prePost.locator('tbody tr').count()).toBe(SEEDED_VISITS);
    // Each judgement says in words what the numbers say: "exceeds" only when |change| > MDC95.
    const note = await page
      .getByText(/^Values in µV\. A change "exceeds MDC"/)
      .first()
      .textContent();
    const mdc = Number(/MDC95 = ([\d.]+) µV/.exec(note ?? '')?.[1]);
    expect(mdc).toBeGreaterThan(0);
    for (const row of await prePost.locator('tbody tr').all()) {
      const cells = (await row.locator('td').allTextContents()).map((t) =>
        Number.parseFloat(t.replace('−', '-')),
      );
      const judgement = (await row.locator('td').last().textContent()) ?? '';
      const exceeds = Math.abs(cells[2] as number) > mdc;
      expect(judgement).toBe(exceeds ? 'Real change (beyond MDC95)' : 'No change beyond measurement error');
    }
    const across = page.locator('table', { has: page.getByRole('columnheader', { name: 'From visit' }) });
    expect(await across.locator('tbody tr').count()).toBe(2 * (SEEDED_VISITS - 1));

    // Therapy window in plain words, with how sure it is, as decision support.
    const windowPanel = page.getByRole('region', { name: 'When after a dose is tone lowest?' });
    expect(await windowPanel.textContent()).toContain('Decision support only, not a dosing recommendation');
    expect(await windowPanel.textContent()).toMatch(
      /In 20 sessions recorded up to 8 h after an oral dose, EMG during fast stretch was lowest 1–1\.5 h after the dose/,
    );
    expect(await windowPanel.textContent()).toMatch(
      /How sure: in 95 % of resamples the best time fell between/,
    );

    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/trends.png', fullPage: true });

    // Dark theme: the charts are rebuilt with the theme's colours.
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await expect
      .poll(async () => (await canvasPixels(page, /over time/, [[0xee, 0xf0, 0xf3]])).matches[0] ?? 0)
      .toBeGreaterThan(200);
    await page.screenshot({ path: 'docs/screenshots/trends-dark.png', fullPage: true });
    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));

    // An algorithm change starts new lines and a new baseline band; nothing connects across it.
    await page.getByLabel('Indicator').selectOption('deltaRms');
    const deltaChart = page.getByRole('img', { name: /EMG increase slow → fast over time/ });
    await expect.poll(() => deltaChart.count()).toBe(1);
    const deltaLabel = (await deltaChart.getAttribute('aria-label')) ?? '';
    for (const line of [
      'Pre-dose (trough) · Passive-stretch analysis, version 1 (circles, 6)',
      'Pre-dose (trough) · Passive-stretch analysis, version 2 (circles, 4)',
      'Post-dose (peak) · Passive-stretch analysis, version 1 (triangles, 6)',
      'Post-dose (peak) · Passive-stretch analysis, version 2 (triangles, 4)',
    ])
      expect(deltaLabel).toContain(line);
    // Two algorithm versions × two dose phases: four bands.
    expect(deltaLabel.match(/Baseline ± MDC95, /g)?.length).toBe(4);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/trends-algorithm-change.png' });

    // An indicator where higher means less resistance gets no timing suggestion.
    await page.getByLabel('Indicator').selectOption('aoc');
    await expect
      .poll(() => windowPanel.textContent())
      .toContain('No timing suggestion is shown for this indicator');
  });

  it('says so in words when a patient has no indicator values yet', async () => {
    const { page, origin, token } = shell;
    const created = await page.evaluate(
      async ([o, t]) => {
        const r = await fetch(`${o}/api/createPatient`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tonus-token': t as string },
          body: JSON.stringify({ code: 'TR-EMPTY' }),
        });
        return ((await r.json()) as { ok: boolean }).ok;
      },
      [origin, token],
    );
    expect(created).toBe(true);
    await page.reload();
    await page.getByLabel('Patient').selectOption('TR-EMPTY');
    await expect
      .poll(() => page.getByText('No indicator values for TR-EMPTY yet.', { exact: false }).isVisible())
      .toBe(true);
    expect(await page.getByRole('img').count()).toBe(0);
  });
});
