import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InlineJobRunner, jobWorkerUrl, WorkerJobRunner } from '../../../src/app/job-runner.js';
import type { ImportJob } from '../../../src/app/jobs.js';
import {
  createRecordingEncoder,
  exactEndRecordDuration,
  encodeRecording,
} from '../../../src/io/edf/edf-encoder.js';
import type { Recording } from '../../../src/shared/recording.js';
import { packageRoot } from '../../../src/app/paths.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { ApiFailure } from '../../../src/shared/result.js';
import { latestAnalysis } from '../../../src/storage/analyses.node.js';
import { openDatabase, openExistingDatabase, type Db } from '../../../src/storage/database.node.js';
import { migrations } from '../../../src/storage/migrations/index.js';
import { listSessions } from '../../../src/storage/sessions.node.js';

// The worker runs the compiled build/node/src/app/job-worker.js (see jobWorkerUrl): `npx tsc -b` first.
const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');
const importFixture: ImportJob = {
  kind: 'import',
  path: fixture,
  patientId: null,
  protocol: 'passive-stretch',
  muscle: 'gastrocnemius',
  side: 'left',
};

interface Tick {
  fraction: number;
  stage: string;
}

function recorder(): { ticks: Tick[]; listen: (fraction: number, stage: string) => void } {
  const ticks: Tick[] = [];
  return { ticks, listen: (fraction, stage) => ticks.push({ fraction, stage }) };
}

function expectMonotonicToOne(ticks: readonly Tick[]): void {
  expect(ticks.length).toBeGreaterThan(1);
  for (let i = 1; i < ticks.length; i++)
    expect(ticks[i]?.fraction).toBeGreaterThanOrEqual(ticks[i - 1]?.fraction ?? Infinity);
  expect(ticks.at(-1)?.fraction).toBe(1);
  for (const t of ticks) expect(t.fraction).toBeGreaterThanOrEqual(0);
}

describe('WorkerJobRunner', () => {
  let dir: string;
  let dbFile: string;
  let db: Db;
  let runner: WorkerJobRunner;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-jobs-'));
    dbFile = join(dir, 'tonus.db');
    db = openDatabase(dbFile);
    runner = new WorkerJobRunner(dbFile);
  });
  afterEach(async () => {
    await runner.close();
    db.close();
  });

  it('imports a file in a worker, seen by the main connection, with progress rising to 1', async () => {
    const progress = recorder();
    const { sessionId } = await runner.run(importFixture, progress.listen);
    const session = listSessions(db).find((s) => s.id === sessionId);
    expect(session).toMatchObject({ status: 'complete', origin: 'import', muscle: 'gastrocnemius' });
    expectMonotonicToOne(progress.ticks);
    expect(progress.ticks.map((t) => t.stage)).toContain('Storing samples');
  });

  it('stores the same analysis as the inline run on the same session', async () => {
    const { sessionId } = await runner.run(importFixture);
    const inline = new InlineJobRunner(db);
    await inline.run({ kind: 'analysis', sessionId });
    const fromInline = latestAnalysis(db, sessionId);
    const progress = recorder();
    await runner.run({ kind: 'analysis', sessionId }, progress.listen);
    const fromWorker = latestAnalysis(db, sessionId);
    if (!fromInline || !fromWorker) throw new Error('An analysis was not stored.');
    expect(fromWorker.id).not.toBe(fromInline.id);
    const { id: _a, createdAt: _b, ...inlineResult } = fromInline;
    const { id: _c, createdAt: _d, ...workerResult } = fromWorker;
    expect(workerResult.events.length).toBeGreaterThan(0);
    expect(workerResult).toEqual(inlineResult);
    expectMonotonicToOne(progress.ticks);
    // One step per channel between reading and saving, so a long analysis does not sit at one value.
    const analysing = progress.ticks.filter((t) => t.fraction > 0.2 && t.fraction < 0.9);
    expect(analysing.map((t) => t.stage)).toContain('Stretches, drops and clonus');
    expect(analysing.filter((t) => t.stage.startsWith('Channel ')).length).toBeGreaterThanOrEqual(7);
    await inline.close();
  });

  it('exports BDF+ from a worker that reads back like the session, with progress rising to 1', async () => {
    const { sessionId } = await runner.run(importFixture);
    const out = join(dir, 'out.bdf');
    const progress = recorder();
    expect(
      await runner.run({ kind: 'export', sessionId, format: 'bdf', path: out }, progress.listen),
    ).toEqual({
      files: [out],
    });
    const original = readRecordingFile(fixture);
    const back = readRecordingFile(out);
    expect(back.streams.map((s) => s.data[0]?.length)).toEqual(
      original.streams.map((s) => s.data[0]?.length),
    );
    expectMonotonicToOne(progress.ticks);
  });

  it('refuses a truncated file whole, naming the file and byte offset, and stores nothing', async () => {
    const bad = join(dir, 'truncated.bdf');
    writeFileSync(bad, readFileSync(fixture).subarray(0, 1000));
    const failure = await runner.run({ ...importFixture, path: bad }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ code: 'invalid-input', where: 'path' });
    expect((failure as Error).message).toContain(bad);
    expect((failure as Error).message).toMatch(/byte offset \d+/);
    expect(listSessions(db)).toEqual([]);
  });

  it('answers not-found for a missing session to export and leaves no file', async () => {
    const out = join(dir, 'missing.bdf');
    const failure = await runner
      .run({ kind: 'export', sessionId: 999, format: 'bdf', path: out })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ code: 'not-found', where: 'sessionId' });
    expect(existsSync(out)).toBe(false);
  });

  it('waits for running jobs on close, then refuses new ones', async () => {
    const running = runner.run(importFixture);
    await runner.close();
    const { sessionId } = await running;
    expect(listSessions(db).map((s) => s.id)).toEqual([sessionId]);
    await expect(runner.run(importFixture)).rejects.toThrow(/closing/);
  });

  it('says to build when the worker entry is missing', async () => {
    const missing = new WorkerJobRunner(dbFile, new URL('file:///nonexistent/job-worker.js'));
    await expect(missing.run(importFixture)).rejects.toThrow(/npx tsc -b/);
  });
});

