import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchResult } from './harness.js';

const MB = 1024 * 1024;
const TARGET_BYTES = 100 * MB;
const reader = new URL('../../src/io/read-recording.node.js', import.meta.url).href;

/** Writes a UCI-style CSV (`time_s` + 4 EMG columns in mV at 1 kHz) of about `bytes`. */
function writeCsv(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, 'time_s,ch1_mV,ch2_mV,ch3_mV,ch4_mV\n');
    let written = 0;
    for (let i = 0; written < bytes;) {
      const lines: string[] = [];
      for (let k = 0; k < 10_000; k++, i++) {
        const v = (c: number): string => (Math.sin(i / 37 + c) * 0.5).toFixed(6);
        lines.push(`${(i / 1000).toFixed(3)},${v(0)},${v(1)},${v(2)},${v(3)}`);
      }
      const text = `${lines.join('\n')}\n`;
      writeSync(fd, text);
      written += text.length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs `body` in a fresh Node process; returns its JSON answer and peak resident memory, bytes. */
function inChild(body: string): { answer: { decodedBytes: number; seconds: number }; maxRssBytes: number } {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `${body}\nconsole.log(JSON.stringify({ answer, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));`,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    answer: { decodedBytes: number; seconds: number };
    maxRssBytes: number;
  };
}

/**
 * Peak resident memory of importing a ~100 MB text recording (read and validated, as `tonus import` does
 * before storing) against the promise: at most 2 × the decoded samples + 100 MB. Each read runs in its own
 * process so that its peak is its own. Baseline: the same file read whole and split into lines, the way
 * text files were read before they were parsed as a stream.
 */
export const bench: Bench = {
  name: 'Import memory: 100 MB CSV, streamed parse vs whole-file read',
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-import-'));
    const file = join(dir, 'big.csv');
    try {
      writeCsv(file, TARGET_BYTES);
      const size = statSync(file).size;
      const streamed = inChild(`
        const { readRecordingFile } = await import(${JSON.stringify(reader)});
        const t0 = performance.now();
        const rec = readRecordingFile(${JSON.stringify(file)});
        const decodedBytes = rec.streams.reduce((n, s) => n + s.data.reduce((m, c) => m + c.byteLength, 0), 0);
        const answer = { decodedBytes, seconds: (performance.now() - t0) / 1000 };`);
      const whole = inChild(`
        const { readFileSync } = await import('node:fs');
        const t0 = performance.now();
        const lines = readFileSync(${JSON.stringify(file)}, 'utf8').split(/\\r?\\n/);
        const cols = [[], [], [], [], []];
        for (let i = 1; i < lines.length; i++) { const t = lines[i].split(','); if (t.length === 5) t.forEach((v, k) => cols[k].push(Number(v))); }
        const answer = { decodedBytes: cols[1].length * 16, seconds: (performance.now() - t0) / 1000 };`);
      const decoded = streamed.answer.decodedBytes;
      const bound = 2 * decoded + 100 * MB;
      const verdict = streamed.maxRssBytes <= bound ? 'within' : 'OVER';
      return [
        {
          name: `CSV import ${(size / MB).toFixed(0)} MB: peak RSS per decoded byte (lower is better)`,
          throughput: streamed.maxRssBytes / decoded,
          unit: ' B/B',
          baselineName: 'whole-file read',
          baselineThroughput: whole.maxRssBytes / decoded,
          note: `peak RSS ${(streamed.maxRssBytes / MB).toFixed(0)} MB, decoded ${(decoded / MB).toFixed(0)} MB, bound 2×decoded+100 MB = ${(bound / MB).toFixed(0)} MB: ${verdict}; whole-file read ${(whole.maxRssBytes / MB).toFixed(0)} MB`,
        },
        {
          name: `CSV import ${(size / MB).toFixed(0)} MB: parse speed`,
          throughput: size / MB / streamed.answer.seconds,
          unit: ' MB/s',
          baselineName: 'whole-file read',
          baselineThroughput: size / MB / whole.answer.seconds,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
