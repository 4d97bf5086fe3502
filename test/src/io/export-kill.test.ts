import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeEdfFile } from '../../../src/io/edf/edf-file.node.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import type { Recording } from '../../../src/shared/recording.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { storeRecording } from '../../../src/storage/session-recording.node.js';
import { spawnTracked, stopChild } from '../../support/child-processes.js';

const built = (...parts: string[]): string =>
  pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'build', 'node', 'src', ...parts)).href;

const dir = mkdtempSync(join(tmpdir(), 'tonus-export-kill-'));

function recording(seconds: number): Recording {
  return {
    format: 'bdf',
    source: 'test',
    startTimeMs: Date.UTC(2026, 0, 1),
    streams: [
      {
        descriptor: {
          id: 'emg',
          label: 'EMG',
          sampleRateHz: 1000,
          channels: Array.from({ length: 4 }, (_, c) => ({
            id: `e${c}`,
            label: `EMG ${c}`,
            kind: 'emg' as const,
            unit: 'uV' as const,
            rangeMin: -1000,
            rangeMax: 1000,
          })),
        },
        data: Array.from({ length: 4 }, (_, c) =>
          Float32Array.from({ length: seconds * 1000 }, (_, i) => Math.sin(i / 50 + c) * 500),
        ),
      },
    ],
    annotations: [],
    meta: {},
  };
}

/**
 * Runs `script` (an ES module body) in a child that prints `ready` once it is inside the export and then
 * blocks; kills it with SIGKILL there. The export under test never reaches its end.
 */
async function killMidExport(script: string): Promise<void> {
  const child = spawnTracked(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`the export child exited (${code}) before it was killed`)),
      );
    });
    child.kill('SIGKILL');
  } finally {
    await stopChild(child);
  }
}

/** Blocks the child's thread for good (a synchronous sleep the event loop cannot interrupt). */
const BLOCK = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);';

// The children run the compiled writers, so this needs `tsc -b` first (npm test builds before it tests).
describe('exports killed half-way leave the earlier file, or nothing, never a partial file', () => {
  it('BDF: a killed export over a good file leaves that file whole; over nothing it leaves nothing', async () => {
    const good = recording(2);
    const path = join(dir, 'over-good.bdf');
    writeEdfFile(path, good, 'bdf');
    const before = readFileSync(path);
    const script = (target: string): string => `
      const { writeChunksAtomically } = await import(${JSON.stringify(built('io', 'atomic-file.node.js'))});
      const { encodeRecording } = await import(${JSON.stringify(built('io', 'edf', 'edf-encoder.js'))});
      const rec = ${JSON.stringify({ ...recording(1), streams: [] })};
      rec.streams = [{ descriptor: ${JSON.stringify(good.streams[0]?.descriptor)},
        data: Array.from({ length: 4 }, () => new Float32Array(60_000)) }];
      writeChunksAtomically(${JSON.stringify(target)}, encodeRecording(rec, 'bdf'), (i) => {
        if (i === 5) { process.stdout.write('ready\\n'); ${BLOCK} }
      });`;
    await killMidExport(script(path));
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readRecordingFile(path).streams[0]?.data[0]?.length).toBe(2000);
    const fresh = join(dir, 'fresh.bdf');
    await killMidExport(script(fresh));
    expect(existsSync(fresh)).toBe(false);
  });

  it('CSV: a killed raw-sample export leaves the earlier CSV whole, and no CSV where there was none', async () => {
    const dbFile = join(dir, 'csv.sqlite');
    const db = openDatabase(dbFile);
    const sessionId = storeRecording(db, recording(30), {
      patientId: null,
      protocol: 'rest',
      deviceId: 'file:bdf',
      deviceName: 'Test',
      origin: 'import',
      sourceFile: null,
    });
    db.close();
    const earlier = join(dir, 'earlier.csv');
    writeFileSync(earlier, 'time,t_s,e0_uV\n2026-01-01T00:00:00Z,0,1\n');
    const script = (target: string): string => `
      const { openDatabase } = await import(${JSON.stringify(built('storage', 'database.node.js'))});
      const { ReportRepository } = await import(${JSON.stringify(built('storage', 'report-repository.node.js'))});
      const { writeRawSamplesCsv } = await import(${JSON.stringify(built('io', 'reports', 'report-writer.node.js'))});
      const db = openDatabase(${JSON.stringify(dbFile)});
      await writeRawSamplesCsv(new ReportRepository(db), ${sessionId}, 'emg', ${JSON.stringify(target)},
        (t) => new Date(t).toISOString(), (rows) => {
          if (rows >= 5000) { process.stdout.write('ready\\n'); ${BLOCK} }
        });`;
    await killMidExport(script(earlier));
    expect(readFileSync(earlier, 'utf8')).toBe('time,t_s,e0_uV\n2026-01-01T00:00:00Z,0,1\n');
    const fresh = join(dir, 'fresh.csv');
    await killMidExport(script(fresh));
    expect(existsSync(fresh)).toBe(false);
    // What a kill leaves is a dot-file named as unfinished, never a .csv.
    expect(readdirSync(dir).filter((f) => f.endsWith('.csv'))).toEqual(['earlier.csv']);
    expect(
      readdirSync(dir)
        .filter((f) => f.includes('.partial'))
        .every((f) => f.startsWith('.')),
    ).toBe(true);
  });
});
