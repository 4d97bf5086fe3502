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
    // The Live screen sums the quality up in one line; the demo's EMG 8 carries mains hum.
    await expect
      .poll(() => page.locator('.sq-summary').textContent(), { timeout: 15_000 })
      .toMatch(/^. EMG: 7 good, 1 check electrode \(EMG 8: line noise\)/);
  });

  it('shows the streaming device with per-channel quality, battery and loss counters', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Devices' }).click();
    const card = page.getByRole('region', { name: 'Streaming now' });
    await expect.poll(() => card.textContent()).toContain('Demo device (synthetic EMG + IMU)');
    expect(await card.getByRole('status').textContent()).toContain('Streaming');
    const emg = page.getByRole('table', { name: /^EMG signal quality per channel/ });
    const verdicts = () => emg.locator('tbody tr td:nth-child(2)').allTextContents();
    await expect.poll(verdicts, { timeout: 15_000 }).toEqual([...Array(7).fill('● Good'), '▲ Check']);
    const ch8 = emg.getByRole('row', { name: /EMG 8/ });
    expect(await ch8.textContent()).toMatch(/Line noise \d+ dB at 50 Hz/);
    const headers = await emg.locator('thead th').allTextContents();
    expect(headers).toEqual([
      'Channel',
      'Verdict',
      'Noise (µV RMS)',
      'Line noise (dB)',
      'Clipping (%)',
      'Why',
    ]);
    const imu = page.getByRole('table', { name: /^IMU signal quality per channel/ });
    expect(await imu.locator('tbody tr').count()).toBe(6);
    const facts = await card.locator('dl').first().textContent();
    expect(facts).toContain('Dropped samples0');
    expect(facts).toContain('BatteryNot reported');
    expect(facts).toMatch(/EMG rate\d+ of 2000 Hz/);
    await page.setViewportSize({ width: 1280, height: 1100 });
    await page.screenshot({ path: 'docs/screenshots/devices-quality.png', fullPage: true });
    // Keyboard: the Stop button and the scrollable tables are reachable with Tab.
    await card.getByRole('button', { name: 'Stop streaming' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('region');
    await card.getByRole('button', { name: 'Stop streaming' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Streaming now' }).count()).toBe(0);
  });
});
