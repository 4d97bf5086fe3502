import { describe, expect, it } from 'vitest';
import { LiveFanout } from '../../../src/app/live-fanout.js';
import { JOINT_ANGLE_STREAM_ID } from '../../../src/shared/live-joint-angle.js';
import type { StreamDescriptor } from '../../../src/shared/samples.js';

const imu: StreamDescriptor = {
  id: 'imu',
  label: 'IMU',
  sampleRateHz: 100,
  channels: [{ id: 'gyroZ', label: 'Gyro Z', kind: 'gyro', unit: 'deg/s', rangeMin: -2000, rangeMax: 2000 }],
};

describe('live fan-out', () => {
  it('sends the joint angle integrated from the gyro as one more stream, in display columns', () => {
    const fanout = new LiveFanout('demo', [imu], { widthPx: 100, windowS: 10 });
    const omega = new Float32Array(200).fill(45);
    fanout.push({
      streamId: 'imu',
      firstSeq: 0,
      timestampsMs: Float64Array.from(omega, (_, i) => 1000 + i * 10),
      data: [omega],
    });
    const frame = fanout.frame(5000);
    const angle = frame?.streams.find((s) => s.streamId === JOINT_ANGLE_STREAM_ID);
    expect(angle).toMatchObject({ channelCount: 1, columns: 20, lastSampleTimeMs: 2990 });
    // Column k covers samples 10k … 10k+9: at 45 °/s the angle there is 4.5k … 4.5k + 4.05°.
    expect(angle?.min[19]).toBeCloseTo(85.5, 3);
    expect(angle?.max[19]).toBeCloseTo(89.55, 3);
  });
});
