import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import { tremorPeak } from '../../../src/indicators/tremor.js';
import { simulatePendulum, shankAnthropometrics } from '../../../src/indicators/pendulum.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { latestAnalysis, saveAnalysis } from '../../../src/storage/analyses.node.js';
import type { Recording } from '../../../src/shared/recording.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { gaussian } from '../dsp/signals.js';
import { stretchRecording } from './stretch-session.js';

const EXT = externalDataDir();

describe('analyzeRecording on the external recordings', () => {
  it('finds the ≈ 6.5 Hz rest tremor on every accelerometer and x/y gyro axis, and none in the kinetic task', async () => {
    const rest = analyzeRecording(await readTextRecording(`${EXT}/mhealthtools/rest_tremor_data.csv`));
    const peaks = rest.summary.imu.map((m) => m.tremorPeakHz);
    expect(peaks).toHaveLength(6);
    for (const p of peaks.slice(0, 5)) expect(Math.abs((p ?? 0) - 6.5)).toBeLessThan(0.3);
    const kinetic = analyzeRecording(await readTextRecording(`${EXT}/mhealthtools/kinetic_tremor_data.csv`));
    expect(kinetic.summary.imu.every((m) => m.tremorPeakHz === null)).toBe(true);
  });

  it('finds no tremor in sensor noise, however short the recording, and finds a 6 Hz one in 12 s', () => {
    let seed = 7;
    const noise = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const axis = (seconds: number, tremorAmplitude: number): Float64Array =>
      Float64Array.from(
        { length: seconds * 100 },
        (_, i) => tremorAmplitude * Math.sin((2 * Math.PI * 6 * i) / 100) + noise() + noise() + noise(),
      );
    // White noise of 3–5 s passed the 22 % prominence in about one run of ten before the length rule.
    for (let run = 0; run < 200; run++) {
      expect(tremorPeak(axis(3 + (run % 3), 0), 100).peakHz).toBeNull();
      if (run % 10 === 0) expect(tremorPeak(axis(12, 0), 100).peakHz).toBeNull();
    }
    expect(tremorPeak(axis(12, 0.4), 100).peakHz).toBeCloseTo(6, 0);
  });

  it('emg_1: bursts separated by rest give onsets, a plausible EMG spectrum and a clean quality record', async () => {
    const a = analyzeRecording(await readTextRecording(`${EXT}/biosppy/emg_1.txt`));
    const e = a.summary.emg[0];
    expect(e?.unit).toBe('counts');
    expect(e?.rmsUv).toBeNull();
    // The 4 bursts BioSPPy's find_onsets finds (test/src/dsp/onset-agreement.test.ts), none extra.
    expect(e?.onsets).toHaveLength(4);
    for (const o of e?.onsets ?? []) expect(o.endS).toBeGreaterThan(o.startS);
    expect(e?.medianFrequencyHz).toBeGreaterThan(40);
    expect(e?.medianFrequencyHz).toBeLessThan(e?.meanFrequencyHz ?? 0);
    expect(e?.quality).toEqual([]);
    const dropped = analyzeRecording(await readTextRecording(`${EXT}/biosppy/emg_1.txt`), {
      droppedSamples: 12,
    });
    expect(dropped.summary.emg[0]?.quality).toEqual(['droppedSamples']);
    expect(a.events.filter((x) => x.kind === 'onset')).toHaveLength(e?.onsets.length ?? -1);
  });

  it('UCI: mV channels are reported in µV with per-channel spectra', async () => {
    const a = analyzeRecording(await readTextRecording(`${EXT}/uci-lower-limb/5Npie.csv`));
    expect(a.summary.emg).toHaveLength(4);
    for (const e of a.summary.emg) {
      expect(e.unit).toBe('mV');
      expect(e.rmsUv).toBeCloseTo((e.rms ?? 0) * 1000, 6);
      expect(e.meanFrequencyHz).toBeGreaterThan(30);
    }
    expect(a.summary.indicators.find((i) => i.id === 'rmsUv')?.unit).toBe('uV');
    // Each onset event names its channel: index k within the stream, matching the site's channel id.
    const onsets = a.events.filter((x) => x.kind === 'onset');
    a.summary.emg.forEach((e, k) => {
      const mine = onsets.filter((x) => x.values.site === `${e.stream}/${e.channel}`);
      expect(mine).toHaveLength(e.onsets.length);
      for (const x of mine) expect(x.values.channelIndex).toBe(k);
    });
    expect(new Set(onsets.map((x) => x.values.channelIndex)).size).toBe(4);
  });
});

