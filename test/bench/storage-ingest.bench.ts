import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockSource } from '../../src/app/recorder.js';
import { Recorder } from '../../src/app/recorder.js';
import { SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import type { SampleBlock } from '../../src/shared/samples.js';
import type { Db } from '../../src/storage/database.node.js';
import { openDatabase } from '../../src/storage/database.node.js';
import { insertChunk } from '../../src/storage/sample-chunks.node.js';
import { readStream } from '../../src/storage/sample-chunks.node.js';
import { storeRecording } from '../../src/storage/session-recording.node.js';
import { createSession } from '../../src/storage/sessions.node.js';
import type { Bench } from './harness.js';

/** Seconds of demo signal generated once and replayed (with shifted sequence numbers and times). */
const PATTERN_S = 10;
/** Length of the simulated long recording, s. */
const LONG_S = 3600;
/** Seconds ingested by each naive baseline. */
const BASELINE_S = 5;
const TICKS_PER_S = 50;
/** 8 EMG channels at 2 kHz: the real-time rate the issue measures against. */
const REAL_TIME_SAMPLES_PER_S = 8 * 2000;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** PATTERN_S of demo signal in 20 ms blocks, in the order the driver delivers them. */
export function pattern(): { blocks: SampleBlock[]; valuesPerS: number } {
  const signal = new SyntheticSignal();
  const blocks: SampleBlock[] = [];
  for (let tick = 1; tick <= PATTERN_S * TICKS_PER_S; tick++) {
    for (const s of signal.streams) {
      const id = s.id as 'emg' | 'imu';
      const due = Math.floor((tick / TICKS_PER_S) * s.sampleRateHz) - signal.produced(id);
      if (due > 0) blocks.push(signal.next(id, due));
    }
  }
  const values = blocks.reduce((n, b) => n + b.data.length * b.timestampsMs.length, 0);
  return { blocks, valuesPerS: values / PATTERN_S };
}

/** Block `b` of the pattern as it appears in repetition `rep`. */
function shifted(b: SampleBlock, rep: number): SampleBlock {
  const rateHz = b.streamId === 'emg' ? 2000 : 100;
  const dt = rep * PATTERN_S * 1000;
  return {
    streamId: b.streamId,
    firstSeq: b.firstSeq + rep * PATTERN_S * rateHz,
    timestampsMs: b.timestampsMs.map((t) => t + dt),
    data: b.data,
  };
}

function freshDb(key?: string): { db: Db; dir: string; file: string; session: number } {
  const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-'));
  const file = join(dir, 'tonus.sqlite');
  const db = openDatabase(file, undefined, key);
  const session = createSession(db, {
    patientId: null,
    protocol: 'rest',
    deviceId: 'synthetic',
    deviceName: 'Demo',
    origin: 'live',
    startTimeMs: 0,
    streams: new SyntheticSignal().streams,
  });
  return { db, dir, file, session };
}

/**
 * The recorder's path: buffer blocks, one transaction per simulated second, into a fresh database (encrypted
 * with `key` when given). Returns values/s written and read back.
 */
export function recorderIngest(
  blocks: SampleBlock[],
  seconds: number,
  key?: string,
): { perS: number; rss: number[]; bytes: number; readPerS: number } {
  const { db, dir, file, session } = freshDb(key);
  const source: BlockSource & { emit?: (b: SampleBlock) => void } = {
    onBlock(listener) {
      this.emit = listener;
      return () => (this.emit = undefined);
    },
  };
  const recorder = new Recorder({
    db,
    sessionId: session,
    streams: new SyntheticSignal().streams,
    source,
    flushIntervalMs: 3_600_000,
  });
  recorder.start();
  const blocksPerS = blocks.length / PATTERN_S;
  const rss = [process.memoryUsage().rss];
  let values = 0;
  const start = performance.now();
  for (let rep = 0; rep < seconds / PATTERN_S; rep++) {
    blocks.forEach((b, i) => {
      source.emit?.(shifted(b, rep));
      values += b.data.length * b.timestampsMs.length;
      if ((i + 1) % blocksPerS === 0) recorder.flush();
    });
    if (rep === Math.floor(seconds / PATTERN_S / 2)) rss.push(process.memoryUsage().rss);
  }
  recorder.stop();
  const perS = values / ((performance.now() - start) / 1000);
  rss.push(process.memoryUsage().rss);
  const readStart = performance.now();
  let readValues = 0;
  for (const s of new SyntheticSignal().streams) {
    const r = readStream(db, session, s);
    readValues += r.data.length * (r.data[0]?.length ?? 0);
  }
  const readPerS = readValues / ((performance.now() - readStart) / 1000);
  db.close();
  const bytes = statSync(file).size;
  rmSync(dir, { recursive: true, force: true });
  return { perS, rss, bytes, readPerS };
}

/** Naive baseline 1: one row per sample value, one transaction per simulated second. */
function rowPerSample(blocks: SampleBlock[]): number {
  const { db, dir, session } = freshDb();
  db.exec(
    'CREATE TABLE naive_samples (session_id INTEGER, stream_id TEXT, seq INTEGER, channel INTEGER, value REAL) STRICT',
  );
  const insert = db.prepare('INSERT INTO naive_samples VALUES (?, ?, ?, ?, ?)');
  const perSecond = blocks.length / PATTERN_S;
  let values = 0;
  const start = performance.now();
  for (let s = 0; s < BASELINE_S; s++) {
    db.transaction(() => {
      for (const b of blocks.slice(s * perSecond, (s + 1) * perSecond)) {
        b.data.forEach((ch, c) =>
          ch.forEach((v, i) => insert.run(session, b.streamId, b.firstSeq + i, c, v)),
        );
        values += b.data.length * b.timestampsMs.length;
      }
    })();
  }
  const perS = values / ((performance.now() - start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return perS;
}

/** Naive baseline 2: a blob chunk per driver block (20 ms), each in its own transaction. */
function transactionPerBlock(blocks: SampleBlock[]): number {
  const { db, dir, session } = freshDb();
  let values = 0;
  const start = performance.now();
  for (const b of blocks.slice(0, BASELINE_S * (blocks.length / PATTERN_S))) {
    const n = b.timestampsMs.length;
    const rateHz = b.streamId === 'emg' ? 2000 : 100;
    db.transaction(() =>
      insertChunk(db, {
        sessionId: session,
        streamId: b.streamId,
        sampleRateHz: rateHz,
        firstSeq: b.firstSeq,
        data: b.data,
        timestampsMs: b.timestampsMs,
        start: 0,
        count: n,
      }),
    )();
    values += b.data.length * n;
  }
  const perS = values / ((performance.now() - start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return perS;
}

/** Seconds of recording stored whole by storeRecording (the import and replay path). */
const IMPORT_S = 600;

/** storeRecording of IMPORT_S of demo signal held in memory, in one transaction. Returns values/s. */
function importWhole(): number {
  const signal = new SyntheticSignal();
  const streams = signal.streams.map((descriptor) => ({
    descriptor,
    data: [...signal.next(descriptor.id as 'emg' | 'imu', IMPORT_S * descriptor.sampleRateHz).data],
  }));
  const values = streams.reduce((n, s) => n + s.data.length * (s.data[0]?.length ?? 0), 0);
  const { db, dir } = freshDb();
  const start = performance.now();
  storeRecording(
    db,
    { format: 'bdf', source: 'bench', startTimeMs: 0, streams, annotations: [], meta: {} },
    { patientId: null, protocol: 'rest', origin: 'import' },
  );
  const perS = values / ((performance.now() - start) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return perS;
}

export const bench: Bench = {
  name: 'SQLite ingest of a live recording (recorder -> 1 s Float32 chunks)',
  async run() {
    const { blocks, valuesPerS } = pattern();
    const naive = rowPerSample(blocks);
    const perBlock = transactionPerBlock(blocks);
    const long = recorderIngest(blocks, LONG_S);
    const imported = importWhole();
    const [rssStart = 0, rssMid = 0, rssEnd = 0] = long.rss;
    const name = `recorder ingest, ${LONG_S / 3600} h simulated (8 EMG @ 2 kHz + 6 IMU @ 100 Hz)`;
    const memory = `RSS start ${mb(rssStart)}, middle ${mb(rssMid)}, end ${mb(rssEnd)}; database ${mb(long.bytes)}; ${valuesPerS} values per recorded s`;
    return [
      {
        name,
        throughput: long.perS,
        unit: ' samples/s',
        baselineName: 'real time 16k/s',
        baselineThroughput: REAL_TIME_SAMPLES_PER_S,
        note: memory,
      },
      {
        name,
        throughput: long.perS,
        unit: ' samples/s',
        baselineName: 'one row per sample',
        baselineThroughput: naive,
        note: `naive: ${BASELINE_S} s of signal, one transaction per second`,
      },
      {
        name,
        throughput: long.perS,
        unit: ' samples/s',
        baselineName: 'one txn per 20 ms block',
        baselineThroughput: perBlock,
        note: `naive: ${BASELINE_S} s of signal`,
      },
      {
        name: `storeRecording: ${IMPORT_S / 60} min recording stored whole (import/replay path)`,
        throughput: imported,
        unit: ' samples/s',
        baselineName: 'real time 16k/s',
        baselineThroughput: REAL_TIME_SAMPLES_PER_S,
        note: `1 h would take ${((3600 * valuesPerS) / imported).toFixed(1)} s`,
      },
      {
        name: `read back the ${LONG_S / 3600} h session as contiguous arrays`,
        throughput: long.readPerS,
        unit: ' samples/s',
        baselineName: 'real time 16k/s',
        baselineThroughput: REAL_TIME_SAMPLES_PER_S,
      },
    ];
  },
};
