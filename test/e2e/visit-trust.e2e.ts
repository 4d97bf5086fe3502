import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { openShell, type ShellUnderTest } from './harness.js';

/** The text of the focused element's accessible name, or its tag when it has none. */
const focused = (shell: ShellUnderTest): Promise<string> =>
  shell.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'BODY';
    return (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim();
  });

describe('a visit a therapist trusts, at 1366×768: warnings, guided device, honest live state, focus', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1366, height: 768 });
    mkdirSync('docs/screenshots', { recursive: true });
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('warns about a birth year in the future at its field, saves anyway, and shows a refusal in words there', async () => {
    const { page } = shell;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patients');
    // The first Tab reaches the skip link; it takes focus to the screen's heading.
    await page.keyboard.press('Tab');
    expect(await focused(shell)).toBe('Skip to the screen');
    await page.keyboard.press('Enter');
    expect(await focused(shell)).toBe('Patients');

    await page.getByRole('button', { name: 'Add patient' }).click();
    await page.getByLabel('Pseudonymous code').fill('P-016');
    await page.getByLabel('Weight (kg, for mg/kg doses)').fill('5000');
    await page.getByLabel('Birth year').fill('2099');
    const birthYear = page.getByLabel('Birth year');
    const note = page.locator(`#${await birthYear.getAttribute('aria-describedby')}`);
    expect(await note.textContent()).toMatch(/Birth year 2099 is in the future \(this year is \d{4}\)\./);
    await page.screenshot({ path: 'docs/screenshots/patient-birth-year-warning.png' });
    await page.getByRole('button', { name: 'Save anyway' }).click();
    // The server refuses 5000 kg: said at the weight field, in words, not as schema text.
    const weight = page.getByLabel('Weight (kg, for mg/kg doses)');
    await expect.poll(() => weight.getAttribute('aria-invalid')).toBe('true');
    const weightNote = page.locator(`#${await weight.getAttribute('aria-describedby')}`);
    expect(await weightNote.textContent()).toBe('✖ Must be at most 500.');
    expect(await page.locator('form').textContent()).not.toMatch(/Too big|expected number/);

    await weight.fill('24');
    await page.getByLabel('Birth year').fill('2016');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => focused(shell)).toBe('Patient P-016 saved and selected.');
  });

  it('shows Start recording without scrolling, guides "Other device", and focuses the recording on Start', async () => {
    const { page } = shell;
    await page.getByRole('button', { name: 'New session for P-016' }).click();
    await expect.poll(() => focused(shell)).toBe('New session — P-016');
    const start = page.getByRole('button', { name: 'Start recording' });
    const box = await start.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 768).toBe(true);
    await page.screenshot({ path: 'docs/screenshots/new-session-1366.png' });

    await page
      .getByLabel('Device', { exact: true })
      .selectOption({ label: 'Other device (USB, serial or Bluetooth)…' });
    await page.getByLabel('Kind').selectOption({ label: 'BITalino' });
    await start.click();
    // Nothing typed yet: what is missing is said at the field, and nothing starts.
    expect(await page.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Enter the port, e.g. /dev/ttyUSB0 or COM3.').count()).toBe(1);
    expect(await page.getByLabel('Sampling rate').inputValue()).toBe('1000');
    await page.getByLabel('Port').fill('/dev/ttyUSB0');
    await page.getByText('Advanced: device spec').click();
    expect(await page.getByLabel('Device spec').getAttribute('placeholder')).toBe(
      'serial:/dev/ttyUSB0?kind=bitalino',
    );
    await page.screenshot({ path: 'docs/screenshots/new-session-other-device.png', fullPage: true });
    const startBox = await start.boundingBox();
    expect(startBox && startBox.y + startBox.height <= 768).toBe(true);

    await page
      .getByLabel('Device', { exact: true })
      .selectOption({ label: 'Demo device (synthetic EMG + IMU)' });
    await page.getByLabel('Protocol').selectOption('passive-stretch-fast');
    await start.click();
    await expect.poll(() => focused(shell)).toBe('Recording');
  });

  it('records with the joint angle, markers on the charts, one announcement per step, quiet counters', async () => {
    const { page } = shell;
    const recording = page.getByRole('region', { name: 'Recording', exact: true });
    await expect
      .poll(() => recording.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d,]* samples stored/);
    // The counters change twice a second: readable, never announced.
    expect(await recording.getByRole('status').getAttribute('aria-live')).toBe('off');
    const step = recording.locator('[aria-live="polite"]');
    expect(await step.textContent()).toMatch(/^Fast stretch [0-3] of 3 (counted|done)/);
    expect(await page.getByRole('region', { name: 'Not recording' }).count()).toBe(0);
    await expect
      .poll(() => page.getByRole('img', { name: /^Live Joint angle chart, 1 channels/ }).count())
      .toBe(1);

    await page.keyboard.press('m');
    await expect.poll(() => recording.getByRole('status').textContent()).toContain('1 marker');
    await page.keyboard.press('p');
    await expect
      .poll(() => step.textContent())
      .toMatch(/^Recording paused, nothing is being stored\. Fast stretch/);
    await page.keyboard.press('p');
    await expect.poll(() => step.textContent()).not.toMatch(/paused/);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: 'docs/screenshots/live-recording-markers.png', fullPage: true });
    await recording.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => focused(shell)).toBe('Sessions — P-016');
  });

  it('marks streaming without a recording as "Not recording", and keeps focus on Start and Stop', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Live' }).click();
    await expect.poll(() => focused(shell)).toBe('Live signals');
    await page.getByRole('button', { name: 'Start', exact: true }).focus();
    await page.keyboard.press('Enter');
    const notRecording = page.getByRole('region', { name: 'Not recording' });
    await expect.poll(() => notRecording.count(), { timeout: 10_000 }).toBe(1);
    expect(await notRecording.textContent()).toContain('nothing is stored');
    expect(await page.getByRole('region', { name: 'Recording', exact: true }).count()).toBe(0);
    expect(await focused(shell)).toBe('Stop');
    await page.waitForTimeout(1500);
    await page.screenshot({ path: 'docs/screenshots/live-not-recording.png' });
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(shell)).toBe('Start');
  });

  it('warns about 5000 mg of oral baclofen at the amount with the reason and source, logs anyway, short tab path', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Doses' }).click();
    await expect.poll(() => focused(shell)).toBe('Doses — P-016');
    const amount = page.getByLabel('Amount (mg)');
    await amount.fill('5000');
    const note = page.locator(`#${await amount.getAttribute('aria-describedby')}`);
    expect(await note.textContent()).toContain(
      '5000 mg in one oral dose is above the usual maximum single dose of 20 mg.',
    );
    expect(await note.textContent()).toContain('2 mg/kg a day');
    expect(await note.textContent()).toContain('Source: Baclofen tablets label');
    await page.getByLabel('Entered by (initials)').fill('AB');
    await page.screenshot({ path: 'docs/screenshots/doses-warning.png' });
    await page.getByRole('button', { name: 'Log dose anyway' }).click();
    await expect.poll(() => focused(shell)).toBe('Dose logged.');

    // Tab stops around the whole page, skip link and navigation included (each field of a date-time input
    // counts): from the skip link until focus comes back to it.
    await page.locator('.skip-link').focus();
    let stops = 0;
    for (; stops < 80; stops++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('skip-link'))) break;
    }
    console.log(`Doses: ${stops} tab stops`);
    expect(stops).toBeLessThan(40);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('light');
  });

  it('deletes a session and a patient with undo: hidden at once, Undo focused, back again', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('table', { name: 'Sessions' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Delete this session' }).click();
    await expect.poll(() => focused(shell)).toBe('Undo');
    // Both instants in the app's one date/time format (formatDateTime: medium date, short time).
    const dateTime = String.raw`[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M`;
    expect(await page.getByRole('status').first().textContent()).toMatch(
      new RegExp(
        `^Session of P-016 from ${dateTime} deleted\\. It is kept until ${dateTime} and can be brought back until then\\.`,
      ),
    );
    await expect
      .poll(() => page.getByRole('table', { name: 'Sessions' }).textContent())
      .not.toContain('P-016');
    await page.screenshot({ path: 'docs/screenshots/delete-undo.png' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('table', { name: 'Sessions' }).textContent()).toContain('P-016');

    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('button', { name: 'Select P-016' }).click();
    const navigation = page.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => navigation.textContent()).toContain('Patient P-016');
    await page.getByRole('button', { name: 'Delete P-016' }).click();
    await expect.poll(() => focused(shell)).toBe('Undo');
    expect(await page.getByRole('rowheader', { name: 'P-016' }).count()).toBe(0);
    await expect.poll(() => navigation.textContent()).toContain('No patient selected');
    await page.screenshot({ path: 'docs/screenshots/patient-delete-undo.png' });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('rowheader', { name: 'P-016' }).count()).toBe(1);
    await expect.poll(() => navigation.textContent()).toContain('Patient P-016');
  });

  it('imports a recording chosen with the file chooser and one dropped onto the form (uploaded first)', async () => {
    const { page } = shell;
    const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');
    await page.getByRole('link', { name: 'Sessions' }).click();
    const rows = page.getByRole('table', { name: 'Sessions' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const before = await rows.count();
    await page.getByLabel('Choose a file, or drop it here').setInputFiles(fixture);
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(before + 1);

    const drop = await page.evaluateHandle((b64) => {
      const transfer = new DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], 'dropped visit.bdf'));
      return transfer;
    }, readFileSync(fixture).toString('base64'));
    await page
      .getByRole('form', { name: /^Import a recording/ })
      .dispatchEvent('drop', { dataTransfer: drop });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(before + 2);
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
