import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoFormatter } from '../../src/dosing/time-zone.js';
import { writeRawSamplesCsv } from '../../src/io/reports/report-writer.node.js';
import type { Db } from '../../src/storage/database.node.js';
import { openDatabase } from '../../src/storage/database.node.js';
import { ReportRepository } from '../../src/storage/report-repository.node.js';
import type { Bench } from './harness.js';

const SECONDS = 3600;
const STREAMS = [
  { id: 'emg', rateHz: 2000, channels: 8, unit: 'uV' },
  { id: 'imu', rateHz: 100, channels: 6, unit: 'g' },
] as const;

/** One hour of the demo device's layout in ~1 s chunks, as the recorder stores it. */
function build(db: Db): number {
  const now = '2026-01-01T00:00:00Z';
  const start = Date.UTC(2026, 2, 29, 0, 30);
  const streams = STREAMS.map((s) => ({
    id: s.id,
    label: s.id,
    sampleRateHz: s.rateHz,
    channels: Array.from({ length: s.channels }, (_, c) => ({
      id: `${s.id}${c + 1}`,
      label: '',
      kind: 'other',
      unit: s.unit,
      rangeMin: -1,
      rangeMax: 1,
    })),
  }));
  const session = Number(
    db
      .prepare(
        `INSERT INTO sessions (protocol, device_id, device_name, origin, start_time_ms, status, streams_json, created_at)
         VALUES ('rest', 'synthetic', 'Demo', 'live', ?, 'complete', ?, ?)`,
      )
      .run(start, JSON.stringify(streams), now).lastInsertRowid,
  );
  const insert = db.prepare(
    'INSERT INTO sample_chunks (session_id, stream_id, first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const s of STREAMS) {
      const data = new Float32Array(s.rateHz * s.channels);
      for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.01) * 50;
      const blob = Buffer.from(data.buffer);
      for (let sec = 0; sec < SECONDS; sec++) {
        const t0 = start + sec * 1000;
        insert.run(
          session,
          s.id,
          sec * s.rateHz,
          s.rateHz,
          s.channels,
          t0,
          t0 + 1000 - 1000 / s.rateHz,
          blob,
        );
      }
    }
  })();
  return session;
}

export const bench: Bench = {
  name: 'raw-sample CSV report: 1 h of 8 EMG @ 2 kHz + 6 IMU @ 100 Hz streamed to disk',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-report-'));
    const db = openDatabase(join(dir, 'tonus.sqlite'));
    try {
      const session = build(db);
      const reports = new ReportRepository(db);
      const format = isoFormatter('Europe/Amsterdam');
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const t0 = performance.now();
      let samples = 0;
      let bytes = 0;
      for (const s of STREAMS) {
        const file = join(dir, `raw-${s.id}.csv`);
        samples += (await writeRawSamplesCsv(reports, session, s.id, file, format)) * s.channels;
        bytes += statSync(file).size;
        rmSync(file);
      }
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      const recordingBytes = SECONDS * STREAMS.reduce((a, s) => a + s.rateHz * s.channels * 4, 0);
      return [
        {
          name: 'raw samples to CSV (time ISO 8601 + t_s + channels)',
          throughput: samples / seconds,
          unit: ' samples/s',
          baselineName: 'real time',
          baselineThroughput: samples / SECONDS,
          note: `${seconds.toFixed(1)} s for ${(bytes / 1e6).toFixed(0)} MB CSV; RSS grew ${((peakRss - rssBefore) / 1e6).toFixed(0)} MB while the recording holds ${(recordingBytes / 1e6).toFixed(0)} MB of Float32`,
        },
      ];
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
