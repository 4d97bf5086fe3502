import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShell, type ShellUnderTest } from './harness.js';

describe('live signal in the browser shell', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
  });

  it('streams the demo device into live EMG and IMU charts whose pixels change over time', async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
      .toContain('Streaming');

    const emg = page.getByRole('img', { name: /Live EMG chart/ });
    const gyro = page.getByRole('img', { name: /Live Angular velocity chart/ });
    await expect.poll(() => emg.count()).toBe(1);
    await page.waitForTimeout(1500);
    const hash = async (locator: typeof emg) =>
      createHash('sha1')
        .update(await locator.screenshot())
        .digest('hex');
    const emg1 = await hash(emg);
    const gyro1 = await hash(gyro);
    await page.waitForTimeout(1000);
    expect(await hash(emg)).not.toBe(emg1);
    expect(await hash(gyro)).not.toBe(gyro1);

    // Let the demo's scripted stretch (at 3.2 s of every 8 s cycle) scroll into view before the screenshot.
    await page.waitForTimeout(5000);
    // The live analysis has seen the demo's fast stretch: counted, with its peak velocity (~320 °/s).
    const indicators = page.getByRole('region', { name: 'Live indicators' });
    await expect.poll(() => indicators.textContent(), { timeout: 10_000 }).toMatch(/peak (2\d\d|3\d\d) °\/s/);
    mkdirSync('docs/screenshots', { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/live.png' });

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Stopped');
  });

  it('refuses API calls without the token and from other origins', async () => {
    const { origin, token } = shell;
    const noToken = await fetch(`${origin}/api/listDevices`, { method: 'POST', body: '{}' });
    expect(noToken.status).toBe(401);
    const foreign = await fetch(`${origin}/api/listDevices`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-tonus-token': token, origin: 'http://example.org' },
    });
    expect(foreign.status).toBe(403);
    const good = await fetch(`${origin}/api/listDevices`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-tonus-token': token },
    });
    expect(((await good.json()) as { ok: boolean }).ok).toBe(true);
  });
});
