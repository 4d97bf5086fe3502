import { describe, expect, it } from 'vitest';
import { WorkBuffers } from '../../../src/dsp/work-buffers.js';
import { analyzeEmgChannel, KEPT_FILTERED_BUFFER } from '../../../src/indicators/emg-channel-analysis.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { externalDataDir } from '../../support/external-data.js';

const EXT = externalDataDir();

describe('analyzeEmgChannel with shared work buffers', () => {
  it('gives every channel of a real recording exactly the result of fresh buffers, in any order', async () => {
    const rec = await readTextRecording(`${EXT}/uci-lower-limb/5Npie.csv`);
    const s = rec.streams.find((x) => x.descriptor.channels.some((c) => c.kind === 'emg'));
    if (!s) throw new Error('The UCI file has no EMG stream.');
    const channels = s.descriptor.channels
      .map((_, k) => k)
      .filter((k) => s.descriptor.channels[k]?.kind === 'emg');
    expect(channels.length).toBe(4);
    const fresh = channels.map((k) => analyzeEmgChannel(s.descriptor, k, s.data[k], {}, true));
    const work = new WorkBuffers();
    const kept = analyzeEmgChannel(s.descriptor, channels[0] ?? 0, s.data[channels[0] ?? 0], {}, true, work);
    const keptY = Float64Array.from(kept?.filtered?.y ?? []);
    for (const k of [...channels].reverse()) {
      const shared = analyzeEmgChannel(s.descriptor, k, s.data[k], {}, false, work);
      const { filtered: _f, ...expected } = fresh[channels.indexOf(k)] ?? {};
      expect(shared).toEqual(expected);
    }
    // The kept filtered signal is the caller's own: later channels do not overwrite it.
    expect(kept?.filtered?.y).toEqual(keptY);
    expect(kept).toEqual(fresh[0]);
  });

  it("reuses a handed-back filtered signal's memory for the next kept channel, with the same result", async () => {
    const rec = await readTextRecording(`${EXT}/uci-lower-limb/5Npie.csv`);
    const s = rec.streams.find((x) => x.descriptor.channels.some((c) => c.kind === 'emg'));
    if (!s) throw new Error('The UCI file has no EMG stream.');
    const k = s.descriptor.channels.findIndex((c) => c.kind === 'emg');
    const work = new WorkBuffers();
    const first = analyzeEmgChannel(s.descriptor, k, s.data[k], {}, true, work);
    const memory = first?.filtered?.y.buffer;
    if (!first || !memory) throw new Error('No filtered signal kept.');
    const expected = structuredClone(first);
    work.give(KEPT_FILTERED_BUFFER, first.filtered?.y ?? new Float64Array(0));
    const again = analyzeEmgChannel(s.descriptor, k, s.data[k], {}, true, work);
    expect(again?.filtered?.y.buffer).toBe(memory);
    expect(again).toEqual(expected);
    // Claimed memory leaves the set: the next kept channel gets its own.
    const third = analyzeEmgChannel(s.descriptor, k, s.data[k], {}, true, work);
    expect(third?.filtered?.y.buffer).not.toBe(memory);
    expect(third).toEqual(expected);
    // Memory of another length is not used.
    work.give(KEPT_FILTERED_BUFFER, new Float64Array(10));
    expect(analyzeEmgChannel(s.descriptor, k, s.data[k], {}, true, work)).toEqual(expected);
  });
});
