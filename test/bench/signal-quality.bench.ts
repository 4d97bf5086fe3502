import { defaultSyntheticParams, SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import { demoSyntheticParams } from '../../src/devices/drivers/synthetic.js';
import { LiveSignalQuality } from '../../src/indicators/live-signal-quality.js';
import type { SampleBlock } from '../../src/shared/samples.js';
import type { Bench } from './harness.js';
import { timeIt } from './harness.js';

const SECONDS = 30;

/** SECONDS of the demo's 8 EMG channels at 2 kHz in 20 ms blocks, as the driver delivers them. */
function emgBlocks(): { blocks: SampleBlock[]; signal: SyntheticSignal } {
  const signal = new SyntheticSignal({ ...defaultSyntheticParams, ...demoSyntheticParams });
  const blocks: SampleBlock[] = [];
  for (let tick = 0; tick < SECONDS * 50; tick++) blocks.push(signal.next('emg', 40));
  return { blocks, signal };
}

export const bench: Bench = {
  name: 'live signal quality (8 EMG @ 2 kHz)',
  async run() {
    const { blocks, signal } = emgBlocks();
    const emg = signal.streams.filter((s) => s.id === 'emg');
    const channelSamples = SECONDS * 2000 * 8;
    const realTime = channelSamples / SECONDS;
    const streaming = timeIt(() => {
      const q = new LiveSignalQuality(emg);
      for (let i = 0; i < blocks.length; i++) {
        q.push(blocks[i] as SampleBlock);
        // One evaluation per second of signal, as the acquisition emits them.
        if (i % 50 === 49) q.evaluate();
      }
    });
    const pushOnly = timeIt(() => {
      const q = new LiveSignalQuality(emg);
      for (const b of blocks) q.push(b);
    });
    return [
      {
        name: 'push + evaluate once a second (band-pass, 250 ms sums, §1.3 line-noise test on 8 s)',
        throughput: streaming.perSecond * channelSamples,
        unit: ' channel-samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
        note: `${SECONDS} s of signal, ${streaming.calls} passes`,
      },
      {
        name: 'push only (what runs while nobody listens)',
        throughput: pushOnly.perSecond * channelSamples,
        unit: ' channel-samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
        note: `${SECONDS} s of signal, ${pushOnly.calls} passes`,
      },
    ];
  },
};
