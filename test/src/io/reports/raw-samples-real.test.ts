import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isoFormatter } from '../../../../src/dosing/time-zone.js';
import { writeRawSamplesCsv } from '../../../../src/io/reports/report-writer.node.js';
import { ReportRepository } from '../../../../src/storage/report-repository.node.js';
import { openTemp } from '../../storage/dose-fixture.js';
import { externalDataDir } from '../../../support/external-data.js';

/**
 * Real recording: UCI "EMG dataset in Lower Limb" (Sanchez & Sotelo, CC BY 4.0), subject 5, seated knee
 * extension, 4 EMG channels in mV + knee angle in degrees at 1000 Hz, via aalhossary/pyemgpipeline @ 657d23ed
 * (see fixtures/external/README.md).
 */
const SOURCE = join(externalDataDir(), 'uci-lower-limb', '5Nsen.csv');

describe('raw-sample CSV of a real recording', () => {
  it('exports every stored sample of 13.5 s of lower-limb EMG with exact times and values', async () => {
    const lines = readFileSync(SOURCE, 'utf8').trim().split('\n').slice(1);
    const rows = lines.map((l) => l.split(',').map(Number));
    const channels = 5;
    const rateHz = 1000;
    const db = openTemp();
    const startMs = Date.UTC(2026, 9, 25, 0, 59, 55);
    const streams = [
      {
        id: 'emg',
        label: 'EMG',
        sampleRateHz: rateHz,
        channels: [
          ...['rectus_femoris', 'biceps_femoris', 'vastus_medialis', 'semitendinosus'].map((id) => ({
            id,
            unit: 'mV',
          })),
          { id: 'knee_flexion', unit: 'deg' },
        ],
      },
    ];
    const session = Number(
      db
        .prepare(
          `INSERT INTO sessions (protocol, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
           VALUES ('import', 'uci', 'UCI lower limb', 'import', ?, 'complete', ?, 'x')`,
        )
        .run(startMs, JSON.stringify(streams)).lastInsertRowid,
    );
    const insert = db.prepare(
      'INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const stored = new Float32Array(rows.length * channels);
    for (let first = 0; first < rows.length; first += rateHz) {
      const n = Math.min(rateHz, rows.length - first);
      const data = new Float32Array(n * channels);
      for (let c = 0; c < channels; c++)
        for (let i = 0; i < n; i++) {
          data[c * n + i] = rows[first + i]?.[c + 1] as number;
          stored[(first + i) * channels + c] = data[c * n + i] as number;
        }
      insert.run(
        session,
        'emg',
        first,
        n,
        channels,
        startMs + first,
        startMs + first + n - 1,
        Buffer.from(data.buffer),
      );
    }

    const file = join(mkdtempSync(join(tmpdir(), 'tonus-raw-')), 'raw.csv');
    const written = await writeRawSamplesCsv(
      new ReportRepository(db),
      session,
      'emg',
      file,
      isoFormatter('Europe/Amsterdam'),
    );
    expect(written).toBe(rows.length);
    const out = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(out[0]).toBe(
      '\ufefftime,t_s,rectus_femoris_mV,biceps_femoris_mV,vastus_medialis_mV,semitendinosus_mV,knee_flexion_deg',
    );
    expect(out).toHaveLength(rows.length + 1);
    // The recording crosses the Amsterdam fall-back (03:00 CEST → 02:00 CET) 5 s in: the offset changes, t_s does not jump.
    expect(out[1]?.startsWith('2026-10-25T02:59:55.000+02:00,0,')).toBe(true);
    expect(out[5001]?.startsWith('2026-10-25T02:00:00.000+01:00,5,')).toBe(true);
    for (let i = 0; i < rows.length; i++) {
      const cells = (out[i + 1] as string).split(',');
      expect(Number(cells[1])).toBeCloseTo(i / 1000, 9);
      for (let c = 0; c < channels; c++)
        expect(Math.abs(Number(cells[c + 2]) - (stored[i * channels + c] as number))).toBeLessThanOrEqual(
          5e-7,
        );
    }
    db.close();
  });
});
