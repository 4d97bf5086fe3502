import { butterworthSos } from '../../../src/dsp/butterworth.js';
import { integrateAngle } from '../../../src/dsp/imu.js';
import { sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import type { Annotation, Recording } from '../../../src/shared/recording.js';
import { gaussian } from '../dsp/signals.js';

export const IMU_FS = 200;
export const EMG_FS = 2000;

/**
 * A synthetic stretch session: 3 slow (3 s) then 3 fast (0.3 s) min-jerk stretches of 80°, each after 2 s of
 * rest, held 1 s, then returned in 1 s. EMG: band-passed noise (RMS ≈ 3) plus a 150 ms burst (×40) starting
 * 80 ms into each fast stretch. Returns θ, ω (IMU rate) and the EMG.
 */
export function stretchSession(seed = 9): {
  theta: Float64Array;
  omega: Float64Array;
  emg: Float64Array;
  fastStartsS: number[];
} {
  const plan = [3, 3, 3, 0.3, 0.3, 0.3];
  const segLen = (d: number): number => 2 + d + 1 + 1;
  const total = plan.reduce((a, d) => a + segLen(d), 0);
  const omega = new Float64Array(Math.round(total * IMU_FS));
  const mask = new Float64Array(Math.round(total * EMG_FS));
  const fastStartsS: number[] = [];
  let t0 = 0;
  for (const d of plan) {
    const start = t0 + 2;
    for (let i = 0; i < Math.round(d * IMU_FS); i++) {
      const tau = i / (d * IMU_FS);
      omega[Math.round(start * IMU_FS) + i] = (80 / d) * (30 * tau ** 2 - 60 * tau ** 3 + 30 * tau ** 4);
    }
    for (let i = 0; i < IMU_FS; i++)
      omega[Math.round((start + d + 1) * IMU_FS) + i] = -80 * (1 - Math.cos((2 * Math.PI * i) / IMU_FS));
    if (d < 1) {
      fastStartsS.push(start);
      for (let i = 0; i < Math.round(0.15 * EMG_FS); i++) mask[Math.round((start + 0.08) * EMG_FS) + i] = 1;
    }
    t0 += segLen(d);
  }
  const g = gaussian(seed);
  const sos = butterworthSos(4, [20, 450], 'bandpass', EMG_FS);
  const noise = sosfiltfilt(
    sos,
    Float64Array.from({ length: mask.length }, () => g()),
  );
  const burst = sosfiltfilt(
    sos,
    Float64Array.from({ length: mask.length }, () => g()),
  );
  const emg = noise.map((v, i) => 3 * v + 40 * (burst[i] ?? 0) * (mask[i] ?? 0));
  return { theta: integrateAngle(omega, IMU_FS, 0), omega, emg, fastStartsS };
}

/**
 * {@link stretchSession} as a Recording (one EMG channel in µV at {@link EMG_FS}, the gyro in °/s at
 * {@link IMU_FS}), with the samples inside `zeroedS` set to 0 as a stored session holds a paused span.
 */
export function stretchRecording(
  zeroedS?: { startS: number; endS: number },
  startTimeMs = 0,
  annotations: Annotation[] = [],
): Recording {
  const { omega, emg } = stretchSession();
  const samples = (x: ArrayLike<number>, fs: number): Float32Array =>
    Float32Array.from(x, (v, i) => (zeroedS && i / fs >= zeroedS.startS && i / fs < zeroedS.endS ? 0 : v));
  return {
    format: 'tonus-capture',
    source: 'synthetic stretches',
    startTimeMs,
    streams: [
      {
        descriptor: {
          id: 'emg',
          label: 'EMG',
          sampleRateHz: EMG_FS,
          channels: [
            { id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -5000, rangeMax: 5000 },
          ],
        },
        data: [samples(emg, EMG_FS)],
      },
      {
        descriptor: {
          id: 'imu',
          label: 'IMU',
          sampleRateHz: IMU_FS,
          channels: [
            { id: 'gyroZ', label: 'Gyro Z', kind: 'gyro', unit: 'deg/s', rangeMin: -2000, rangeMax: 2000 },
          ],
        },
        data: [samples(omega, IMU_FS)],
      },
    ],
    annotations,
    meta: {},
  };
}
