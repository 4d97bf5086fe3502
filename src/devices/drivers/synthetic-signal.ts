import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import { SeededRandom } from '../random.js';

/** Parameters of the synthetic demo signal. All amplitudes are in the stream's unit. */
export interface SyntheticParams {
  seed: number;
  /** Host time of sample 0, ms since the Unix epoch. */
  startTimeMs: number;
  emgChannels: number;
  emgRateHz: number;
  imuRateHz: number;
  /** RMS of the EMG noise floor, µV. */
  emgNoiseUv: number;
  /** RMS of a reflex burst at full severity, µV. */
  emgBurstUv: number;
  /** Length of one scripted cycle (rest, fast stretch, hold, slow return), s. */
  cycleS: number;
  /** Range of the scripted stretch, degrees. */
  stretchRangeDeg: number;
  /** Duration of the fast stretch, s. */
  stretchS: number;
}

export const defaultSyntheticParams: SyntheticParams = {
  seed: 1,
  startTimeMs: 0,
  emgChannels: 8,
  emgRateHz: 2000,
  imuRateHz: 100,
  emgNoiseUv: 3,
  emgBurstUv: 40,
  cycleS: 8,
  stretchRangeDeg: 70,
  stretchS: 0.4,
};

export function syntheticStreams(p: SyntheticParams): StreamDescriptor[] {
  const emg: StreamDescriptor = {
    id: 'emg',
    label: 'EMG',
    sampleRateHz: p.emgRateHz,
    channels: Array.from({ length: p.emgChannels }, (_, i) => ({
      id: `emg${i + 1}`,
      label: `EMG ${i + 1}`,
      kind: 'emg' as const,
      unit: 'uV' as const,
      rangeMin: -6000,
      rangeMax: 6000,
    })),
  };
  const axis = ['X', 'Y', 'Z'];
  const imu: StreamDescriptor = {
    id: 'imu',
    label: 'IMU',
    sampleRateHz: p.imuRateHz,
    channels: [
      ...axis.map((a) => ({
        id: `acc${a}`,
        label: `Accel ${a}`,
        kind: 'accel' as const,
        unit: 'g' as const,
        rangeMin: -8,
        rangeMax: 8,
      })),
      ...axis.map((a) => ({
        id: `gyro${a}`,
        label: `Gyro ${a}`,
        kind: 'gyro' as const,
        unit: 'deg/s' as const,
        rangeMin: -2000,
        rangeMax: 2000,
      })),
    ],
  };
  return [emg, imu];
}

/** Minimum-jerk position (0..1) and its derivative (per unit time) at normalised time u in [0, 1]. */
function minJerk(u: number): { pos: number; vel: number } {
  const c = Math.min(1, Math.max(0, u));
  return { pos: 10 * c ** 3 - 15 * c ** 4 + 6 * c ** 5, vel: 30 * c ** 2 - 60 * c ** 3 + 30 * c ** 4 };
}

/**
 * Joint angle (deg) and angular velocity (deg/s) of the scripted movement at time `tS` since start:
 * rest, a fast stretch over `stretchS`, a hold, then a slow return over a quarter cycle.
 */
export function scriptedMotion(p: SyntheticParams, tS: number): { angleDeg: number; velocityDegS: number } {
  const t = tS % p.cycleS;
  const stretchStart = p.cycleS * 0.4;
  const holdEnd = stretchStart + p.stretchS + 1;
  const returnS = p.cycleS * 0.25;
  if (t >= stretchStart && t < stretchStart + p.stretchS) {
    const m = minJerk((t - stretchStart) / p.stretchS);
    return { angleDeg: p.stretchRangeDeg * m.pos, velocityDegS: (p.stretchRangeDeg * m.vel) / p.stretchS };
  }
  if (t >= stretchStart + p.stretchS && t < holdEnd) return { angleDeg: p.stretchRangeDeg, velocityDegS: 0 };
  if (t >= holdEnd && t < holdEnd + returnS) {
    const m = minJerk((t - holdEnd) / returnS);
    return {
      angleDeg: p.stretchRangeDeg * (1 - m.pos),
      velocityDegS: (-p.stretchRangeDeg * m.vel) / returnS,
    };
  }
  return { angleDeg: 0, velocityDegS: 0 };
}

/** Reflex burst envelope (0..1) at `tS`: a burst ~60 ms after the fast stretch starts, lasting ~250 ms. */
function reflexEnvelope(p: SyntheticParams, tS: number): number {
  const t = tS % p.cycleS;
  const onset = p.cycleS * 0.4 + 0.06;
  const x = (t - onset - 0.125) / 0.08;
  return Math.exp(-x * x);
}

/**
 * The demo device's signal generator. Deterministic: for a given seed, the samples depend only on
 * their index, not on how the caller splits them into blocks.
 */
export class SyntheticSignal {
  readonly streams: StreamDescriptor[];
  private readonly random: Record<'emg' | 'imu', SeededRandom>;
  private readonly nextSeq = { emg: 0, imu: 0 };

  constructor(readonly params: SyntheticParams = defaultSyntheticParams) {
    this.streams = syntheticStreams(params);
    this.random = { emg: new SeededRandom(params.seed), imu: new SeededRandom(params.seed ^ 0x9e3779b9) };
  }

  /** Samples produced so far for `streamId`. */
  produced(streamId: 'emg' | 'imu'): number {
    return this.nextSeq[streamId];
  }

  /** Produces the next `count` samples of `streamId`. */
  next(streamId: 'emg' | 'imu', count: number): SampleBlock {
    const p = this.params;
    const rateHz = streamId === 'emg' ? p.emgRateHz : p.imuRateHz;
    const firstSeq = this.nextSeq[streamId];
    this.nextSeq[streamId] += count;
    const rnd = this.random[streamId];
    const timestampsMs = new Float64Array(count);
    for (let i = 0; i < count; i++) timestampsMs[i] = p.startTimeMs + ((firstSeq + i) * 1000) / rateHz;

    if (streamId === 'emg') {
      const data = Array.from({ length: p.emgChannels }, () => new Float32Array(count));
      for (let i = 0; i < count; i++) {
        const tS = (firstSeq + i) / rateHz;
        const burst = reflexEnvelope(p, tS) * p.emgBurstUv;
        for (let c = 0; c < p.emgChannels; c++) {
          const gain = 1 / (1 + c * 0.35);
          (data[c] as Float32Array)[i] = rnd.gaussian() * (p.emgNoiseUv + burst * gain);
        }
      }
      return { streamId, firstSeq, timestampsMs, data };
    }

    const data = Array.from({ length: 6 }, () => new Float32Array(count));
    const [ax, ay, az, gx, gy, gz] = data as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    for (let i = 0; i < count; i++) {
      const m = scriptedMotion(p, (firstSeq + i) / rateHz);
      const rad = (m.angleDeg * Math.PI) / 180;
      ax[i] = Math.sin(rad) + rnd.gaussian() * 0.01;
      ay[i] = Math.cos(rad) + rnd.gaussian() * 0.01;
      az[i] = 0.05 + rnd.gaussian() * 0.01;
      gx[i] = rnd.gaussian() * 0.5;
      gy[i] = rnd.gaussian() * 0.5;
      gz[i] = m.velocityDegS + rnd.gaussian() * 0.5;
    }
    return { streamId, firstSeq, timestampsMs, data };
  }
}
