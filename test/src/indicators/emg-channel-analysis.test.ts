import { describe, expect, it } from 'vitest';
import { WorkBuffers } from '../../../src/dsp/work-buffers.js';
import { analyzeEmgChannel } from '../../../src/indicators/emg-channel-analysis.js';
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
});
