import { describe, expect, it } from 'vitest';
import {
  JointAngleIntegrator,
  jointAngleSource,
  jointAngleStream,
} from '../../../src/shared/live-joint-angle.js';
import type { ChannelDescriptor, StreamDescriptor } from '../../../src/shared/samples.js';

const ch = (
  id: string,
  kind: ChannelDescriptor['kind'],
  unit: ChannelDescriptor['unit'],
): ChannelDescriptor => ({
  id,
  label: id,
  kind,
  unit,
  rangeMin: -2000,
  rangeMax: 2000,
});
const imu = (extra: Partial<StreamDescriptor> = {}): StreamDescriptor => ({
  id: 'imu',
  label: 'IMU',
  sampleRateHz: 100,
  channels: [ch('accX', 'accel', 'g'), ch('gyroX', 'gyro', 'rad/s'), ch('gyroZ', 'gyro', 'deg/s')],
  ...extra,
});

describe('live joint angle', () => {
  it('integrates the joint-axis gyro when the mounting names it, else the first gyro in °/s or rad/s', () => {
    expect(jointAngleSource([imu({ jointAxisChannelId: 'gyroZ' })])).toEqual({
      streamId: 'imu',
      channelIndex: 2,
      degSPerUnit: 1,
      sampleRateHz: 100,
    });
    expect(jointAngleSource([imu()])).toMatchObject({ channelIndex: 1, degSPerUnit: 180 / Math.PI });
  });

  it('is not derived when the device measures an angle itself or has no gyro in angular units', () => {
    const withAngle = imu({ channels: [...imu().channels, ch('knee', 'angle', 'deg')] });
    expect(jointAngleSource([withAngle])).toBeUndefined();
    expect(jointAngleSource([imu({ channels: [ch('g', 'gyro', 'counts')] })])).toBeUndefined();
  });

  it('gives 90° for 1 s at 90 °/s, continuous across any block split, from 0 at the first sample', () => {
    const source = { streamId: 'imu', channelIndex: 0, degSPerUnit: 1, sampleRateHz: 100 };
    const whole = new JointAngleIntegrator(source).push(new Float32Array(101).fill(90));
    expect(whole[0]).toBe(0);
    expect(whole[100]).toBeCloseTo(90, 4);
    const split = new JointAngleIntegrator(source);
    const parts = [split.push(new Float32Array(37).fill(90)), split.push(new Float32Array(64).fill(90))];
    expect(Array.from(parts.flatMap((p) => Array.from(p)))).toEqual(Array.from(whole));
    expect(jointAngleStream(source).channels[0]).toMatchObject({ kind: 'angle', unit: 'deg' });
  });
});