describe('pendulum protocol through a Recording', () => {
  it('detects three drops and reports RI, K and B per drop and as session medians', () => {
    const fs = 200;
    const body = shankAnthropometrics(70, 0.43);
    const swing = simulatePendulum(
      { ...body, stiffnessNmPerRad: 3, dampingNmsPerRad: 0.3, thetaKRad: 0 },
      80,
      0,
      fs,
      30 * fs,
    );
    // Lifted from rest to 80° over 2 s, held 2 s, released; 30 s per drop.
    const lift = Array.from({ length: 2 * fs }, (_, i) => 40 * (1 - Math.cos((Math.PI * i) / (2 * fs))));
    const one = [...lift, ...new Float64Array(2 * fs).fill(80), ...swing.subarray(1)];
    const theta = Float32Array.from([...one, ...one, ...one]);
    const rec: Recording = {
      format: 'csv',
      source: 'synthetic pendulum',
      startTimeMs: 0,
      streams: [
        {
          descriptor: {
            id: 'angle',
            label: 'Knee',
            sampleRateHz: fs,
            channels: [
              { id: 'knee_deg', label: 'Knee', kind: 'angle', unit: 'deg', rangeMin: -180, rangeMax: 180 },
            ],
          },
          data: [theta],
        },
      ],
      annotations: [],
      meta: {},
    };
    const a = analyzeRecording(rec, { protocol: 'pendulum', bodyMassKg: 70, shankLengthM: 0.43 });
    const drops = a.events.filter((e) => e.kind === 'drop');
    expect(drops).toHaveLength(3);
    for (const d of drops) {
      expect(d.values.ri).toBeCloseTo(1.799, 2);
      expect(Math.abs(Number(d.values.K) / 3 - 1)).toBeLessThan(0.05);
    }
    expect(a.summary.protocols.pendulum?.drops).toBe(3);
    expect(a.summary.protocols.pendulum?.rejected).toBe(0);
    const k = a.summary.indicators.find((i) => i.id === 'K');
    expect(k?.n).toBe(3);
    expect(k?.unit).toBe('N*m/rad');
  });
});

describe('pendulum drop rejection', () => {
  it('rejects a drop with quadriceps EMG above rest + 3 SD in the second before release', () => {
    const fs = 200;
    const efs = 1000;
    const body = shankAnthropometrics(70, 0.43);
    const swing = simulatePendulum(
      { ...body, stiffnessNmPerRad: 3, dampingNmsPerRad: 0.3, thetaKRad: 0 },
      80,
      0,
      fs,
      30 * fs,
    );
    const lift = Array.from({ length: 2 * fs }, (_, i) => 40 * (1 - Math.cos((Math.PI * i) / (2 * fs))));
    const one = [...lift, ...new Float64Array(2 * fs).fill(80), ...swing.subarray(1)];
    const theta = Float32Array.from([...one, ...one]);
    const g = gaussian(4);
    const seconds = theta.length / fs;
    // The second drop is released at 34 s + 4 s; EMG is 10x louder during the 2 s hold before it.
    const emg = Float32Array.from({ length: seconds * efs }, (_, i) => {
      const t = i / efs;
      return (t > 36 && t < 38 ? 10 : 1) * g() * 0.005;
    });
    const rec: Recording = {
      format: 'csv',
      source: 'synthetic pendulum with EMG',
      startTimeMs: 0,
      streams: [
        {
          descriptor: {
            id: 'angle',
            label: 'Knee',
            sampleRateHz: fs,
            channels: [
              { id: 'knee_deg', label: 'Knee', kind: 'angle', unit: 'deg', rangeMin: -180, rangeMax: 180 },
            ],
          },
          data: [theta],
        },
        {
          descriptor: {
            id: 'emg',
            label: 'EMG',
            sampleRateHz: efs,
            channels: [{ id: 'rf_mV', label: 'RF', kind: 'emg', unit: 'mV', rangeMin: -5, rangeMax: 5 }],
          },
          data: [emg],
        },
      ],
      annotations: [],
      meta: {},
    };
    const a = analyzeRecording(rec, { protocol: 'pendulum', bodyMassKg: 70, shankLengthM: 0.43 });
    const drops = a.events.filter((e) => e.kind === 'drop');
    expect(drops).toHaveLength(2);
    expect(drops[0]?.values.quality).toBe('');
    expect(drops[1]?.values.quality).toContain('notRelaxed');
    expect(a.summary.protocols.pendulum?.rejected).toBe(1);
    expect(a.summary.indicators.find((i) => i.id === 'RI')?.n).toBe(1);
  });
});

describe('storage mapping', () => {
  it('round-trips through the analyses and analysis_events tables of a real SQLite file', async () => {
    const a = analyzeRecording(await readTextRecording(`${EXT}/biosppy/emg_1.txt`));
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-analysis-')), 'tonus.sqlite'));
    const session = db
      .prepare(
        `INSERT INTO sessions (protocol, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
         VALUES ('rest', 'file', 'BioSPPy', 'import', 0, 'complete', '[]', '2026-01-01T00:00:00Z')`,
      )
      .run();
    const sessionId = Number(session.lastInsertRowid);
    saveAnalysis(db, sessionId, {
      algorithmVersion: a.algorithmVersion,
      params: a.params,
      summary: a.summary as unknown as Record<string, unknown>,
      events: a.events.map((e) => ({ ...e, endS: e.endS ?? null })),
    });
    const stored = latestAnalysis(db, sessionId);
    const back = {
      algorithmVersion: stored?.algorithmVersion,
      params: stored?.params,
      summary: stored?.summary,
      events: stored?.events.map(({ endS, ...e }) => (endS === null ? e : { ...e, endS })),
    };
    db.close();
    expect(back).toEqual(JSON.parse(JSON.stringify(a)));
  });
});

