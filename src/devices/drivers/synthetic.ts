import type { BlockSink, DeviceDescriptor, DeviceDriver } from '../driver.js';
import { CanceledError } from '../driver.js';
import type { SyntheticParams } from './synthetic-signal.js';
import { defaultSyntheticParams, SyntheticSignal, syntheticStreams } from './synthetic-signal.js';

/** How often the driver emits blocks, ms. Real devices deliver in bursts of this order too. */
const TICK_MS = 20;

export const syntheticDescriptor: DeviceDescriptor = {
  id: 'synthetic',
  name: 'Demo device (synthetic EMG + IMU)',
  transport: 'builtin',
  streams: syntheticStreams(defaultSyntheticParams),
};

/**
 * The demo device's last EMG channel picks up 20 µV of mains hum, as through a loose electrode, so that the
 * signal-quality display shows a channel to check (line noise) beside good ones.
 */
export const DEMO_HUM_CHANNEL = { index: 7, amplitudeUv: 20 } as const;

/** What the app's demo device plays on top of {@link defaultSyntheticParams}. */
export const demoSyntheticParams: Partial<SyntheticParams> = { humChannel: DEMO_HUM_CHANNEL };

/**
 * The built-in demo device: paces {@link SyntheticSignal} against the host clock so that it streams in real
 * time, like hardware. Always available; needs nothing plugged in.
 */
export class SyntheticDriver implements DeviceDriver {
  readonly descriptor = syntheticDescriptor;
  private timer: ReturnType<typeof setInterval> | undefined;

  /**
   * @param params overrides of {@link defaultSyntheticParams}: `protocol` picks the script, `severity`,
   *   `baclofenEffect` and `concentrationProfile` (relative baclofen concentration over host time, e.g. from
   *   the dosing model) set the tone; the descriptor stays 8 EMG channels at 2 kHz + a 6-axis IMU at 100 Hz.
   * @param nowMs the host clock, replaceable in tests.
   */
  constructor(
    private readonly params: Partial<SyntheticParams> = {},
    private readonly nowMs: () => number = Date.now,
  ) {}

  async connect(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CanceledError();
  }

  async start(sink: BlockSink): Promise<void> {
    await this.stop();
    const startTimeMs = this.nowMs();
    const signal = new SyntheticSignal({ ...defaultSyntheticParams, ...this.params, startTimeMs });
    const emit = (): void => {
      const elapsedS = (this.nowMs() - startTimeMs) / 1000;
      for (const stream of signal.streams) {
        const id = stream.id as 'emg' | 'imu';
        const due = Math.floor(elapsedS * stream.sampleRateHz) - signal.produced(id);
        if (due > 0) sink(signal.next(id, due));
      }
    };
    this.timer = setInterval(emit, TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  async disconnect(): Promise<void> {
    await this.stop();
  }
}
