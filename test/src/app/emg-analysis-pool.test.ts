import { describe, expect, it } from 'vitest';
import {
  analysedInParallel,
  analyzeRecordingInParallel,
  PARALLEL_MIN_EMG_SAMPLES,
} from '../../../src/app/emg-analysis-pool.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { externalDataDir } from '../../support/external-data.js';

const EXT = externalDataDir();

describe('analyzeRecordingInParallel', () => {
  it('gives exactly the single-threaded result on real recordings, and leaves their samples as they were', async () => {
    for (const file of ['uci-lower-limb/5Npie.csv', 'biosppy/emg_1.txt']) {
      const rec = await readTextRecording(`${EXT}/${file}`);
      const samples = rec.streams.map((s) => s.data.map((x) => Float32Array.from(x)));
      const single = analyzeRecording(rec, { protocol: 'auto' });
      expect(single.summary.emg.length).toBeGreaterThan(0);
      for (const threads of [1, 2, 3]) {
        const fractions: number[] = [];
        const onProgress = (f: number): number => fractions.push(f);
        const parallel = await analyzeRecordingInParallel(rec, { protocol: 'auto', onProgress }, threads);
        expect(parallel).toEqual(single);
        expect(fractions.every((f, i) => f >= (fractions[i - 1] ?? 0))).toBe(true);
        expect(fractions.at(-1)).toBe(0.8);
      }
      expect(rec.streams.map((s) => s.data)).toEqual(samples);
    }
  });

  it('fails in words when its worker entry is missing', async () => {
    const rec = await readTextRecording(`${EXT}/biosppy/emg_1.txt`);
    await expect(
      analyzeRecordingInParallel(rec, {}, 2, new URL('file:///nonexistent/emg-channel-worker.js')),
    ).rejects.toThrow(/build Tonus/);
  });

  it('is used for long recordings only: shorter ones are analysed on the calling thread', async () => {
    const rec = await readTextRecording(`${EXT}/biosppy/emg_1.txt`);
    expect(analysedInParallel(rec)).toBe(false);
    const emg = rec.streams.find((s) => s.descriptor.channels.some((c) => c.kind === 'emg'));
    const k = emg?.descriptor.channels.findIndex((c) => c.kind === 'emg') ?? -1;
    if (!emg || k < 0) throw new Error('emg_1.txt has no EMG channel');
    emg.data[k] = new Float32Array(PARALLEL_MIN_EMG_SAMPLES - 1);
    expect(analysedInParallel(rec)).toBe(false);
    emg.data[k] = new Float32Array(PARALLEL_MIN_EMG_SAMPLES);
    expect(analysedInParallel(rec)).toBe(true);
  });
});
