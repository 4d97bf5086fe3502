import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../../src/app/paths.js';
import { parseC3d } from '../../src/io/import/c3d.js';
import { parseOpenSignals } from '../../src/io/import/opensignals.js';
import { parseXdf } from '../../src/io/import/xdf.js';
import type { Recording } from '../../src/shared/recording.js';
import type { Bench, BenchResult } from './harness.js';
import { timeIt } from './harness.js';

const dir = join(packageRoot(), 'fixtures', 'external-formats');

/** Samples in a recording and the seconds they span (its real-time rate is their ratio). */
function extent(rec: Recording): { samples: number; seconds: number } {
  let samples = 0;
  let seconds = 0;
  for (const s of rec.streams) {
    const n = s.data[0]?.length ?? 0;
    samples += n * s.data.length;
    const t = s.timestampsMs;
    seconds = Math.max(
      seconds,
      t && t.length > 1 ? ((t.at(-1) as number) - (t[0] as number)) / 1000 : n / s.descriptor.sampleRateHz,
    );
  }
  return { samples, seconds };
}

/**
 * Parsing the real XDF, OpenSignals and C3D fixtures whole (clock sync and dejittering included for XDF).
 * Baseline: real time, the rate at which the file's samples were recorded.
 */
export const bench: Bench = {
  name: 'Import parsers: XDF, OpenSignals text, C3D',
  run() {
    const cases: [string, () => Recording][] = [
      ['XDF clock_resets (8 ch float32, 2 streams, clock reset)', () => parseXdf(xdf, 'xdf')],
      ['OpenSignals classification_game_0_1 (3 ch, 1000 Hz)', () => parseOpenSignals(txt, 'txt')],
      ['C3D emgwl (4 EMG ch, 1600 Hz, float)', () => parseC3d(c3d, 'c3d')],
    ];
    const xdf = gunzipSync(readFileSync(join(dir, 'xdf', 'clock_resets.xdfz')));
    const txt = readFileSync(join(dir, 'opensignals', 'classification_game_0_1.txt'), 'utf8');
    const c3d = readFileSync(join(dir, 'c3d', 'emgwl.c3d'));
    return Promise.resolve(
      cases.map(([name, parse]): BenchResult => {
        const { samples, seconds } = extent(parse());
        const { perSecond } = timeIt(() => void parse(), 1500);
        return {
          name,
          throughput: samples * perSecond,
          unit: ' samples/s',
          baselineName: 'real time',
          baselineThroughput: samples / seconds,
          note: `${samples} samples over ${seconds.toFixed(1)} s`,
        };
      }),
    );
  },
};
