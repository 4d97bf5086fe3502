import { openShell } from '../e2e/harness.js';
import type { Bench, BenchResult } from './harness.js';
import { measureLiveFrames, startDemoRecording, type LiveFrameRates } from './ui-live-measure.js';

const MEASURE_MS = 8000;
const SETTLE_MS = 2000;

const framesResult = (name: string, m: LiveFrameRates): BenchResult => ({
  name,
  throughput: m.fps,
  unit: ' fps',
  baselineName: 'of 60 Hz refresh',
  baselineThroughput: 60,
  note: `longest frame ${m.longestFrameMs.toFixed(0)} ms, ${m.drawsPerS.toFixed(0)} chart redraws/s`,
});

/**
 * The live screen in Debian's Chromium under the full demo load (8 EMG ch @ 2 kHz + 6-axis IMU @ 100 Hz):
 * animation frames per second the page sustains and chart redraws per second, first while only streaming,
 * then on the recording screen (a fast-stretch recording: guidance, signal quality, live indicators and the
 * joint angle on screen too), and sample-to-screen latency (age of the newest sample when it is first
 * drawn), against the 60 Hz display refresh.
 */
export const bench: Bench = {
  name: 'live charts in Chromium (browser shell, full demo load)',
  async run() {
    const shell = await openShell();
    try {
      const { page } = shell;
      await page.getByRole('link', { name: 'Live' }).click();
      await page.getByRole('button', { name: 'Start' }).click();
      await page.waitForTimeout(SETTLE_MS);
      const streaming = await measureLiveFrames(page, MEASURE_MS);
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByRole('link', { name: 'Patients' }).click();
      await startDemoRecording(page, 'BENCH-1');
      await page.waitForTimeout(SETTLE_MS);
      const recording = await measureLiveFrames(page, MEASURE_MS);
      return [
        framesResult('animation frames while streaming', streaming),
        framesResult('animation frames while recording (guidance, quality)', recording),
        {
          name: 'sample-to-screen latency while recording (median)',
          throughput: recording.p50,
          unit: ' ms',
          baselineName: 'of the 100 ms budget',
          baselineThroughput: 100,
          note: `95th percentile ${recording.p95.toFixed(0)} ms`,
        },
      ];
    } finally {
      await shell.close();
    }
  },
};
