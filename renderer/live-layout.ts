import { JOINT_ANGLE_STREAM_ID, jointAngleSource, jointAngleStream } from '../src/shared/live-joint-angle.js';
import type { SignalKind, StreamDescriptor } from '../src/shared/samples.js';

/** One live chart: channels of one stream, of one kind. */
export interface LivePanel {
  key: string;
  stream: StreamDescriptor;
  channelIds: string[];
  title: string;
  /** EMG is drawn in lanes of ± this many units around each channel's own zero. */
  laneHalfRange?: number;
  /** How the values were obtained, when it is not plain from the title. */
  note?: string;
}

/** Chart titles per signal kind, in the order the panels are shown. */
const KIND_TITLES: readonly [SignalKind, string][] = [
  ['emg', 'EMG'],
  ['accel', 'Acceleration'],
  ['gyro', 'Angular velocity'],
  ['angle', 'Joint angle'],
  ['other', 'Other signals'],
];

/** Lane half-range of EMG charts, µV. */
export const EMG_LANE_HALF_RANGE_UV = 100;

/**
 * The live charts for a device, whatever it is (demo, Cyton, Myo, MetaWear, a group of several): one panel per
 * signal kind and stream, EMG first, then acceleration, angular velocity, angle and the rest. Marker channels
 * are not charted. A kind found in several streams gets the stream's label in its title. A device with a gyro
 * but no angle channel gets the joint angle integrated from its gyro (src/shared/live-joint-angle.ts).
 */
export function livePanels(deviceStreams: readonly StreamDescriptor[]): LivePanel[] {
  const derived = jointAngleSource(deviceStreams);
  const streams = derived ? [...deviceStreams, jointAngleStream(derived)] : deviceStreams;
  const panels: LivePanel[] = [];
  for (const [kind, title] of KIND_TITLES) {
    const holding = streams.filter((s) => s.channels.some((c) => c.kind === kind));
    for (const stream of holding) {
      panels.push({
        key: `${stream.id}:${kind}`,
        stream,
        channelIds: stream.channels.filter((c) => c.kind === kind).map((c) => c.id),
        title: holding.length > 1 ? `${title} · ${stream.label}` : title,
        ...(stream.id === JOINT_ANGLE_STREAM_ID
          ? { note: 'from the gyroscope; 0 where the view started' }
          : {}),
        ...(kind === 'emg' ? { laneHalfRange: EMG_LANE_HALF_RANGE_UV } : {}),
      });
    }
  }
  return panels;
}
