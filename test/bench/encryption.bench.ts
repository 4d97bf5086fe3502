import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DosingCore } from '../../src/app/services/dosing-service.js';
import { newDatabaseKey } from '../../src/storage/database-key.node.js';
import { openDatabase } from '../../src/storage/database.node.js';
import { TrendRepository } from '../../src/storage/trend-repository.node.js';
import type { Bench, BenchResult } from './harness.js';
import { timeIt } from './harness.js';
import { pattern, recorderIngest } from './storage-ingest.bench.js';
import { build } from './trends-query.bench.js';

/** Seconds of demo recording (8 EMG at 2 kHz + IMU) ingested per database. */
const INGEST_S = 300;

/** Trend queries per second over 1,000 sessions of one patient, in a database encrypted with `key` or plain. */
function trendQueries(key: string | undefined): { series: number; full: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-enc-'));
  const db = openDatabase(join(dir, 'tonus.sqlite'), undefined, key);
  try {
    const patientId = build(db);
    // A fresh connection, so pages come from the file (decrypted) rather than the builder's cache.
    db.close();
    const reader = openDatabase(join(dir, 'tonus.sqlite'), undefined, key);
    try {
      const core = new DosingCore(reader);
      const trends = new TrendRepository(reader);
      const p = core.patient('BENCH');
      return {
        series: timeIt(() => trends.series(patientId, 'rmsHV'), 1500).perSecond,
        full: timeIt(() => core.trend(p, 'rmsHV'), 1500).perSecond,
      };
    } finally {
      reader.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  name: 'encryption at rest (SQLCipher 4 via SQLite3 Multiple Ciphers) against a plain database',
  async run(): Promise<BenchResult[]> {
    const { blocks } = pattern();
    const key = newDatabaseKey();
    const plainIngest = recorderIngest(blocks, INGEST_S);
    const encryptedIngest = recorderIngest(blocks, INGEST_S, key);
    const plainTrends = trendQueries(undefined);
    const encryptedTrends = trendQueries(key);
    const mega = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    return [
      {
        name: `recorder ingest, ${INGEST_S} s of 8 EMG @ 2 kHz + IMU, encrypted`,
        throughput: encryptedIngest.perS,
        unit: ' values/s',
        baselineName: 'plain database',
        baselineThroughput: plainIngest.perS,
        note: `file ${mega(encryptedIngest.bytes)} vs ${mega(plainIngest.bytes)} plain`,
      },
      {
        name: 'read back every stored sample, encrypted',
        throughput: encryptedIngest.readPerS,
        unit: ' values/s',
        baselineName: 'plain database',
        baselineThroughput: plainIngest.readPerS,
      },
      {
        name: 'indexed trend series over 1,000 sessions, encrypted',
        throughput: encryptedTrends.series,
        unit: ' queries/s',
        baselineName: 'plain database',
        baselineThroughput: plainTrends.series,
      },
      {
        name: 'full getTrend over 1,000 sessions, encrypted',
        throughput: encryptedTrends.full,
        unit: ' queries/s',
        baselineName: 'plain database',
        baselineThroughput: plainTrends.full,
      },
    ];
  },
};
