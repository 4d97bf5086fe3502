import { useEffect, useRef } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { StreamDescriptor } from '../../src/shared/samples.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { displayUnit } from '../units.js';
import type { LiveMarkerList } from './live-markers.js';
import { LiveStripChart } from './live-strip-chart.js';

export interface LiveChartPanelProps {
  api: ApiClient;
  deviceId: string;
  stream: StreamDescriptor;
  /** Channel ids to show, in order; all channels of the stream by default. */
  channelIds?: readonly string[];
  title: string;
  widthPx: number;
  windowS: number;
  laneHalfRange?: number;
  /** How the values were obtained, shown under the title. */
  note?: string;
  /** Markers of the recording on screen, drawn at their time. */
  markers?: LiveMarkerList;
}

/**
 * React shell around a {@link LiveStripChart}: subscribes to live frames for one stream and feeds the
 * chart's ring buffer directly. Sample data never passes through React state. Angle and angular-velocity
 * channels are drawn in the chosen angle unit (the chart is rebuilt when it changes).
 */
export function LiveChartPanel(props: LiveChartPanelProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { api, deviceId, stream, channelIds, title, widthPx, windowS, laneHalfRange, markers } = props;
  const angleUnit = useAngleUnit();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const indices = (channelIds ?? stream.channels.map((c) => c.id)).map((id) =>
      stream.channels.findIndex((c) => c.id === id),
    );
    const channels = indices.map((i) => stream.channels[i]).filter((c) => c !== undefined);
    const { factor, text: unit } = displayUnit(channels[0]?.unit ?? '', angleUnit);
    const chart = new LiveStripChart(canvas, {
      channels,
      ...(factor === 1 ? {} : { valueScale: factor }),
      widthPx,
      windowS,
      yTitle:
        laneHalfRange === undefined
          ? `${title} (${unit})`
          : `${title} (${unit}, each lane ±${laneHalfRange} ${unit})`,
      ...(laneHalfRange === undefined ? {} : { laneHalfRange }),
      ...(markers ? { markers } : {}),
      ariaLabel: `Live ${title} chart, ${channels.length} channels, last ${windowS} seconds`,
    });
    const off = api.on('liveFrame', (frame) => {
      for (const s of frame.streams) {
        if (s.deviceId !== deviceId || s.streamId !== stream.id) continue;
        chart.ring.push(
          indices.length === s.channelCount && indices.every((v, i) => v === i) ? s : pick(s, indices),
        );
        chart.invalidate();
      }
    });
    return () => {
      off();
      chart.destroy();
    };
  }, [api, deviceId, stream, channelIds, title, widthPx, windowS, laneHalfRange, angleUnit, markers]);

  return (
    <figure className="live-chart">
      <figcaption>
        {title}
        {props.note && <span className="hint"> · {props.note}</span>}
      </figcaption>
      <div className="live-chart__canvas">
        <canvas ref={canvasRef} />
      </div>
    </figure>
  );
}

/** Selects channels `indices` of a channel-major frame. */
function pick<F extends { channelCount: number; columns: number; min: Float32Array; max: Float32Array }>(
  frame: F,
  indices: number[],
): F {
  const min = new Float32Array(indices.length * frame.columns);
  const max = new Float32Array(indices.length * frame.columns);
  indices.forEach((src, dst) => {
    min.set(frame.min.subarray(src * frame.columns, (src + 1) * frame.columns), dst * frame.columns);
    max.set(frame.max.subarray(src * frame.columns, (src + 1) * frame.columns), dst * frame.columns);
  });
  return { ...frame, channelCount: indices.length, min, max };
}
