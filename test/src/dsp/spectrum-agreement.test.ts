import { describe, expect, it } from 'vitest';
import { analyzeRecording, spectrumSegmentLength } from '../../../src/indicators/session-analysis.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { externalDataDir } from '../../support/external-data.js';
import { runScipy } from './scipy-reference.js';
import { EMG_FILES, SCIPY_MDF_MNF } from '../../support/reference-spectra.js';

const EXT = externalDataDir();

describe('EMG median and mean frequency equal scipy.signal.welch (defaults) on every real recording', () => {
  for (const file of EMG_FILES)
    it(`${file}: every channel within 0.01 Hz`, async () => {
      const rec = await readTextRecording(`${EXT}/${file}`);
      const a = analyzeRecording(rec);
      expect(a.summary.emg.length).toBeGreaterThan(0);
      for (const e of a.summary.emg) {
        const s = rec.streams.find((x) => x.descriptor.id === e.stream);
        const k = s?.descriptor.channels.findIndex((c) => c.id === e.channel) ?? -1;
        const x = s?.data[k];
        if (!x) throw new Error(`no data for ${e.channel}`);
        const ref = runScipy(SCIPY_MDF_MNF, {
          x,
          fs: e.sampleRateHz,
          lo: e.bandHz[0],
          hi: e.bandHz[1],
          notch: e.notchApplied ? 1 : 0,
          mains: 50,
          nperseg: spectrumSegmentLength(x.length, e.sampleRateHz),
        });
        expect(Math.abs((e.medianFrequencyHz ?? NaN) - (ref.mdf?.[0] ?? NaN))).toBeLessThan(0.01);
        expect(Math.abs((e.meanFrequencyHz ?? NaN) - (ref.mnf?.[0] ?? NaN))).toBeLessThan(0.01);
      }
    }, 60_000);
});
