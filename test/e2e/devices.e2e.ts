import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';

describe('devices screen', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('always offers the demo device, says in words when Bluetooth is missing, and streams the demo', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Devices' }).click();
    const table = page.getByRole('table', { name: 'Devices' });
    await expect.poll(() => table.textContent()).toContain('Demo device');
    await page.getByRole('button', { name: 'Scan for devices' }).click();
    // This machine has no Bluetooth adapter: the state is reported, not a crash.
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toMatch(/^Bluetooth: /);
    expect(await page.getByRole('status').first().textContent()).not.toBe('Bluetooth: on');
    await page.screenshot({ path: 'docs/screenshots/devices.png' });
    await page.getByRole('button', { name: 'Stream Demo device (synthetic EMG + IMU)' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live signals');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
      .toContain('Streaming');
    await page.getByRole('button', { name: 'Stop' }).click();
  });
});
