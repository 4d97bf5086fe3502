import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { onNominalGrid, sampleRuns, type Recording } from '../../../src/shared/recording.js';

const T0 = 1.7e12;

describe('sample runs on the nominal grid', () => {
  it('is one run without sample times, and splits at steps of 1.5 periods or more', () => {
    expect(sampleRuns(5, 100, T0)).toEqual([{ index: 0, seq: 0, count: 5 }]);
    // 100 Hz: 10 ms apart; a 14 ms step is jitter, a 30 ms step skips two samples.
    const times = Float64Array.from([0, 10, 24, 30, 60, 70], (t) => T0 + t);
    expect(sampleRuns(6, 100, T0, times)).toEqual([
      { index: 0, seq: 0, count: 4 },
      { index: 4, seq: 6, count: 2 },
    ]);
  });

  it('never lets a run overlap the one before, even when its time rounds back', () => {
    // A clock running fast: ten samples 8 ms apart end at 72 ms, the next (after a break) at 87 ms would
    // round to sequence 9, where the run before still has its last sample: it goes at 10.
    const times = Float64Array.from([0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 87], (t) => T0 + t);
    expect(sampleRuns(11, 100, T0, times)).toEqual([
      { index: 0, seq: 0, count: 10 },
      { index: 10, seq: 10, count: 1 },
    ]);
  });

  it('fills breaks with zeros and lists them, and leaves a recording without breaks alone', () => {
    const rec: Recording = {
      format: 'edf',
      source: 'test',
      startTimeMs: T0,
      streams: [
        {
          descriptor: { id: 's', label: 'S', sampleRateHz: 100, channels: [] },
          data: [Float32Array.from([1, 2, 3, 4])],
          timestampsMs: Float64Array.from([0, 10, 50, 60], (t) => T0 + t),
        },
      ],
      annotations: [],
      meta: {},
    };
    const { recording, breaksS } = onNominalGrid(rec);
    expect([...(recording.streams[0]?.data[0] ?? [])]).toEqual([1, 2, 0, 0, 0, 3, 4]);
    expect(recording.streams[0]?.timestampsMs).toBeUndefined();
    expect(breaksS).toEqual([{ startS: 0.02, endS: 0.05 }]);
    const regular = { ...rec, streams: [{ ...rec.streams[0], timestampsMs: undefined }] } as Recording;
    expect(onNominalGrid(regular).recording).toBe(regular);
  });

  it('lets the analysis of a discontinuous file find its events where they happened', () => {
    const fixture = readRecordingFile(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
    const shifted: Recording = {
      ...fixture,
      streams: fixture.streams.map((s) => ({
        ...s,
        timestampsMs: Float64Array.from({ length: s.data[0]?.length ?? 0 }, (_, i) => {
          const t = fixture.startTimeMs + (i * 1000) / s.descriptor.sampleRateHz;
          return i / s.descriptor.sampleRateHz < 10 ? t : t + 5000;
        }),
      })),
    };
    const starts = (r: Recording) =>
      analyzeRecording(r)
        .events.filter((e) => e.kind === 'stretch')
        .map((e) => Math.round(e.startS * 10) / 10);
    const [slow = 0, fast = 0] = starts(fixture);
    const [slowShifted = 0, fastShifted = 0] = starts(shifted);
    expect(fast).toBeCloseTo(12.5, 1);
    expect(Math.abs(slowShifted - slow)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(fastShifted - (fast + 5))).toBeLessThanOrEqual(0.1);
  });
});

describe('joint angle across a pause', () => {
  it('puts the start posture back after a pause in which the joint returned, so the next stretch starts at rest', () => {
    const fixture = readRecordingFile(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
    // The slow stretch's return (7.5–9.5 s) happened while the recording was paused: zeros, and a pause.
    const pause = { startS: 7.3, endS: 9.7 };
    const paused: Recording = {
      ...fixture,
      streams: fixture.streams.map((s) => ({
        ...s,
        data: s.data.map((ch) =>
          ch.map((v, i) => {
            const t = i / s.descriptor.sampleRateHz;
            return t >= pause.startS && t < pause.endS ? 0 : v;
          }),
        ),
      })),
    };
    const fast = (options: Parameters<typeof analyzeRecording>[1]) =>
      analyzeRecording(paused, options).events.find(
        (e) => e.kind === 'stretch' && (e.values.peakVelDegS as number) > 200,
      )?.values;
    expect(fast({})?.thetaStartDeg).toBeGreaterThan(60);
    const known = fast({ discontinuitiesS: [pause] });
    expect(Math.abs(known?.thetaStartDeg as number)).toBeLessThan(3);
    expect(Math.abs((known?.thetaMaxDeg as number) - 69)).toBeLessThan(3);
  });
});

describe('tremor across a pause', () => {
  it('looks only at real data: a paused span (zeros) gives the tremor of the recording without it', () => {
    const fs = 100;
    const pause = { startS: 4, endS: 6.7 };
    // A 5 Hz tremor on a 1 g axis, with the paused span zero-filled as a stored session has it.
    const axis = (t: number): number =>
      1 + 0.05 * Math.sin(2 * Math.PI * 5 * t) + 0.01 * Math.sin(97 * t * t);
    const recordingOf = (samples: Float32Array): Recording => ({
      format: 'tonus-capture',
      source: 'paused accelerometer',
      startTimeMs: T0,
      streams: [
        {
          descriptor: {
            id: 'imu',
            label: 'IMU',
            sampleRateHz: fs,
            channels: [
              { id: 'accY', label: 'Accel Y', kind: 'accel', unit: 'g', rangeMin: -16, rangeMax: 16 },
            ],
          },
          data: [samples],
        },
      ],
      annotations: [],
      meta: {},
    });
    const times = Array.from({ length: 12 * fs }, (_, i) => i / fs);
    const paused = Float32Array.from(times, (t) => (t >= pause.startS && t < pause.endS ? 0 : axis(t)));
    const without = Float32Array.from(
      times.filter((t) => t < pause.startS || t >= pause.endS),
      axis,
    );
    const summary = (rec: Recording, spans: { startS: number; endS: number }[]) =>
      analyzeRecording(rec, { protocol: 'none', discontinuitiesS: spans }).summary.imu[0];
    const cut = summary(recordingOf(paused), [pause]);
    const reference = summary(recordingOf(without), []);
    expect(cut?.tremorPeakHz).toBeCloseTo(5, 0);
    expect(cut?.tremorPeakHz).toBeCloseTo(reference?.tremorPeakHz ?? NaN, 3);
    expect(cut?.tremorProminence).toBeCloseTo(reference?.tremorProminence ?? NaN, 2);
    // Without the pause known, the filler's steps take a share of the spectrum.
    expect(summary(recordingOf(paused), [])?.tremorProminence).toBeLessThan(cut?.tremorProminence ?? 0);
  });
});
