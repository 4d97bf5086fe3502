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

export const bench: Bench = {
  name: 'whole-session analysis of a 1-hour recording',
  async run() {
    const rec = oneHour();
    const start = performance.now();
    const a = analyzeRecording(rec);
    const seconds = (performance.now() - start) / 1000;
    const samples = 8 * 2000 * 3600 * HOURS + 6 * 100 * 3600 * HOURS;
    return [
      {
        name: `analyzeRecording: 8 EMG @ 2 kHz + 6 IMU @ 100 Hz, ${HOURS} h`,
        throughput: samples / seconds,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: samples / (3600 * HOURS),
        note: `${seconds.toFixed(2)} s (target < 5 s); ${a.events.length} events, ${a.summary.indicators.length} indicators`,
      },
    ];
  },
};
