import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import { writeEdfFile } from '../../src/io/edf/edf-file.node.js';
import { openShell, type ShellUnderTest } from './harness.js';

/** A 2 s BDF+ naming patient E2E-7, with one dose taken during it. */
function fileWithDose(): string {
  const s = new SyntheticSignal();
  const emg = s.next('emg', 4000);
  const imu = s.next('imu', 200);
  const path = join(mkdtempSync(join(tmpdir(), 'tonus-e2e-doses-')), 'with-dose.bdf');
  writeEdfFile(
    path,
    {
      format: 'bdf',
      source: 'e2e',
      startTimeMs: Date.UTC(2026, 2, 4, 10, 0, 0),
      streams: [
        { descriptor: s.streams[0]!, data: emg.data.map((c) => Float32Array.from(c)) },
        { descriptor: s.streams[1]!, data: imu.data.map((c) => Float32Array.from(c)) },
      ],
      annotations: [
        { onsetS: 0, text: 'Protocol: rest' },
        { onsetS: 1, text: 'Dose: Baclofen 10 mg PO' },
      ],
      meta: { patientCode: 'E2E-7' },
    },
    'bdf',
  );
  return path;
}

describe('doses in an imported file wait for review on the import card', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('lists the dose for the patient the file names and adds it to the dose log only when confirmed', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('File on this computer').first().fill(fileWithDose());
    await page.getByRole('button', { name: 'Import' }).click();
    const review = page.getByRole('group', { name: /Doses in the file/ });
    await expect.poll(() => review.textContent()).toContain('Doses in the file, for E2E-7: 1 to review');
    const add = review.getByRole('button', { name: /to the dose log/ });
    expect(await add.isDisabled()).toBe(true);
    await review.getByRole('checkbox', { name: /Baclofen 10 mg PO/ }).check();
    await add.click();
    await expect.poll(() => review.textContent()).toContain('(in the dose log)');
    expect(await review.textContent()).toContain('0 to review');
  });
});
