import type { Page } from 'playwright-core';

/** What the page sustained over one measurement window. */
export interface LiveFrameRates {
  fps: number;
  drawsPerS: number;
  longestFrameMs: number;
  /** Sample-to-screen latency percentiles, ms. */
  p50: number;
  p95: number;
}

/**
 * Counts animation frames and live-chart redraws in the page for `measureMs`, with the sample-to-screen
 * latency of every first redraw after new data (the `tonus:live-drawn` event).
 */
export async function measureLiveFrames(page: Page, measureMs: number): Promise<LiveFrameRates> {
  return page.evaluate(async (ms) => {
    const latencies: number[] = [];
    let draws = 0;
    const onDrawn = (e: Event): void => {
      draws++;
      const latency = (e as CustomEvent<{ latencyMs?: number }>).detail.latencyMs;
      if (latency !== undefined) latencies.push(latency);
    };
    window.addEventListener('tonus:live-drawn', onDrawn);
    let frames = 0;
    let longest = 0;
    let last = performance.now();
    const start = last;
    await new Promise<void>((resolve) => {
      const tick = (t: number): void => {
        frames++;
        longest = Math.max(longest, t - last);
        last = t;
        if (t - start < ms) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    window.removeEventListener('tonus:live-drawn', onDrawn);
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      fps: frames / seconds,
      drawsPerS: draws / seconds,
      longestFrameMs: longest,
      p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
      p95: latencies[Math.floor(latencies.length * 0.95)] ?? NaN,
    };
  }, measureMs);
}

/**
 * Through the UI, as a therapist: adds patient `code`, opens New session, chooses fast passive stretches on
 * the demo device and starts recording; returns on the Live screen with the recording running.
 */
export async function startDemoRecording(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: 'Add patient' }).click();
  await page.getByLabel('Pseudonymous code').fill(code);
  await page.getByLabel('Birth year').fill('2016');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: `New session for ${code}` }).click();
  await page.getByLabel('Protocol').selectOption('passive-stretch-fast');
  await page.getByRole('button', { name: 'Start recording' }).click();
  await page.getByRole('region', { name: 'Recording' }).getByLabel('Protocol guidance').waitFor();
}
