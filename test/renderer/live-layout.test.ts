import { describe, expect, it } from 'vitest';
import { livePanels } from '../../renderer/live-layout.js';
import { builtinDevices } from '../../src/devices/registry.js';
import { deviceKinds } from '../../src/devices/descriptors.js';
import { JOINT_ANGLE_STREAM_ID, jointAngleSource } from '../../src/shared/live-joint-angle.js';
import type { StreamDescriptor } from '../../src/shared/samples.js';

const titles = (streams: readonly StreamDescriptor[]): string[] => livePanels(streams).map((p) => p.title);

describe('live chart layout', () => {
  it('gives the demo device EMG, acceleration, angular velocity and joint angle charts', () => {
    const demo = builtinDevices.find((d) => d.descriptor.id === 'synthetic');
    expect(titles(demo?.descriptor.streams ?? [])).toEqual([
      'EMG',
      'Acceleration',
      'Angular velocity',
      'Joint angle',
    ]);
    expect(livePanels(demo?.descriptor.streams ?? []).at(-1)?.note).toMatch(/from the gyroscope/);
  });

  it('charts every wearable kind that has signals, EMG lanes first', () => {
    for (const kind of deviceKinds) {
      const panels = livePanels(kind.streams);
      const charted = new Set(panels.flatMap((p) => p.channelIds.map((c) => `${p.stream.id}/${c}`)));
      const expected = kind.streams.flatMap((s) =>
        s.channels.filter((c) => c.kind !== 'marker').map((c) => `${s.id}/${c.id}`),
      );
      if (jointAngleSource(kind.streams)) expected.push(`${JOINT_ANGLE_STREAM_ID}/angle`);
      expect([...charted].sort(), kind.kind).toEqual(expected.sort());
      const emg = panels.filter((p) => p.laneHalfRange !== undefined);
      expect(panels.slice(0, emg.length), kind.kind).toEqual(emg);
    }
  });

  it('names the stream when one kind comes from several streams (a group of devices)', () => {
    const stream = (id: string, label: string): StreamDescriptor => ({
      id,
      label,
      sampleRateHz: 200,
      channels: [{ id: 'emg1', label: 'EMG 1', kind: 'emg', unit: 'uV', rangeMin: -1e4, rangeMax: 1e4 }],
    });
    expect(titles([stream('a', 'Left leg'), stream('b', 'Right leg')])).toEqual([
      'EMG · Left leg',
      'EMG · Right leg',
    ]);
  });
});
