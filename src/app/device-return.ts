import type { DeviceDriver } from '../devices/driver.js';

/**
 * Pause after a failed reconnection attempt on a device that is present again (its port exists but it does
 * not answer yet), so a watched device is not hammered with handshakes.
 */
export const RETRY_WHEN_PRESENT_MS = 100;

/**
 * Waits before reconnection attempt `attempt` (0 for the first) of a lost device. A driver that can watch for
 * its device ({@link DeviceDriver.waitUntilPresent}) is waited on until the device is seen again, at most
 * `maxWaitMs` (after a failed attempt, {@link RETRY_WHEN_PRESENT_MS} first); any other driver waits the fixed
 * `delaysMs[attempt]` (the last one repeats). Resolves early, without error, when `signal` aborts.
 */
export async function waitForDeviceReturn(
  driver: DeviceDriver,
  attempt: number,
  delaysMs: readonly number[],
  maxWaitMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const watch = new AbortController();
  const stop = (): void => watch.abort();
  signal?.addEventListener('abort', stop, { once: true });
  const fixedMs = delaysMs[Math.min(attempt, delaysMs.length - 1)] ?? 0;
  const timer = setTimeout(stop, Math.max(0, driver.waitUntilPresent ? maxWaitMs : fixedMs));
  try {
    if (attempt > 0 && driver.waitUntilPresent) await sleep(RETRY_WHEN_PRESENT_MS, watch.signal);
    if (driver.waitUntilPresent) await driver.waitUntilPresent(watch.signal).catch(() => undefined);
    else await sleep(fixedMs, watch.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
