import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeRecordingWith } from '../../../src/app/emg-analysis-pool.js';
import {
  EmgWorkerPool,
  PARALLEL_MIN_EMG_SAMPLES,
  PARALLEL_MIN_EMG_SAMPLES_WARM,
} from '../../../src/app/emg-worker-pool.js';
import { packageRoot } from '../../../src/app/paths.js';
import { analyzeRecording } from '../../../src/indicators/session-analysis.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import type { Recording } from '../../../src/shared/recording.js';
import { spawnTracked, stopChild } from '../../support/child-processes.js';
import { externalDataDir } from '../../support/external-data.js';

// The pool runs the compiled workers in build/node (see appWorkerUrl): `npx tsc -b` first.
const EXT = externalDataDir();
const built = (...path: string[]): string => join(packageRoot(), 'build', 'node', ...path);
const read = (file: string): Promise<Recording> => readTextRecording(`${EXT}/${file}`);

/** `rec` with its own copy of the samples, and EMG channel `k` of its first stream labelled `label`. */
function relabelled(rec: Recording, k: number, label: string): Recording {
  return {
    ...rec,
    streams: rec.streams.map((s, i) => ({
      descriptor:
        i === 0
          ? {
              ...s.descriptor,
              channels: s.descriptor.channels.map((c, j) => (j === k ? { ...c, label } : c)),
            }
          : s.descriptor,
      data: s.data.map((x) => x.slice()),
    })),
  };
}

describe('EmgWorkerPool', () => {
  const pools: EmgWorkerPool[] = [];
  const pool = (options: ConstructorParameters<typeof EmgWorkerPool>[0]): EmgWorkerPool => {
    const p = new EmgWorkerPool(options);
    pools.push(p);
    return p;
  };
  let child: ChildProcess | undefined;
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await stopChild(child);
    child = undefined;
  });

  it('keeps its threads between analyses, and gives the single-threaded result each time', async () => {
    const rec = await read('uci-lower-limb/5Npie.csv');
    const single = analyzeRecording(rec, { protocol: 'auto' });
    const p = pool({ threads: 2 });
    expect(await analyzeRecordingWith(rec, { protocol: 'auto' }, p)).toEqual(single);
    const first = p.stats();
    expect(first.threadIds).toHaveLength(2);
    expect(await analyzeRecordingWith(rec, { protocol: 'auto' }, p)).toEqual(single);
    expect(p.stats()).toEqual({
      threadIds: first.threadIds,
      threadsStarted: 2,
      channelsAnalysed: 8,
      queuedChannels: 0,
    });
  });

  it('stops its threads after the idle time, and starts new ones for the next analysis', async () => {
    const rec = await read('biosppy/emg_1.txt');
    const single = analyzeRecording(rec);
    const p = pool({ threads: 2, idleMs: 10 });
    expect(p.minEmgSamples).toBe(PARALLEL_MIN_EMG_SAMPLES);
    expect(await analyzeRecordingWith(rec, {}, p)).toEqual(single);
    const first = p.stats().threadIds;
    expect(first).toHaveLength(1);
    // Warm threads make shorter recordings worth sending, until they are stopped.
    expect(p.minEmgSamples).toBe(PARALLEL_MIN_EMG_SAMPLES_WARM);
    await p.stopped();
    expect(p.stats().threadIds).toEqual([]);
    expect(p.minEmgSamples).toBe(PARALLEL_MIN_EMG_SAMPLES);
    expect(await analyzeRecordingWith(rec, {}, p)).toEqual(single);
    expect(p.stats().threadsStarted).toBe(2);
    expect(p.stats().threadIds).not.toEqual(first);
  });

  it('fails only the analysis whose worker died, naming the channel, and serves the next one', async () => {
    const rec = await read('uci-lower-limb/5Npie.csv');
    const single = analyzeRecording(rec);
    const p = pool({
      threads: 2,
      workerUrl: pathToFileURL(built('test', 'support', 'emg-worker-that-exits.js')),
    });
    await expect(analyzeRecordingWith(relabelled(rec, 1, 'crash'), {}, p)).rejects.toThrow(
      'EMG analysis of crash failed: its worker thread stopped (exit code 3).',
    );
    expect(await analyzeRecordingWith(rec, {}, p)).toEqual(single);
    expect(p.stats().threadIds).toHaveLength(2);
    expect(p.stats().threadsStarted).toBe(3);
  });

  it('shares its queue between concurrent analyses, each giving the single-threaded result', async () => {
    const a = await read('uci-lower-limb/5Npie.csv');
    const b = await read('biosppy/emg_1.txt');
    const c = relabelled(a, 0, 'rectus femoris (copy)');
    const expected = [a, b, c].map((r) => analyzeRecording(r, { protocol: 'auto' }));
    const p = pool({ threads: 2 });
    const got = await Promise.all([a, b, c].map((r) => analyzeRecordingWith(r, { protocol: 'auto' }, p)));
    expect(got).toEqual(expected);
    expect(p.stats()).toMatchObject({ threadsStarted: 2, channelsAnalysed: 9 });
  });

  it('never keeps a process alive: a node process that ran an analysis on its pool exits by itself', async () => {
    const script = `
      const { analyzeRecordingInParallel } = await import(${JSON.stringify(pathToFileURL(built('src', 'app', 'emg-analysis-pool.js')).href)});
      const { processEmgPool } = await import(${JSON.stringify(pathToFileURL(built('src', 'app', 'emg-worker-pool.js')).href)});
      const { readTextRecording } = await import(${JSON.stringify(pathToFileURL(built('src', 'io', 'text-recording.node.js')).href)});
      const rec = await readTextRecording(${JSON.stringify(`${EXT}/uci-lower-limb/5Npie.csv`)});
      const analysis = await analyzeRecordingInParallel(rec);
      console.log(JSON.stringify({ channels: analysis.summary.emg.length, threads: processEmgPool().stats().threadIds.length }));
    `;
    // A file, not `--input-type=module -e`: worker threads inherit the process's flags, and that one stops them.
    const file = join(mkdtempSync(join(tmpdir(), 'tonus-pool-')), 'analyse-once.mjs');
    writeFileSync(file, script);
    child = spawnTracked(process.execPath, [file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const running = child;
    const code = await new Promise<number | null>((resolve) => running.once('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    // It exited with the pool's threads still there (warm, idle): they did not hold it.
    expect(JSON.parse(out)).toEqual({ channels: 4, threads: 2 });
  });
});
