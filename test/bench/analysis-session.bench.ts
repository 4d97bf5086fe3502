import { availableParallelism } from 'node:os';
import { butterworthSos } from '../../src/dsp/butterworth.js';
import { rms } from '../../src/dsp/envelope.js';
import { sosfiltfilt } from '../../src/dsp/sos-filter.js';
import { analysedInParallel, analyzeSessionRecording } from '../../src/app/emg-analysis-pool.js';
import { analyzeRecording } from '../../src/indicators/session-analysis.js';
import type { Recording } from '../../src/shared/recording.js';
import { syntheticEmg } from './dsp-synthetic-emg.js';
import type { Bench } from './harness.js';

const HOURS = 1;

/** A 1-hour session: 8 EMG channels at 2 kHz (µV) and a 6-axis IMU at 100 Hz with a stretch every 10 s. */
export function oneHour(): Recording {
  const seconds = HOURS * 3600;
  const emg = syntheticEmg(8, 2000, seconds);
  const imuN = seconds * 100;
  const gyro = new Float32Array(imuN);
  for (let i = 0; i < imuN; i++) {
    const t = (i / 100) % 10;
    gyro[i] =
      t > 5 && t < 5.5
        ? 200 * Math.sin((Math.PI * (t - 5)) / 0.5)
        : t > 7 && t < 8
          ? -100 * Math.sin(Math.PI * (t - 7))
          : 0;
  }
  const zeros = (): Float32Array => new Float32Array(imuN);
  const emgChannels = emg.map((_, k) => ({
    id: `emg${k + 1}`,
    label: `EMG ${k + 1}`,
    kind: 'emg' as const,
    unit: 'uV' as const,
    rangeMin: -5000,
    rangeMax: 5000,
  }));
  const axes = ['accX', 'accY', 'accZ', 'gyroX', 'gyroY', 'gyroZ'];
  return {
    format: 'tonus-capture',
    source: 'synthetic 1 h',
    startTimeMs: 0,
    streams: [
      { descriptor: { id: 'emg', label: 'EMG', sampleRateHz: 2000, channels: emgChannels }, data: emg },
      {
        descriptor: {
          id: 'imu',
          label: 'IMU',
          sampleRateHz: 100,
          channels: axes.map((id) => ({
            id,
            label: id,
            kind: id.startsWith('acc') ? ('accel' as const) : ('gyro' as const),
            unit: id.startsWith('acc') ? ('g' as const) : ('deg/s' as const),
            rangeMin: -2000,
            rangeMax: 2000,
          })),
        },
        data: [zeros(), zeros(), zeros(), zeros(), zeros(), gyro],
      },
    ],
    annotations: [],
    meta: {},
  };
}

const REPEATS = 5;
/** Repeats of the single-threaded analysis, printed for the profile only. */
const SINGLE_REPEATS = 3;
const TARGET_S = 2;

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

/**
 * The raw filter pipeline on the same data, single-threaded: per EMG channel the zero-phase 20–450 Hz
 * band-pass and its RMS, the least any analysis of these channels must do.
 */
function rawPipeline(rec: Recording): number {
  let acc = 0;
  for (const s of rec.streams) {
    if (s.descriptor.id !== 'emg') continue;
    const fs = s.descriptor.sampleRateHz;
    const sos = butterworthSos(4, [20, 450], 'bandpass', fs);
    for (const x of s.data) acc += rms(sosfiltfilt(sos, x));
  }
  return acc;
}

const list = (v: number[]): string => v.map((x) => x.toFixed(2)).join(', ');

export const bench: Bench = {
  name: 'whole-session analysis of a 1-hour recording',
  async run() {
    const rec = oneHour();
    const samples = 8 * 2000 * 3600 * HOURS + 6 * 100 * 3600 * HOURS;
    const threads = availableParallelism();
    // The machine is shared: each is timed REPEATS times, alternating, and the medians are compared.
    const analysisS: number[] = [];
    const pipelineS: number[] = [];
    let events = 0;
    let indicators = 0;
    for (let r = 0; r < REPEATS; r++) {
      let start = performance.now();
      // What the app runs (session-analyzer, `tonus analyze`): for 1 hour, EMG channels on worker threads.
      const a = await analyzeSessionRecording(rec);
      analysisS.push((performance.now() - start) / 1000);
      events = a.events.length;
      indicators = a.summary.indicators.length;
      start = performance.now();
      rawPipeline(rec);
      pipelineS.push((performance.now() - start) / 1000);
    }
    const singleS: number[] = [];
    for (let r = 0; r < SINGLE_REPEATS; r++) {
      const start = performance.now();
      analyzeRecording(rec);
      singleS.push((performance.now() - start) / 1000);
    }
    const analysis = median(analysisS);
    const pipeline = median(pipelineS);
    const single = median(singleS);
    const verdict = analysis < TARGET_S ? 'met' : 'NOT met';
    return [
      {
        name: `session analysis as the app runs it (${analysedInParallel(rec) ? `${threads} worker threads` : 'one thread'}): 8 EMG @ 2 kHz + 6 IMU @ 100 Hz, ${HOURS} h`,
        throughput: samples / analysis,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: samples / (3600 * HOURS),
        note: `median ${analysis.toFixed(2)} s of ${REPEATS} (${list(analysisS)}); target < ${TARGET_S} s: ${verdict}; ${events} events, ${indicators} indicators`,
      },
      {
        name: 'session analysis (app, parallel) vs the raw filter pipeline on the same data (single-threaded)',
        throughput: samples / analysis,
        unit: ' samples/s',
        baselineName: 'band-pass + RMS, 1 thread',
        baselineThroughput: samples / pipeline,
        note: `band-pass + RMS median ${pipeline.toFixed(2)} s (${list(pipelineS)}); analysis takes ${(analysis / pipeline).toFixed(2)}× as long`,
      },
      {
        name: 'analyzeRecording on one thread vs the same raw filter pipeline',
        throughput: samples / single,
        unit: ' samples/s',
        baselineName: 'band-pass + RMS, 1 thread',
        baselineThroughput: samples / pipeline,
        note: `median ${single.toFixed(2)} s of ${SINGLE_REPEATS} (${list(singleS)}); ${(single / pipeline).toFixed(2)}× the pipeline`,
      },
    ];
  },
};
