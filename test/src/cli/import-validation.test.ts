import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataFolder } from '../../../src/app/data-folder.js';
import { describe, expect, it } from 'vitest';
import { writeEdfFile } from '../../../src/io/edf/edf-file.node.js';
import { signalFieldOffset } from '../../../src/io/edf/edf-format.js';
import type { Session } from '../../../src/shared/api/session-api.js';
import type { Recording } from '../../../src/shared/recording.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

const EXT = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'external');

const dir = mkdtempSync(join(tmpdir(), 'tonus-import-valid-'));

/** A small, valid EDF (2 channels at 100 Hz, 2 s), written by Tonus's own encoder. */
function edf(name: string): string {
  const rec: Recording = {
    format: 'edf',
    source: name,
    startTimeMs: Date.UTC(2026, 0, 1),
    streams: [
      {
        descriptor: {
          id: 'emg',
          label: 'EMG',
          sampleRateHz: 100,
          channels: ['a', 'b'].map((id) => ({
            id,
            label: id,
            kind: 'emg',
            unit: 'uV',
            rangeMin: -500,
            rangeMax: 500,
          })),
        },
        data: [0, 1].map((c) => Float32Array.from({ length: 200 }, (_, i) => Math.sin(i / 10 + c) * 100)),
      },
    ],
    annotations: [],
    meta: {},
  };
  const path = join(dir, name);
  writeEdfFile(path, rec, 'edf');
  return path;
}

/** Overwrites the 8-byte header field `field` of signal 1 of an EDF with `text`. */
function patchSignalField(
  path: string,
  field: 'physicalMin' | 'physicalMax' | 'samplesPerRecord',
  text: string,
): void {
  const bytes = readFileSync(path);
  const ns = Number(bytes.subarray(252, 256).toString('latin1').trim());
  bytes.write(text.padEnd(8, ' '), signalFieldOffset(field, 0, ns), 'latin1');
  writeFileSync(path, bytes);
}

function patchRecords(path: string, text: string): void {
  const bytes = readFileSync(path);
  bytes.write(text.padEnd(8, ' '), 236, 'latin1');
  writeFileSync(path, bytes);
}

function textFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const damaged: { title: string; file: () => string; message: RegExp }[] = [
  {
    title: 'an EDF physical maximum of 9e99999',
    file: () => {
      const f = edf('inf-physmax.edf');
      patchSignalField(f, 'physicalMax', '9e99999');
      return f;
    },
    message:
      /inf-physmax\.edf: signal 1 physicalMax "9e99999" is not a finite 32-bit number .*\(at byte offset \d+\)/,
  },
  {
    title: 'an EDF physical range of ±1e308',
    file: () => {
      const f = edf('wide.edf');
      patchSignalField(f, 'physicalMin', '-1e308');
      patchSignalField(f, 'physicalMax', '1e308');
      return f;
    },
    message:
      /wide\.edf: signal 1 physicalMin "-1e308" is not a finite 32-bit number .*\(at byte offset \d+\)/,
  },
  {
    title: 'an EDF with 99999999 samples per record and 0 records',
    file: () => {
      const f = edf('huge-spr.edf');
      patchSignalField(f, 'samplesPerRecord', '99999999');
      patchRecords(f, '0');
      return f;
    },
    message: /huge-spr\.edf: .* \(at byte offset \d+\)/,
  },
  {
    title: 'a CSV with 100,000 columns',
    file: () =>
      textFile(
        'wide.csv',
        `time_s,${Array.from({ length: 100_000 }, (_, i) => `c${i}_mV`).join(',')}\n0,${'1,'.repeat(99_999)}1\n`,
      ),
    message:
      /wide\.csv: signal columns besides time: 100000 channels \(1 to 1024 are accepted\) \(at line 1\)/,
  },
  {
    title: 'a CSV with only a time column',
    file: () => textFile('time-only.csv', 'time_s\n0\n0.01\n0.02\n'),
    message: /time-only\.csv: signal columns besides time: 0 channels .*\(at line 1\)/,
  },
  {
    title: 'a CSV sampled at 1e300 Hz',
    file: () => textFile('fast.csv', 'time_s,a_mV\n0,1\n1e-300,2\n2e-300,3\n'),
    message:
      /fast\.csv: time_s column: sample rate [\d.e+]+ Hz is outside the plausible 0\.001–100000 Hz \(at line 2\)/,
  },
  {
    title: 'a CSV sampled once in 2000 s',
    file: () => textFile('slow.csv', 'time_s,a_mV\n0,1\n2000,2\n4000,3\n'),
    message: /slow\.csv: time_s column: sample rate 0\.0005 Hz is outside/,
  },
  {
    title: 'a CSV value beyond 32-bit floats',
    file: () => textFile('big.csv', 'time_s,a_mV\n0,1\n0.01,1e39\n0.02,3\n'),
    message: /big\.csv: value "1e39": 1e\+39 is not a finite 32-bit value \(at line 3\)/,
  },
  {
    title: 'a BioSPPy file at 200 kHz',
    file: () => textFile('fast.txt', '# Simple Text Format\n# Sampling Rate (Hz):= 200000\n1\n2\n'),
    message: /fast\.txt: Sampling Rate \(Hz\): sample rate 200000 Hz is outside.* \(at line 1\)/,
  },
  {
    title: '/dev/zero',
    file: () => '/dev/zero',
    message: /\/dev\/zero: not a regular file/,
  },
];

