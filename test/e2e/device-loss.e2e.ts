import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocatPair } from '../emulators/socat-pair.js';
import { spawnTracked, stopChild } from '../support/child-processes.js';
import { openShell, type ShellUnderTest } from './harness.js';

/** The built Cyton emulator, run as its own process so that the test can kill it like a device dying. */
const EMULATOR = 'build/node/test/emulators/serial-device-emulator.js';

async function startEmulator(devicePath: string): Promise<ChildProcess> {
  const child = spawnTracked(process.execPath, [EMULATOR, 'cyton', devicePath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.includes('emulating a cyton')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${err}`)));
  });
  return child;
}

describe('device loss mid-session in Chromium', () => {
  let shell: ShellUnderTest | undefined;
  let pair: SocatPair | undefined;
  let emulator: ChildProcess | undefined;
  let root: string | undefined;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tonus-e2e-loss-'));
    pair = new SocatPair(join(root, 'cyton-host'), join(root, 'cyton-device'));
    await pair.start();
    emulator = await startEmulator(pair.devicePath);
    shell = await openShell();
  });
  afterAll(async () => {
    await shell?.close();
    await stopChild(emulator);
    await pair?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  // Needs socat for the pty pair the emulated Cyton sits behind.
  it('records from a serial Cyton, says "device lost" when it dies, and keeps the session with its samples', async () => {
    if (!shell || !pair) throw new Error('set-up failed');
    const { page } = shell;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Patients');
    await page.getByRole('button', { name: 'Add patient' }).click();
    await page.getByLabel('Pseudonymous code').fill('P-LOSS');
    await page.getByLabel('Birth year').fill('2015');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'New session for P-LOSS' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('New session — P-LOSS');
    await page.getByLabel('Protocol').selectOption('rest');
    // The guided "Other device" form: connected by cable, the kind, the port.
    await page
      .getByLabel('Device', { exact: true })
      .selectOption({ label: 'Other device (USB, serial or Bluetooth)…' });
    await page.getByLabel('USB or serial cable').check();
    await page.getByLabel('Kind').selectOption({ label: 'OpenBCI Cyton' });
    await page.getByLabel('Port').fill(pair.hostPath);
    await page.getByRole('button', { name: 'Start recording' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live signals');
    const streamState = page.getByRole('toolbar', { name: 'Stream controls' }).getByRole('status');
    // The state is told in words after a shape (● streaming, ⚠ trouble), never by colour alone.
    await expect.poll(() => streamState.textContent(), { timeout: 10_000 }).toMatch(/^● Streaming/);
    // A serial device is drawn from the streams the stream status carries: its 8 EXG lanes and accelerometer.
    await expect.poll(() => page.getByRole('img', { name: /^Live EMG chart, 8 channels/ }).count()).toBe(1);
    await expect
      .poll(() => page.getByRole('img', { name: /^Live Acceleration chart, 3 channels/ }).count())
      .toBe(1);
    const recording = page.getByRole('region', { name: 'Recording' });
    await expect
      .poll(() => recording.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/[1-9][\d,]* samples stored/);
    await page.waitForTimeout(2000);

    // Unplug: the device process dies and its pty disappears.
    await stopChild(emulator);
    emulator = undefined;
    await pair.kill();
    await expect
      .poll(() => streamState.textContent(), { timeout: 10_000 })
      .toMatch(
        /^⚠ Device lost — reconnecting: Serial port .+ went away.*\. Trying to reconnect; the recording keeps what it has\.$/,
      );
    await page.screenshot({ path: 'docs/screenshots/device-loss.png' });

    // Plug it back: the same pty path returns, the stream resumes and says so.
    await pair.start();
    emulator = await startEmulator(pair.devicePath);
    await expect
      .poll(() => streamState.textContent(), { timeout: 15_000 })
      .toBe('● Streaming: Reconnected; the time without data is marked as a gap.');
    await expect
      .poll(() => recording.getByRole('status').textContent(), { timeout: 10_000 })
      .toMatch(/ [1-9]\d* gaps? /);

    // Lose it again and stop while it is away.
    await stopChild(emulator);
    emulator = undefined;
    await pair.kill();
    await expect
      .poll(() => streamState.textContent(), { timeout: 10_000 })
      .toMatch(/^⚠ Device lost — reconnecting/);
    await page.getByRole('button', { name: 'Stop recording' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sessions — P-LOSS');
    const summary = page.getByRole('region', { name: 'Session summary' });
    await expect.poll(() => summary.textContent()).toContain('Complete');
    const markers = await summary.getByRole('table', { name: 'Markers' }).getByRole('row').allTextContents();
    expect(markers.slice(1)).toEqual([
      expect.stringMatching(
        /Signal lostDevice lost: Serial port .+ went away.*; reconnected after \d+\.\d s$/,
      ),
      expect.stringMatching(/Signal lostDevice lost: Serial port .+ went away.*; not reconnected$/),
    ]);
    const emgRow = summary
      .getByRole('table', { name: 'Signal quality per stream' })
      .getByRole('row', { name: /EXG/ });
    const cells = await emgRow.getByRole('cell').allTextContents();
    expect(cells[1]).toBe('250 Hz');
    expect(Number((cells[3] ?? '').replace(/,/g, ''))).toBeGreaterThan(250);
    await page.screenshot({ path: 'docs/screenshots/device-loss-session.png' });
  });
});
