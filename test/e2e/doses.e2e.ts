import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';
import { SEEDED_PATIENT, seedTrends } from './seed-trends.js';

describe('doses: PK settings per patient, edit and delete with a reason, audit trail', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1440, height: 900 }, seedTrends);
  });
  afterAll(async () => {
    await shell?.close();
  });

  it("shows each patient's key trend at a glance and selects the patient", async () => {
    const { page } = shell;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patients');
    const glance = page.getByRole('img', { name: /^EMG during fast stretch, gastrocnemius (left|right), / });
    await expect.poll(() => glance.count()).toBe(1);
    // The seeded last session is a post-dose (peak) one on the right side, the latest of its line.
    expect(await glance.getAttribute('aria-label')).toMatch(
      /^EMG during fast stretch, gastrocnemius right, post-dose \(peak\): [\d.]+ µV, (up|down) [\d.]+ µV since the previous session \(10 recent values\)$/,
    );
    await page.getByRole('button', { name: `Select ${SEEDED_PATIENT}` }).click();
    await expect.poll(() => page.getByText(`Patient ${SEEDED_PATIENT}`).count()).toBe(1);
    await page.screenshot({ path: 'docs/screenshots/patients-glance.png' });
  });

  it('saves PK settings with their warnings in words, and refuses a value out of range', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Doses' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe(`Doses — ${SEEDED_PATIENT}`);
    // The PK settings are folded (less used than logging a dose): open them.
    await page.getByText('Dose model (PK) settings').click();
    const form = page.getByRole('form', { name: `Dose model (PK) for ${SEEDED_PATIENT}` });
    await expect.poll(() => form.getByLabel('Half-life t½ (hours)').inputValue()).toBe('4.5');
    expect(await form.getByLabel('Time zone of the dose times').inputValue()).toBe('UTC');

    await form.getByLabel('Time to peak Tmax (hours)').fill('5');
    await form.getByRole('button', { name: 'Save PK settings' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toBe('Not saved: Tmax 5 h is outside the allowed 0.5–3 h. Correct the field and save again.');

    await form.getByLabel('Time to peak Tmax (hours)').fill('1.5');
    await form.getByLabel('Half-life t½ (hours)').fill('9');
    await form.getByLabel('Show absolute concentrations (research)').check();
    await form.getByRole('button', { name: 'Save PK settings' }).click();
    const warnings = form.getByRole('list', { name: 'Warnings about these settings' });
    await expect.poll(() => warnings.locator('li').count(), { timeout: 10_000 }).toBe(2);
    expect(await warnings.locator('li').first().textContent()).toMatch(/renal impairment/);
    expect(await warnings.locator('li').last().textContent()).toMatch(/over-predicts exposure/);
    expect(await form.getByRole('status').textContent()).toContain('PK settings saved');

    // Read back from the API after a reload: the settings are the patient's own now.
    await page.reload();
    await page.getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('button', { name: `Select ${SEEDED_PATIENT}` }).click();
    await page.getByRole('link', { name: 'Doses' }).click();
    await page.getByText('Dose model (PK) settings').click();
    await expect.poll(() => form.getByLabel('Half-life t½ (hours)').inputValue()).toBe('9');
    expect(await form.getByLabel('Time to peak Tmax (hours)').inputValue()).toBe('1.5');
    expect(await form.getByLabel('Show absolute concentrations (research)').isChecked()).toBe(true);
  });

  it('opens Trends on the patient selected in the app, not the first in the list', async () => {
    const { page, origin, token } = shell;
    const created = await page.evaluate(
      async ([o, t]) => {
        const r = await fetch(`${o}/api/createPatient`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tonus-token': t as string },
          body: JSON.stringify({ code: 'AA-000' }),
        });
        return ((await r.json()) as { ok: boolean }).ok;
      },
      [origin, token],
    );
    expect(created).toBe(true);
    await page.getByRole('link', { name: 'Trends' }).click();
    await expect.poll(() => page.getByLabel('Patient').inputValue()).toBe(SEEDED_PATIENT);
    await expect.poll(() => page.getByLabel('Indicator').locator('option').count()).toBe(4);
    expect(await page.getByLabel('Patient').locator('option').allTextContents()).toEqual([
      'AA-000',
      SEEDED_PATIENT,
    ]);
    await page.getByRole('link', { name: 'Doses' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe(`Doses — ${SEEDED_PATIENT}`);
  });

  it('changes a dose with a reason, shows the history, and deletes it with a reason', async () => {
    const { page } = shell;
    await page.getByLabel('Amount (mg)').fill('5');
    await page.getByLabel('Entered by (initials)').fill('AB');
    await page.getByRole('button', { name: 'Log dose' }).click();
    const table = page.getByRole('table', { name: 'Dose log' });
    // The seeded regimen also lists its expected (missed) doses; only logged entries can be changed.
    const logged = table.locator('tbody tr', {
      has: page.getByRole('button', { name: /^Change the dose of / }),
    });
    await expect.poll(() => logged.count()).toBe(1);
    expect(await logged.textContent()).toContain('5 mg');

    await table.getByRole('button', { name: /^Change the dose of / }).click();
    const edit = page.getByRole('form', { name: /^Change the dose entry / });
    await edit.getByLabel('Amount (mg)').fill('7.5');
    await edit.getByLabel('Changed by (initials)').fill('CD');
    // The reason is required: without it nothing is saved.
    await edit.getByRole('button', { name: 'Save change' }).click();
    expect(
      await edit
        .getByLabel('Reason for the change')
        .evaluate((el) => (el as HTMLInputElement).validity.valueMissing),
    ).toBe(true);
    await edit.getByLabel('Reason for the change').fill('wrong tablet strength entered');
    await edit.getByRole('button', { name: 'Save change' }).click();
    await expect.poll(() => logged.textContent()).toContain('7.5 mg');
    expect(await page.getByRole('status').filter({ hasText: 'Dose entry changed.' }).count()).toBe(1);

    await table.getByRole('button', { name: /^History of the dose of / }).click();
    const history = page.getByRole('list', { name: 'Audit trail' });
    await expect.poll(() => history.locator('li').count()).toBe(2);
    expect(await history.locator('li').first().textContent()).toMatch(/^Entered by AB on /);
    expect(await history.locator('li').last().textContent()).toMatch(
      /^Changed by CD on .+: amount 5 → 7\.5 — reason: wrong tablet strength entered$/,
    );
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/doses.png', fullPage: true });
    await page.getByRole('button', { name: 'Close' }).click();

    await table.getByRole('button', { name: /^Delete the dose of / }).click();
    const del = page.getByRole('form', { name: /^Delete the dose entry / });
    await del.getByLabel('Reason for the deletion').fill('entered for the wrong patient');
    await del.getByRole('button', { name: 'Delete entry' }).click();
    await expect.poll(() => logged.count()).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Dose entry deleted.' }).count()).toBe(1);
  });
});