describe('encodeRecording in slices', () => {
  const bytes = (chunks: readonly Uint8Array[]): Buffer => Buffer.concat(chunks);
  /** The recording fed to the encoder whole, each stream in one piece (no gaps here): the reference bytes. */
  const encodedWhole = (rec: Recording, kind: 'bdf' | 'edf'): Uint8Array[] => {
    const exactS = exactEndRecordDuration(
      rec.streams.map((s) => s.descriptor.sampleRateHz),
      rec.streams.map((s) => s.data[0]?.length ?? 0),
    );
    const encoder = createRecordingEncoder(
      rec,
      kind,
      exactS === undefined ? {} : { recordDurationS: exactS },
    );
    const body = rec.streams.flatMap((s, si) => encoder.append(si, s.data));
    const { records, header } = encoder.finish();
    return [header, ...body, ...records];
  };

  it('gives the bytes of encodeRecording for the fixture, as BDF+ and EDF+', () => {
    const rec = readRecordingFile(fixture);
    for (const kind of ['bdf', 'edf'] as const) {
      const fractions: number[] = [];
      expect(bytes(encodeRecording(rec, kind, { onFraction: (f) => fractions.push(f) }))).toEqual(
        bytes(encodedWhole(rec, kind)),
      );
      expect(fractions.at(-1)).toBe(1);
    }
  });

  it('gives the same bytes for two rates, a length that is no whole number of slices, and annotations', () => {
    const seconds = 23.7;
    const wave = (rateHz: number, hz: number): Float32Array =>
      Float32Array.from(
        { length: Math.round(seconds * rateHz) },
        (_, i) => 100 * Math.sin((2 * Math.PI * hz * i) / rateHz),
      );
    const channel = (id: string, unit: 'uV' | 'deg/s') => ({
      id,
      label: id,
      kind: unit === 'uV' ? ('emg' as const) : ('gyro' as const),
      unit,
      rangeMin: -500,
      rangeMax: 500,
    });
    const rec: Recording = {
      format: 'tonus-capture',
      source: 'test',
      startTimeMs: 1_700_000_000_000,
      streams: [
        {
          descriptor: { id: 'emg', label: 'EMG', sampleRateHz: 2000, channels: [channel('e1', 'uV')] },
          data: [wave(2000, 50)],
        },
        {
          descriptor: { id: 'imu', label: 'IMU', sampleRateHz: 100, channels: [channel('g', 'deg/s')] },
          data: [wave(100, 1)],
        },
      ],
      annotations: [
        { onsetS: 3.2, text: 'stretch' },
        { onsetS: 17, durationS: 2, text: 'rest' },
      ],
      meta: {},
    };
    expect(bytes(encodeRecording(rec, 'bdf'))).toEqual(bytes(encodedWhole(rec, 'bdf')));
  });
});

describe('jobWorkerUrl', () => {
  it('points at the compiled worker when this module runs from its TypeScript source', () => {
    expect(fileURLToPath(jobWorkerUrl())).toBe(
      join(packageRoot(), 'build', 'node', 'src', 'app', 'job-worker.js'),
    );
  });
});

describe('openExistingDatabase', () => {
  it('refuses a missing file and a schema of another version, and never migrates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-jobs-db-'));
    const file = join(dir, 'tonus.db');
    expect(() => openExistingDatabase(file)).toThrow();
    expect(existsSync(file)).toBe(false);
    openDatabase(file, migrations.slice(0, 1)).close();
    expect(() => openExistingDatabase(file)).toThrow(/schema version 1, this code expects/);
    openDatabase(file).close();
    const db = openExistingDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
