import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';

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
  });
});
