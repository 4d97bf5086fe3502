import { describe, expect, it } from 'vitest';
import { butterworthSos } from '../../../src/dsp/butterworth.js';
import {
  detectOnsets,
  SESSION_ONSET_METHOD,
  sessionOnsetInput,
  type OnsetMethod,
} from '../../../src/dsp/onset.js';
import { sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import {
  burstAgreement,
  MAX_EXTRA_BURSTS,
  referenceBursts,
  type BurstAgreement,
} from '../../support/burst-agreement.js';
import { externalDataDir } from '../../support/external-data.js';

const EXT = externalDataDir();

async function emgChannels(file: string): Promise<{ x: Float32Array; fs: number; label: string }[]> {
  const rec = await readTextRecording(`${EXT}/${file}`);
  return rec.streams.flatMap((s) =>
    s.descriptor.channels.flatMap((ch, k) => {
      const x = s.data[k];
      return ch.kind === 'emg' && x ? [{ x, fs: s.descriptor.sampleRateHz, label: ch.label }] : [];
    }),
  );
}

/** The onset method on the input the session analysis gives it: the raw channel or its 20–450 Hz band-pass. */
function sessionBursts(x: Float32Array, fs: number, method: OnsetMethod): { start: number; end: number }[] {
  const y = sosfiltfilt(butterworthSos(4, [20, Math.min(450, 0.45 * fs)], 'bandpass', fs), x);
  return detectOnsets(sessionOnsetInput(method, x, y), fs, { method }).bursts;
}

const line = (name: string, a: BurstAgreement): string =>
  `${name}: ${a.agreeing}/${a.reference} within tolerance, ${a.extra} extra; onset Δ ms ${a.matches
    .map((m) => (m.onsetDiffMs === null ? '–' : m.onsetDiffMs.toFixed(0)))
    .join(' ')}`;

describe('EMG onsets agree with BioSPPy find_onsets on real recordings', () => {
  it('the TypeScript port gives the reference bursts on both BioSPPy examples', async () => {
    for (const file of ['biosppy/emg_1.txt', 'biosppy/emg.txt']) {
      const [c] = await emgChannels(file);
      if (!c) throw new Error(`no EMG in ${file}`);
      const [ref = []] = referenceBursts([c.x], c.fs, 'biosppy');
      const port = detectOnsets(c.x, c.fs, { method: 'biosppy' }).bursts;
      const a = burstAgreement(ref, port, c.fs);
      console.info(line(`${file} port vs reference`, a));
      expect(a.agreeing).toBe(ref.length);
      expect(a.extra).toBe(0);
    }
  }, 60_000);

  it('emg_1: the session default finds 4/4 reference bursts within 20 ms / 50 ms, at most 1 extra', async () => {
    const [c] = await emgChannels('biosppy/emg_1.txt');
    if (!c) throw new Error('no EMG');
    const [ref = []] = referenceBursts([c.x], c.fs, 'biosppy');
    expect(ref).toHaveLength(4);
    const a = burstAgreement(ref, sessionBursts(c.x, c.fs, SESSION_ONSET_METHOD), c.fs);
    console.info(line(`emg_1 ${SESSION_ONSET_METHOD}`, a));
    expect(a.agreeing).toBe(4);
    expect(a.extra).toBeLessThanOrEqual(MAX_EXTRA_BURSTS);
    for (const method of ['tkeo', 'threshold', 'double'] as const)
      console.info(line(`emg_1 ${method}`, burstAgreement(ref, sessionBursts(c.x, c.fs, method), c.fs)));
  });

  it('the session default agrees best of all methods, and on every real EMG channel by the strict rule', async () => {
    const files = [
      'biosppy/emg_1.txt',
      'biosppy/emg.txt',
      ...['3A', '5N'].flatMap((s) => ['sen', 'pie', 'mar'].map((t) => `uci-lower-limb/${s}${t}.csv`)),
    ];
    const totals = new Map<OnsetMethod, { agreeing: number; extra: number }>();
    let reference = 0;
    const failing: string[] = [];
    for (const file of files) {
      const channels = await emgChannels(file);
      const refs = referenceBursts(
        channels.map((c) => c.x),
        channels[0]?.fs ?? 1000,
        'biosppy',
      );
      channels.forEach((c, i) => {
        const ref = refs[i] ?? [];
        reference += ref.length;
        for (const method of ['biosppy', 'tkeo', 'threshold', 'double'] as const) {
          const a = burstAgreement(ref, sessionBursts(c.x, c.fs, method), c.fs);
          const t = totals.get(method) ?? { agreeing: 0, extra: 0 };
          totals.set(method, { agreeing: t.agreeing + a.agreeing, extra: t.extra + a.extra });
          if (method !== SESSION_ONSET_METHOD) continue;
          console.info(line(`${file} ${c.label}`, a));
          if (a.agreeing !== a.reference || a.extra > 1) failing.push(`${file} ${c.label}`);
        }
      });
    }
    for (const [m, t] of totals) console.info(`${m}: ${t.agreeing}/${reference} agree, ${t.extra} extra`);
    const best = totals.get(SESSION_ONSET_METHOD);
    for (const [, t] of totals) expect(best?.agreeing ?? 0).toBeGreaterThanOrEqual(t.agreeing);
    expect(best?.agreeing).toBe(reference);
    expect(failing).toEqual([]);
  }, 180_000);
});