describe('a recording with a paused span', () => {
  it('keeps filler out of the rest statistics and takes every stretch outside the pause', () => {
    // Paused from 19.5 s to 22 s (after the third slow stretch, before the first fast one): zeros, as stored.
    const pause = { startS: 19.5, endS: 22 };
    const rec = (paused: boolean): Recording => stretchRecording(paused ? pause : undefined);
    const whole = analyzeRecording(rec(false), { protocol: 'stretch' });
    const naive = analyzeRecording(rec(true), { protocol: 'stretch' });
    const aware = analyzeRecording(rec(true), { protocol: 'stretch', discontinuitiesS: [pause] });
    const floor = (a: typeof whole): number => a.summary.emg[0]?.rest.noiseFloor ?? NaN;
    const accepted = (a: typeof whole): number =>
      a.events.filter((e) => e.kind === 'stretch' && e.values.rejected === false).length;
    // Zeros look like the quietest rest there is; cut out, the noise floor is the real one again.
    expect(floor(naive)).toBeLessThan(0.1 * floor(whole));
    expect(Math.abs(floor(aware) / floor(whole) - 1)).toBeLessThan(0.1);
    // A rest level of zero makes every stretch look "not relaxed".
    expect(accepted(naive)).toBeLessThan(6);
    expect(accepted(whole)).toBe(6);
    expect(accepted(aware)).toBe(6);
    const onsets = aware.summary.emg[0]?.onsets ?? [];
    expect(onsets.length).toBeGreaterThan(0);
    expect(onsets.every((o) => o.endS <= pause.startS || o.startS >= pause.endS)).toBe(true);
  });
});

describe('pendulum from a gyroscope only', () => {
  /** Rest 3 s, lift to 70° in 2 s, hold 2 s, release: damped swing plus a slow creep to rest (τ 4 s), 30 s. */
  function trueAngle(fs: number): Float64Array {
    return Float64Array.from({ length: 37 * fs }, (_, i) => {
      const t = i / fs;
      if (t < 3) return 0;
      if (t < 5) return 35 * (1 - Math.cos((Math.PI * (t - 3)) / 2));
      if (t < 7) return 70;
      const s = t - 7;
      return 62 * Math.exp(-s / 1.2) * Math.cos(2 * Math.PI * 0.9 * s) + 8 * Math.exp(-s / 4);
    });
  }
  const recording = (id: string, kind: 'angle' | 'gyro', data: Float32Array, fs: number): Recording => ({
    format: 'csv',
    source: `synthetic pendulum (${kind})`,
    startTimeMs: 0,
    streams: [
      {
        descriptor: {
          id,
          label: id,
          sampleRateHz: fs,
          channels: [
            {
              id: kind,
              label: kind,
              kind,
              unit: kind === 'angle' ? 'deg' : 'deg/s',
              rangeMin: -2000,
              rangeMax: 2000,
            },
          ],
        },
        data: [data],
      },
    ],
    annotations: [],
    meta: {},
  });

  it('takes the gyro bias from true still periods only, so A0 equals the angle-sensor A0', () => {
    const fs = 100;
    const theta = trueAngle(fs);
    const g = gaussian(9);
    // Gyro: dθ/dt plus a 1.5 °/s bias and 0.1 °/s noise.
    const gyro = Float32Array.from(theta, (_, i) => {
      const d =
        ((theta[Math.min(theta.length - 1, i + 1)] ?? 0) - (theta[Math.max(0, i - 1)] ?? 0)) * (fs / 2);
      return d + 1.5 + 0.1 * g();
    });
    const fromAngle = analyzeRecording(recording('angle', 'angle', Float32Array.from(theta), fs), {
      protocol: 'pendulum',
    });
    const fromGyro = analyzeRecording(recording('imu', 'gyro', gyro, fs), { protocol: 'pendulum' });
    const a0Angle = Number(fromAngle.summary.protocols.pendulum?.A0);
    const a0Gyro = Number(fromGyro.summary.protocols.pendulum?.A0);
    expect(fromGyro.summary.protocols.pendulum?.drops).toBe(1);
    expect(Math.abs(a0Gyro - a0Angle)).toBeLessThan(0.5);
    expect(fromGyro.summary.protocols.pendulum?.nOscThresholdDeg).toBe(2);
  });

  it('says in words why a trace has no drop', () => {
    const fs = 100;
    const a = analyzeRecording(recording('imu', 'gyro', new Float32Array(20 * fs), fs), {
      protocol: 'pendulum',
    });
    expect(a.summary.protocols.pendulum?.drops).toBe(0);
    expect(String(a.summary.protocols.pendulum?.noDropReason)).toMatch(/never fell faster than 20 °\/s/);
  });
});