describe('tonus import validates every file whole before storing anything', () => {
  it('imports the supported real recordings with finite ranges, and listing works after each', async () => {
    const data = join(dir, 'data-ok');
    for (const f of ['uci-lower-limb/5Nmar.csv', 'biosppy/acc.txt', 'mhealthtools/rest_tremor_data.csv']) {
      const r = await capture(['--data-dir', data, 'import', join(EXT, f), '--json']);
      expect(r.err, f).toBe('');
      expect(r.code, f).toBe(0);
    }
    const list = await capture(['--data-dir', data, 'sessions', '--json']);
    expect(list.code).toBe(0);
    const sessions = JSON.parse(list.out) as Session[];
    expect(sessions).toHaveLength(3);
    for (const s of sessions) {
      expect(s.problem).toBeNull();
      for (const c of s.streams.flatMap((st) => st.channels)) {
        expect(Number.isFinite(c.rangeMin) && Number.isFinite(c.rangeMax) && c.rangeMin <= c.rangeMax).toBe(
          true,
        );
      }
    }
  });

  it.each(damaged)(
    'refuses $title with exit 4, naming file, field and place, and stores nothing',
    async (c) => {
      const data = join(dir, `data-${c.title.replace(/\W+/g, '-')}`);
      const r = await capture(['--data-dir', data, 'import', c.file(), '--json']);
      expect(r.code).toBe(4);
      expect(r.err).toMatch(c.message);
      const list = await capture(['--data-dir', data, 'sessions', '--json']);
      expect(list.code).toBe(0);
      expect(JSON.parse(list.out)).toEqual([]);
    },
  );

  it('shows a damaged session row on that session only: listing, show and the other sessions still work', async () => {
    const data = join(dir, 'data-damaged-row');
    await capture(['--data-dir', data, 'import', join(EXT, 'biosppy/acc.txt')]);
    await capture(['--data-dir', data, 'import', join(EXT, 'biosppy/emg_1.txt')]);
    // What an older version stored for ±Infinity ranges: JSON null.
    const { db } = openDataFolder(data);
    const row = db.prepare('SELECT streams_json FROM sessions WHERE id = 1').pluck().get() as string;
    const broken = row.replace(/"rangeMin":[^,]+/g, '"rangeMin":null');
    db.prepare('UPDATE sessions SET streams_json = ?, effective_rates_json = ? WHERE id = 1').run(
      broken,
      '{bad',
    );
    db.close();
    const list = await capture(['--data-dir', data, 'sessions', '--json']);
    expect(list.code).toBe(0);
    const sessions = JSON.parse(list.out) as Session[];
    expect(sessions.map((s) => [s.id, s.problem === null])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(sessions.find((s) => s.id === 1)?.problem).toMatch(
      /^This session's stored data is damaged: stream description: values that are not numbers \(0\.channels\.0\.rangeMin: .*\) read as 0; quality counters: not readable\.$/,
    );
    const show = await capture(['--data-dir', data, 'show', '1']);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/damaged/);
    expect((await capture(['--data-dir', data, 'show', '2'])).code).toBe(0);
  });
});
