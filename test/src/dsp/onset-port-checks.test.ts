import { describe, expect, it } from 'vitest';
import { butterworthSos } from '../../../src/dsp/butterworth.js';
import { detectOnsets } from '../../../src/dsp/onset.js';
import { bonatoBursts } from '../../../src/dsp/onset-bonato.js';
import { sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { burstAgreement, referenceBursts, type SampleBurst } from '../../support/burst-agreement.js';
import { externalDataDir } from '../../support/external-data.js';
import { EMG_FILES } from '../../support/reference-spectra.js';

/**
 * Each TypeScript onset detector against its Python reference (test/reference/emg_onsets.py) on every real
 * EMG channel, burst by burst: a port is faithful when it gives the same bursts as the reference.
 */
const same = (a: readonly SampleBurst[], b: readonly SampleBurst[]): number => {
  const keys = new Set(b.map((x) => `${x.start},${x.end}`));
  return a.filter((x) => keys.has(`${x.start},${x.end}`)).length;
};

describe('onset detectors are faithful ports of their references on every real EMG channel', () => {
  it('BioSPPy on its own input (raw signal), Hodges–Bui and Bonato give the reference bursts', async () => {
    let channels = 0;
    for (const file of EMG_FILES) {
      const rec = await readTextRecording(`${externalDataDir()}/${file}`);
      const emg = rec.streams.flatMap((s) =>
        s.descriptor.channels.flatMap((ch, k) => {
          const x = s.data[k];
          return ch.kind === 'emg' && x ? [{ x, fs: s.descriptor.sampleRateHz, label: ch.label }] : [];
        }),
      );
      const fs = emg[0]?.fs ?? 1000;
      const xs = emg.map((c) => c.x);
      const refs = {
        biosppy: referenceBursts(xs, fs, 'biosppy'),
        hodgesBui: referenceBursts(xs, fs, 'hodges_bui'),
        bonato: referenceBursts(xs, fs, 'bonato'),
      };
      emg.forEach((c, i) => {
        const where = `${file} ${c.label}`;
        const y = sosfiltfilt(butterworthSos(4, [20, Math.min(450, 0.45 * fs)], 'bandpass', fs), c.x);
        const biosppy = refs.biosppy[i] ?? [];
        const a = burstAgreement(biosppy, detectOnsets(c.x, fs, { method: 'biosppy' }).bursts, fs);
        expect(`${where}: ${a.agreeing}/${a.reference}, ${a.extra} extra`).toBe(
          `${where}: ${biosppy.length}/${biosppy.length}, 0 extra`,
        );
        for (const [name, ref, port] of [
          ['Hodges–Bui', refs.hodgesBui[i] ?? [], detectOnsets(y, fs, { method: 'threshold' }).bursts],
          ['Bonato', refs.bonato[i] ?? [], bonatoBursts(y, fs)],
        ] as const) {
          expect(`${where} ${name}: ${same(port, ref)} of ${ref.length}/${port.length}`).toBe(
            `${where} ${name}: ${ref.length} of ${ref.length}/${ref.length}`,
          );
          expect(ref.length).toBeGreaterThan(0);
        }
        channels++;
      });
    }
    expect(channels).toBe(26);
  }, 300_000);
});
