import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';

describe('clinic flow: patient, demo device, passive-stretch session, stop, review, dose', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('adds a patient, records fast passive stretches with guidance, a marker and pauses, and reviews it', async () => {
    const { page } = shell;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patients');
    await page.getByRole('button', { name: 'Add patient' }).click();
    await page.getByLabel('Pseudonymous code').fill('P-014');
    await page.getByLabel('Birth year').fill('2016');
    await page.getByLabel('GMFCS level').selectOption('2');
    await page.getByLabel('Affected side').selectOption('left');
    await page.getByLabel('Weight (kg, for mg/kg doses)').fill('24');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: 'P-014' }).count()).toBe(1);
    await page.screenshot({ path: 'docs/screenshots/patients.png' });

    await page.getByRole('button', { name: 'New session for P-014' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('New session — P-014');
    await page.getByLabel('Protocol').selectOption('passive-stretch-fast');
    await page.getByLabel('Muscle').selectOption('gastrocnemius');
    await page.getByLabel('Modified Ashworth').selectOption('1+');
    await page.screenshot({ path: 'docs/screenshots/new-session.png' });
    await page.getByRole('button', { name: 'Start recording' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live signals');
    const recording = page.getByRole('region', { name: 'Recording' });
    await expect
      .poll(() => recording.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d,]* samples stored/);
    await page.keyboard.press('m');
    await expect.poll(() => recording.getByRole('status').textContent()).toContain('1 marker');

    // Counted guidance: the demo device does one fast stretch every 8 s.
    const guidance = recording.getByLabel('Protocol guidance');
    expect(await guidance.textContent()).toMatch(/Fast stretch 1 of 3/);
    await expect.poll(() => guidance.textContent(), { timeout: 20_000 }).toMatch(/Fast stretch 2 of 3/);
    await recording.screenshot({ path: 'docs/screenshots/recording-guidance.png' });

    // Pause by button: the state says so, the recorded time stops, markers wait for the resume.
    const timer = recording.getByRole('timer');
    await recording.getByRole('button', { name: 'Pause recording' }).click();
    await expect.poll(() => recording.getByRole('status').textContent()).toMatch(/^Paused · /);
    expect(await recording.textContent()).toContain('Paused — nothing is being stored');
    expect(await recording.getByRole('button', { name: 'Add marker' }).isDisabled()).toBe(true);
    const pausedAt = await timer.textContent();
    await page.waitForTimeout(2500);
    expect(await timer.textContent()).toBe(pausedAt);
    expect(await guidance.textContent()).toContain('paused');
    await recording.screenshot({ path: 'docs/screenshots/recording-paused.png' });

    // Resume with P, pause with P, resume by button: the time runs again.
    await page.keyboard.press('p');
    await expect.poll(() => recording.getByRole('status').textContent()).not.toMatch(/Paused/);
    await expect.poll(() => timer.textContent(), { timeout: 5000 }).not.toBe(pausedAt);
    await page.keyboard.press('p');
    await expect.poll(() => recording.getByRole('status').textContent()).toMatch(/^Paused · /);
    await recording.getByRole('button', { name: 'Resume recording' }).click();
    await expect.poll(() => recording.getByRole('status').textContent()).not.toMatch(/Paused/);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: 'docs/screenshots/live-recording.png' });
    await page.getByRole('button', { name: 'Stop recording' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sessions — P-014');
    const summary = page.getByRole('region', { name: 'Session summary' });
    await expect.poll(() => summary.textContent()).toContain('Complete');
    expect(await summary.textContent()).toContain('Passive stretch, fast');
    const markersTable = await summary.getByRole('table', { name: 'Markers' }).textContent();
    expect(markersTable).toContain('Marker 1');
    expect(markersTable).toMatch(/Pause\s*Recording paused \(\d+\.\d s\)/);
    const emgRow = summary
      .getByRole('table', { name: 'Signal quality per stream' })
      .getByRole('row', { name: /EMG/ });
    expect(await emgRow.textContent()).toMatch(/2000 Hz/);
    const analysis = page.getByRole('region', { name: 'Analysis' });
    await expect
      .poll(() => analysis.getByRole('table', { name: 'Indicators' }).count(), { timeout: 20_000 })
      .toBe(1);
    expect(await analysis.getByRole('table', { name: 'Indicators' }).textContent()).toContain(
      'Angle of catch (R1)',
    );
    expect(await analysis.getByRole('table', { name: 'Stretches' }).textContent()).toMatch(/1\s*\d/);
    await page.screenshot({ path: 'docs/screenshots/review.png', fullPage: true });
  });

  it('logs an oral dose and shows it in the log with the dose timing', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Doses' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Doses — P-014');
    await page.getByLabel('Amount (mg)').fill('5');
    await page.getByLabel('Entered by (initials)').fill('AB');
    await page.getByRole('button', { name: 'Log dose' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Dose log' }).textContent()).toContain('5 mg');
    await expect
      .poll(() => page.getByRole('region', { name: 'Dose timing now' }).textContent())
      .toContain('Absorption');
  });

  it('says within 2 s that a hung or killed Tonus is unreachable, disables the controls, and resyncs', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'New session' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('New session — P-014');
    await page.getByLabel('Protocol').selectOption('rest');
    await page.getByRole('button', { name: 'Start recording' }).click();
    const recording = page.getByRole('region', { name: 'Recording' });
    await expect
      .poll(() => recording.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d,]* samples stored/);
    await page.waitForTimeout(1500);

    // A hung server first (its socket stays open but falls silent), then a crash.
    const pid = shell.server.pid;
    if (pid === undefined) throw new Error('the server has no process id');
    process.kill(pid, 'SIGSTOP');
    const hungAtMs = Date.now();
    const banner = page.getByRole('alert').filter({ hasText: 'Connection to Tonus lost' });
    await expect.poll(() => banner.count(), { timeout: 2000, interval: 50 }).toBe(1);
    console.log(`connection lost shown ${Date.now() - hungAtMs} ms after the server hung`);
    expect(await banner.textContent()).toMatch(
      /Connection to Tonus lost: the recording is stored up to \d\d:\d\d:\d\d; reconnecting…/,
    );
    expect(await recording.getByRole('button', { name: 'Stop recording' }).isDisabled()).toBe(true);
    expect(await recording.getByRole('button', { name: /Pause recording/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('toolbar', { name: 'Stream controls' }).textContent()).toContain(
      'Connection lost: streaming state unknown',
    );
    expect(await page.locator('main').textContent()).not.toMatch(/● ?(Recording|Streaming)/);
    expect(await recording.getByRole('timer').textContent()).toBe('--:--');
    expect(await page.getByRole('link', { name: /^Live/ }).textContent()).toBe('Live');
    await page.screenshot({ path: 'docs/screenshots/connection-lost.png' });

    await shell.killServer();
    await page.waitForTimeout(1000);
    expect(await banner.count()).toBe(1);
    await shell.restartServer();
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    const notice = page.getByRole('status').filter({ hasText: 'ended while Tonus was unreachable' });
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(1);
    expect(await notice.textContent()).toMatch(/P-014 ended while Tonus was unreachable: it is stored up to/);
    expect(await page.getByRole('region', { name: 'Recording' }).count()).toBe(0);
    await notice.getByRole('button', { name: 'Review it' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sessions — P-014');
    await expect
      .poll(() => page.getByRole('region', { name: 'Session summary' }).textContent())
      .toContain('Interrupted');
  });
});
