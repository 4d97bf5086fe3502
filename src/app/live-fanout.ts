import type { LiveView } from '../shared/api/device-api.js';
import type { LiveFrame, LiveStreamFrame } from '../shared/live-frame.js';
import type { SampleBlock, StreamDescriptor } from '../shared/samples.js';
import { MinMaxDecimator } from '../dsp/minmax-decimator.js';

interface StreamState {
  descriptor: StreamDescriptor;
  decimator: MinMaxDecimator;
  lastSampleTimeMs: number;
}

/**
 * Reduces incoming sample blocks to per-pixel display columns for the live view.
 * Cost per sample is constant and small; the frames' size depends only on the view's width.
 */
export class LiveFanout {
  private readonly streams = new Map<string, StreamState>();

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
  }

  push(block: SampleBlock): void {
    const s = this.streams.get(block.streamId);
    if (!s) return;
    s.decimator.push(block.data);
    s.lastSampleTimeMs = block.timestampsMs[block.timestampsMs.length - 1] ?? s.lastSampleTimeMs;
  }

  /** The columns completed since the last frame, or undefined when there are none. */
  frame(sentAtMs: number): LiveFrame | undefined {
    const streams: LiveStreamFrame[] = [];
    for (const s of this.streams.values()) {
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
