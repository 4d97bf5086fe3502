import { LiveFanout } from '../../src/app/live-fanout.js';
import { SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import type { SampleBlock } from '../../src/shared/samples.js';
import type { Bench } from './harness.js';
import { timeIt } from './harness.js';

const SECONDS = 30;
const FRAME_MS = 1000 / 30;

/** Pre-generates SECONDS of demo signal in 20 ms blocks, as the driver delivers them. */
function demoBlocks(): { blocks: SampleBlock[]; samples: number; generatePerSecond: number } {
  const signal = new SyntheticSignal();
  const blocks: SampleBlock[] = [];
  let samples = 0;
  const start = performance.now();
  for (let tick = 1; tick <= SECONDS * 50; tick++) {
    for (const s of signal.streams) {
      const id = s.id as 'emg' | 'imu';
      const due = Math.floor((tick / 50) * s.sampleRateHz) - signal.produced(id);
      if (due > 0) {
        const b = signal.next(id, due);
        blocks.push(b);
        samples += due * b.data.length;
      }
    }
  }
  return { blocks, samples, generatePerSecond: samples / ((performance.now() - start) / 1000) };
}

export const bench: Bench = {
  name: 'synthetic device + per-pixel decimation',
  async run() {
    const { blocks, samples, generatePerSecond } = demoBlocks();
    const realTime = samples / SECONDS;
    const decimate = timeIt(() => {
      const fanout = new LiveFanout('synthetic', new SyntheticSignal().streams, {
        widthPx: 1000,
        windowS: 10,
      });
      let nextFrame = 0;
      for (const b of blocks) {
        fanout.push(b);
        const t = (b.timestampsMs.at(-1) ?? 0) - (blocks[0]?.timestampsMs[0] ?? 0);
        if (t >= nextFrame) {
          fanout.frame(t);
          nextFrame += FRAME_MS;
        }
      }
    });
    return [
      {
        name: 'synthetic signal generation (8 EMG @ 2 kHz + 6 IMU @ 100 Hz)',
        throughput: generatePerSecond,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
      },
      {
        name: 'live fan-out: min/max per pixel + frames at 30 Hz',
        throughput: decimate.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
        note: `${SECONDS} s of signal, ${decimate.calls} passes`,
      },
    ];
  },
};
