import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import { SeededRandom } from '../random.js';
import type { PhysiologyParams } from './synthetic-protocols.js';
import { ProtocolScript, severityAt } from './synthetic-protocols.js';

export type { ConcentrationPoint, SyntheticProtocol } from './synthetic-protocols.js';

/**
 * Parameters of the synthetic demo signal. All amplitudes are in the stream's unit. The physiology
 * (protocol, severity, baclofen) is described in {@link PhysiologyParams}; fixtures/README.md lists the
 * defaults and what each protocol plays.
 */
export interface SyntheticParams extends PhysiologyParams {
  seed: number;
  emgChannels: number;
  emgRateHz: number;
  imuRateHz: number;
  /** RMS of the EMG noise floor (electrodes and amplifier), µV. */
  emgNoiseUv: number;
  /** RMS of a reflex burst at full severity and full envelope, µV. */
  emgBurstUv: number;
  /** RMS of tonic activity at rest at full severity, µV (spastic muscles are rarely silent). */
  restToneUv: number;
  /** Mains interference amplitude, µV, and frequency, Hz. */
  mainsUv: number;
  mainsHz: number;
  /**
   * One EMG channel (0-based) that picks up extra mains hum of this amplitude, µV, as through a loosely
   * attached electrode; null for none.
   */
  humChannel: { index: number; amplitudeUv: number } | null;
  /** Distance of the IMU from the joint axis, m (adds tangential and centripetal acceleration). */
  sensorRadiusM: number;
}

export const defaultSyntheticParams: SyntheticParams = {
  seed: 1,
  startTimeMs: 0,
  emgChannels: 8,
  emgRateHz: 2000,
  imuRateHz: 100,
  emgNoiseUv: 3,
  emgBurstUv: 60,
  restToneUv: 1.5,
  mainsUv: 0.3,
  mainsHz: 50,
  humChannel: null,
  sensorRadiusM: 0.2,
  protocol: 'demo',
  cycleS: 8,
  stretchRangeDeg: 70,
  stretchS: 0.4,
  slowStretchS: 3.5,
  severity: 0.7,
  baclofenEffect: 0.6,
  concentrationProfile: [],
  reflexThresholdDegS: 100,
  pendulumStartDeg: 70,
  pendulumHz: 0.9,
  pendulumDampingRelaxed: 0.1605,
  pendulumDampingSevere: 0.5,
  clonusHz: 6,
};

export function syntheticStreams(
  p: Pick<SyntheticParams, 'emgChannels' | 'emgRateHz' | 'imuRateHz'>,
): StreamDescriptor[] {
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
    jointAxisChannelId: 'gyroZ',
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

/**
 * Joint angle (deg) and angular velocity (deg/s) of the scripted movement at `tS` s since start, and the
 * reflex envelope; see {@link ProtocolScript}.
 */
export function scriptedMotion(
  p: SyntheticParams,
  tS: number,
): { angleDeg: number; velocityDegS: number; reflex: number; step: string } {
  return new ProtocolScript(p).at(tS);
}

/**
 * A second-order band-pass (RBJ biquad, constant peak gain) turning white noise into EMG-like noise
 * (motor-unit action potentials put most power between ~50 and 150 Hz).
 */
class BandPass {
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  private readonly b0: number;
  private readonly b2: number;
  private readonly a1: number;
  private readonly a2: number;
  /** Output RMS for unit-variance white input, so callers can normalise. */
  readonly rmsGain: number;

  constructor(centreHz: number, q: number, rateHz: number) {
    const w0 = (2 * Math.PI * centreHz) / rateHz;
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    this.b0 = alpha / a0;
    this.b2 = -alpha / a0;
    this.a1 = (-2 * Math.cos(w0)) / a0;
    this.a2 = (1 - alpha) / a0;
    let energy = 0;
    for (let i = 0; i < 20000; i++) energy += this.step(i === 0 ? 1 : 0) ** 2;
    this.rmsGain = Math.sqrt(energy);
    this.x1 = this.x2 = this.y1 = this.y2 = 0;
  }

  step(x: number): number {
    const y = this.b0 * x + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

const G = 9.80665;

/**
 * The demo device's signal generator. Deterministic: for a given seed, the samples depend only on
 * their index, not on how the caller splits them into blocks.
 */
export class SyntheticSignal {
  readonly streams: StreamDescriptor[];
  readonly script: ProtocolScript;
  private readonly random: Record<'emg' | 'imu', SeededRandom>;
  private readonly nextSeq = { emg: 0, imu: 0 };
  private readonly muscle: BandPass[];

  constructor(readonly params: SyntheticParams = defaultSyntheticParams) {
    this.streams = syntheticStreams(params);
    this.script = new ProtocolScript(params);
    this.random = { emg: new SeededRandom(params.seed), imu: new SeededRandom(params.seed ^ 0x9e3779b9) };
    this.muscle = Array.from({ length: params.emgChannels }, () => new BandPass(90, 0.8, params.emgRateHz));
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
      const mainsW = 2 * Math.PI * p.mainsHz;
      // The envelope changes slowly: evaluate the script every 1 ms and hold.
      const hold = Math.max(1, Math.round(rateHz / 1000));
      let envelope = 0;
      for (let i = 0; i < count; i++) {
        const seq = firstSeq + i;
        const tS = seq / rateHz;
        if (i === 0 || seq % hold === 0) {
          const heldS = (Math.floor(seq / hold) * hold) / rateHz;
          const m = this.script.at(heldS);
          const tone = p.restToneUv * severityAt(p, heldS);
          envelope = Math.hypot(tone, m.reflex * p.emgBurstUv);
        }
        const mains = Math.sin(mainsW * tS);
        const hum = p.mainsUv * mains;
        for (let c = 0; c < p.emgChannels; c++) {
          const gain = 1 / (1 + c * 0.35);
          const bp = this.muscle[c] as BandPass;
          const activity = (bp.step(rnd.gaussian()) / bp.rmsGain) * envelope * gain;
          const extraHum = p.humChannel?.index === c ? p.humChannel.amplitudeUv * mains : 0;
          (data[c] as Float32Array)[i] = rnd.gaussian() * p.emgNoiseUv + activity + hum + extraHum;
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
    const h = 0.001;
    for (let i = 0; i < count; i++) {
      const tS = (firstSeq + i) / rateHz;
      const m = this.script.at(tS);
      const alphaRadS2 =
        (((this.script.at(tS + h).velocityDegS - this.script.at(tS - h).velocityDegS) / (2 * h)) * Math.PI) /
        180;
      const omegaRadS = (m.velocityDegS * Math.PI) / 180;
      const rad = (m.angleDeg * Math.PI) / 180;
      ax[i] = Math.sin(rad) + (p.sensorRadiusM * alphaRadS2) / G + rnd.gaussian() * 0.01;
      ay[i] = Math.cos(rad) - (p.sensorRadiusM * omegaRadS * omegaRadS) / G + rnd.gaussian() * 0.01;
      az[i] = 0.05 + rnd.gaussian() * 0.01;
      gx[i] = rnd.gaussian() * 0.5;
      gy[i] = rnd.gaussian() * 0.5;
      gz[i] = m.velocityDegS + rnd.gaussian() * 0.5;
    }
    return { streamId, firstSeq, timestampsMs, data };
  }
}
