import { describe, expect, it } from 'vitest';
import { defaultSyntheticParams, SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { demoSyntheticParams } from '../../../src/devices/drivers/synthetic.js';
import { LiveIndicators } from '../../../src/indicators/live-indicators.js';
import { LiveSignalQuality } from '../../../src/indicators/live-signal-quality.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import type { Recording } from '../../../src/shared/recording.js';

/**
 * The built-in demo device (default parameters plus the hum on EMG 8) for 48 s, pushed block by block through
 * the live indicators and live signal quality as the app does, and the same samples analysed offline.
 */
function demoRun(seconds: number): {
  live: LiveIndicators;
  verdicts: string[][];
  rec: Recording;
} {
  const sig = new SyntheticSignal({ ...defaultSyntheticParams, ...demoSyntheticParams });
  const streams = sig.streams;
  const axis = streams.find((s) => s.jointAxisChannelId !== undefined);
  const live = new LiveIndicators(
    streams,
    axis?.jointAxisChannelId ? { velocity: { streamId: axis.id, channelId: axis.jointAxisChannelId } } : {},
  );
  const quality = new LiveSignalQuality(streams);
  const data = streams.map((s) => s.channels.map(() => new Float32Array(seconds * s.sampleRateHz)));
  const verdicts: string[][] = [];
  for (let t = 0; t < seconds * 10; t++) {
    streams.forEach((s, si) => {
      const n = s.sampleRateHz / 10;
      const b = sig.next(s.id as 'emg' | 'imu', n);
      live.push(b);
      quality.push(b);
      b.data.forEach((x, k) => data[si]?.[k]?.set(x, t * n));
    });
    if (t % 10 === 9)
      verdicts.push(
        quality
          .evaluate()
          .filter((c) => c.kind === 'emg')
          .map((c) => c.verdict),
      );
  }
  const rec: Recording = {
    format: 'tonus-capture',
    source: 'demo device',
    startTimeMs: 0,
    annotations: [],
    meta: {},
    streams: streams.map((s, si) => ({ descriptor: s, data: data[si] ?? [] })),
  };
  return { live, verdicts, rec };
}

describe('live and review agree on the demo', () => {
  const { live, verdicts, rec } = demoRun(48);
  const review = analyzeRecording(rec);

  it('catch: the same verdict for every fast stretch, by the same end range, AOC within 3°', () => {
    const liveStretches = live.snapshot().stretches;
    const offline = review.events.filter((e) => e.kind === 'stretch' && e.values.kind === 'fast');
    expect(offline.length).toBeGreaterThanOrEqual(5);
    expect(liveStretches).toHaveLength(offline.length);
    offline.forEach((e, i) => {
      const l = liveStretches[i];
      expect(Math.abs((l?.startS ?? 0) - e.startS)).toBeLessThan(0.05);
      expect(l?.catchPresent).toBe(e.values.catchPresent);
      expect(Math.abs((l?.aocDeg ?? 0) - Number(e.values.aocDeg))).toBeLessThan(3);
    });
    const ps = review.summary.protocols.passiveStretch;
    expect(ps?.catchPresentCount).toBe(offline.filter((e) => e.values.catchPresent === true).length);
    expect(String(ps?.catchNote)).toMatch(/own end range, live and in review/);
  });

  it('channel quality: the review verdict of every EMG channel is the one Live and Devices show', () => {
    const last = verdicts.at(-1) ?? [];
    expect(review.summary.emg.map((e) => e.verdict)).toEqual(last);
    expect(last.filter((v) => v === 'good')).toHaveLength(7);
    // Where the stored flags say more (low SNR on channels at rest), the review says why in words.
    for (const e of review.summary.emg)
      if (e.quality.includes('lowSnr'))
        expect(e.qualityNote).toMatch(/live verdict judges contact and noise only/);
  });
});
