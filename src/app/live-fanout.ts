import type { LiveView } from '../shared/api/device-api.js';
import type { LiveFrame, LiveStreamFrame } from '../shared/live-frame.js';
import type { SampleBlock, StreamDescriptor } from '../shared/samples.js';
import { MinMaxDecimator } from '../dsp/minmax-decimator.js';
import { JointAngleIntegrator, jointAngleSource, jointAngleStream } from '../shared/live-joint-angle.js';

interface StreamState {
  descriptor: StreamDescriptor;
  decimator: MinMaxDecimator;
  lastSampleTimeMs: number;
}

/**
 * Reduces incoming sample blocks to per-pixel display columns for the live view.
 * Cost per sample is constant and small; the frames' size depends only on the view's width.
 * A device with a gyro but no angle channel also gets the derived joint-angle stream
 * (src/shared/live-joint-angle.ts), integrated from where this fan-out started.
 */
export class LiveFanout {
  private readonly streams = new Map<string, StreamState>();
  private readonly angle: { integrator: JointAngleIntegrator; state: StreamState } | undefined;

  constructor(
    readonly deviceId: string,
    descriptors: readonly StreamDescriptor[],
    view: LiveView,
  ) {
    for (const d of descriptors) {
      const samplesPerColumn = (d.sampleRateHz * view.windowS) / view.widthPx;
      this.streams.set(d.id, {
        descriptor: d,
        decimator: new MinMaxDecimator(d.channels.length, samplesPerColumn),
        lastSampleTimeMs: 0,
      });
    }
    const source = jointAngleSource(descriptors);
    if (source) {
      const descriptor = jointAngleStream(source);
      this.angle = {
        integrator: new JointAngleIntegrator(source),
        state: {
          descriptor,
          decimator: new MinMaxDecimator(1, (descriptor.sampleRateHz * view.windowS) / view.widthPx),
          lastSampleTimeMs: 0,
        },
      };
    }
  }

  push(block: SampleBlock): void {
    const s = this.streams.get(block.streamId);
    if (!s) return;
    s.decimator.push(block.data);
    s.lastSampleTimeMs = block.timestampsMs[block.timestampsMs.length - 1] ?? s.lastSampleTimeMs;
    const angle = this.angle;
    const values =
      angle && block.streamId === angle.integrator.source.streamId
        ? block.data[angle.integrator.source.channelIndex]
        : undefined;
    if (angle && values) {
      angle.state.decimator.push([angle.integrator.push(values)]);
      angle.state.lastSampleTimeMs = s.lastSampleTimeMs;
    }
  }

  /** The columns completed since the last frame, or undefined when there are none. */
  frame(sentAtMs: number): LiveFrame | undefined {
    const streams: LiveStreamFrame[] = [];
    const all = this.angle ? [...this.streams.values(), this.angle.state] : this.streams.values();
    for (const s of all) {
      const cols = s.decimator.take();
      if (cols.columns === 0) continue;
      streams.push({
        deviceId: this.deviceId,
        streamId: s.descriptor.id,
        firstColumn: cols.firstColumn,
        columns: cols.columns,
        channelCount: s.descriptor.channels.length,
        samplesPerColumn: s.decimator.samplesPerColumn,
        lastSampleTimeMs: s.lastSampleTimeMs,
        min: cols.min,
        max: cols.max,
      });
    }
    return streams.length > 0 ? { sentAtMs, streams } : undefined;
  }
}
