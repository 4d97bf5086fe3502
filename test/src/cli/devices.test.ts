import { describe, expect, it, vi } from 'vitest';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

describe('tonus devices', () => {
  it('lists the built-in demo device as JSON', async () => {
    const { code, out } = await capture(['devices', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      {
        id: 'synthetic',
        name: 'Demo device (synthetic EMG + IMU)',
        transport: 'builtin',
        streams: [
          { id: 'emg', sampleRateHz: 2000, channels: 8 },
          { id: 'imu', sampleRateHz: 100, channels: 6 },
        ],
      },
    ]);
  });

  it('answers an unknown command with the usage exit code 2', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await capture(['frobnicate'])).code).toBe(2);
    err.mockRestore();
  });
});
