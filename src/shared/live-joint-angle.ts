import type { StreamDescriptor } from './samples.js';

/**
 * The joint angle drawn on the Live screen for devices that measure angular velocity but no angle: the
 * stretch-velocity gyro channel (the mounting's joint axis, else the first gyro channel in °/s or rad/s,
 * the same rule as the live stretch analysis) integrated over time, 0° where the stream started. The live
 * display sends it as one more stream, {@link JOINT_ANGLE_STREAM_ID}, beside the device's own.
 */
export const JOINT_ANGLE_STREAM_ID = 'joint-angle';

const DEG_PER_UNIT: Readonly<Record<string, number>> = { 'deg/s': 1, 'rad/s': 180 / Math.PI };

/** Where the joint angle comes from. */
export interface JointAngleSource {
  streamId: string;
  channelIndex: number;
  /** Multiplies the channel's values into °/s. */
  degSPerUnit: number;
  sampleRateHz: number;
}

/** The gyro channel the joint angle is integrated from; undefined when the device already measures an angle or has no usable gyro. */
export function jointAngleSource(streams: readonly StreamDescriptor[]): JointAngleSource | undefined {
  if (streams.some((s) => s.channels.some((c) => c.kind === 'angle'))) return undefined;
  const pick = (s: StreamDescriptor, index: number): JointAngleSource | undefined => {
    const scale = DEG_PER_UNIT[s.channels[index]?.unit ?? ''];
    return scale === undefined
      ? undefined
      : { streamId: s.id, channelIndex: index, degSPerUnit: scale, sampleRateHz: s.sampleRateHz };
  };
  for (const s of streams) {
    if (s.jointAxisChannelId === undefined) continue;
    const found = pick(
      s,
      s.channels.findIndex((c) => c.id === s.jointAxisChannelId),
    );
    if (found) return found;
  }
  for (const s of streams) {
    const found = pick(
      s,
      s.channels.findIndex((c) => c.kind === 'gyro' && DEG_PER_UNIT[c.unit] !== undefined),
    );
    if (found) return found;
  }
  return undefined;
}

/** The descriptor of the derived joint-angle stream (one channel, °, at the gyro's rate). */
export function jointAngleStream(source: JointAngleSource): StreamDescriptor {
  return {
    id: JOINT_ANGLE_STREAM_ID,
    label: 'Joint angle',
    sampleRateHz: source.sampleRateHz,
    channels: [
      { id: 'angle', label: 'Joint angle', kind: 'angle', unit: 'deg', rangeMin: -360, rangeMax: 360 },
    ],
  };
}

/**
 * Integrates the source channel block by block (trapezoidal rule, continuous across blocks): θ in °, 0 at
 * the first sample.
 */
export class JointAngleIntegrator {
  private thetaDeg = 0;
  private lastDegS: number | undefined;

  constructor(readonly source: JointAngleSource) {}

  /** The angle at every sample of `values` (the source channel of one block). */
  push(values: Float32Array): Float32Array {
    const out = new Float32Array(values.length);
    const dtS = 1 / this.source.sampleRateHz;
    for (let i = 0; i < values.length; i++) {
      const w = (values[i] ?? 0) * this.source.degSPerUnit;
      if (this.lastDegS !== undefined) this.thetaDeg += 0.5 * (this.lastDegS + w) * dtS;
      this.lastDegS = w;
      out[i] = this.thetaDeg;
    }
    return out;
  }
}
