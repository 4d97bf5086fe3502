import { describe, expect, it } from 'vitest';
import { defaultSyntheticParams, SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import type { Recording } from '../../../src/shared/recording.js';

/** `seconds` of the demo device playing `protocol`, as a recording. */
function synthetic(protocol: 'clonus' | 'rest', seconds: number): Recording {
  const sig = new SyntheticSignal({ ...defaultSyntheticParams, protocol });
  const streams = sig.streams;
  const data = streams.map((s) => s.channels.map(() => new Float32Array(seconds * s.sampleRateHz)));
  for (let t = 0; t < seconds * 10; t++)
    streams.forEach((s, si) => {
      const n = s.sampleRateHz / 10;
      sig.next(s.id as 'emg' | 'imu', n).data.forEach((x, k) => data[si]?.[k]?.set(x, t * n));
    });
  return {
    format: 'tonus-capture',
    source: `demo ${protocol}`,
    startTimeMs: 0,
    annotations: [],
    meta: {},
    streams: streams.map((s, si) => ({ descriptor: s, data: data[si] ?? [] })),
  };
}

describe('clonus after a fast stretch', () => {
  const a = analyzeRecording(synthetic('clonus', 60));
  const episodes = a.events.filter((e) => e.kind === 'clonus');

  it('is found in every hold at the played 6 Hz, after the stretch, confirmed by the EMG', () => {
    // The demo plays a fast stretch into a 10 s hold with clonus every 16.4 s: 4 holds start in 60 s.
    expect(episodes.length).toBe(4);
    for (const e of episodes) {
      expect(e.values.f0Hz).toBeCloseTo(6, 1);
      expect(e.values.stretchTriggered).toBe(true);
      expect(e.values.emgConfirmed).toBe(true);
      expect(Number(e.values.oscillationEndS)).toBeGreaterThan(e.endS ?? Infinity);
    }
  });

  it('is not reported as tremor on any axis', () => {
    expect(a.summary.imu).toHaveLength(6);
    for (const axis of a.summary.imu) expect(axis.tremorPeakHz).toBeNull();
    expect(a.summary.indicators.filter((i) => i.id === 'tremorPeakHz')).toEqual([]);
  });

  it('leaves a rest recording without clonus and without tremor', () => {
    const rest = analyzeRecording(synthetic('rest', 30));
    expect(rest.events.filter((e) => e.kind === 'clonus')).toHaveLength(0);
    expect(rest.summary.imu.every((m) => m.tremorPeakHz === null)).toBe(true);
  });
});
