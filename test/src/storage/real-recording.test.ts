import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import type { Recording } from '../../../src/shared/recording.js';
import type { StreamDescriptor } from '../../../src/shared/samples.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { readSessionRecording, storeRecording } from '../../../src/storage/session-recording.node.js';

/**
 * UCI "EMG dataset in Lower Limb" (Sanchez & Sotelo, CC BY 4.0), subject 3, seated knee extension: 4 EMG
 * channels in mV and the knee angle at 1000 Hz. See fixtures/external/README.md for provenance.
 */
const file = join(externalDataDir(), 'uci-lower-limb', '3Asen.csv');

/** The test's own reading of this one CSV layout (header row, then numbers); not a general importer. */
function readUci(path: string): Recording {
  const [header = '', ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header.split(',').slice(1);
  const rows = lines.map((l) => l.split(',').slice(1).map(Number));
  const column = (c: number): Float32Array => Float32Array.from(rows, (r) => r[c] ?? Number.NaN);
  const emg: StreamDescriptor = {
    id: 'emg',
    label: 'EMG',
    sampleRateHz: 1000,
    channels: columns
      .slice(0, 4)
      .map((id) => ({ id, label: id, kind: 'emg', unit: 'mV', rangeMin: -5, rangeMax: 5 })),
  };
  const angle: StreamDescriptor = {
    id: 'angle',
    label: 'Knee',
    sampleRateHz: 1000,
    channels: [
      {
        id: 'knee_flexion_deg',
        label: 'Knee flexion',
        kind: 'angle',
        unit: 'deg',
        rangeMin: -10,
        rangeMax: 180,
      },
    ],
  };
  return {
    format: 'csv',
    source: path,
    startTimeMs: 0,
    streams: [
      { descriptor: emg, data: [0, 1, 2, 3].map(column) },
      { descriptor: angle, data: [column(4)] },
    ],
    annotations: [{ onsetS: 1, text: 'seated knee extension' }],
    meta: { subject: '3A' },
  };
}

describe('a real recording through the store', () => {
  it('stores and reads back UCI lower-limb EMG bit for bit in ~1 s chunks', () => {
    const rec = readUci(file);
    const n = rec.streams[0]?.data[0]?.length ?? 0;
    expect(n).toBeGreaterThan(30_000);
    expect(rec.streams.flatMap((s) => s.data).every((ch) => ch.every(Number.isFinite))).toBe(true);
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-real-')), 'tonus.sqlite'));
    const id = storeRecording(db, rec, {
      patientId: null,
      protocol: 'knee-extension',
      origin: 'import',
      sourceFile: file,
    });
    const chunks = db
      .prepare("SELECT count(*) AS n, sum(length(data)) AS bytes FROM sample_chunks WHERE stream_id = 'emg'")
      .get() as { n: number; bytes: number };
    expect(chunks).toEqual({ n: Math.ceil(n / 1000), bytes: 4 * 4 * n });
    const back = readSessionRecording(db, id);
    expect(back.streams).toEqual(rec.streams);
    expect(back.annotations).toEqual(rec.annotations);
    db.close();
  });
});
