import { spawnTracked } from '../../support/child-processes.js';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEdfFile } from '../../../src/io/edf/edf-file.node.js';

const built = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'build',
  'node',
  'src',
  'io',
  'edf',
  'edf-file.node.js',
);
const dir = mkdtempSync(join(tmpdir(), 'tonus-edf-kill-'));

/** A child that streams 1 s records of 8 EMG @ 2 kHz + 6 IMU @ 100 Hz to `path` until it is killed. */
const writerScript = (path: string): string => `
import { EdfFileWriter } from ${JSON.stringify(pathToFileURL(built).href)};
const ch = (id, kind, unit, lo, hi) => ({ id, label: id, kind, unit, rangeMin: lo, rangeMax: hi });
const streams = [
  { id: 'emg', label: 'EMG', sampleRateHz: 2000, channels: Array.from({ length: 8 }, (_, i) => ch('emg' + i, 'emg', 'uV', -6000, 6000)) },
  { id: 'imu', label: 'IMU', sampleRateHz: 100, channels: Array.from({ length: 6 }, (_, i) => ch('imu' + i, 'accel', 'g', -8, 8)) },
];
const w = EdfFileWriter.create(${JSON.stringify(path)}, { kind: 'bdf', streams, startTimeMs: Date.UTC(2026, 0, 1) });
let s = 0;
const tick = () => {
  w.append(0, Array.from({ length: 8 }, (_, c) => Float32Array.from({ length: 2000 }, (_, i) => Math.sin(s + i / 100) * 100 + c)));
  w.append(1, Array.from({ length: 6 }, () => new Float32Array(100).fill(s % 8)));
  if (s % 3 === 0) w.annotate({ onsetS: s, text: 'Marker ' + s });
  s++;
  setTimeout(tick, 1);
};
tick();
`;

// The child runs the compiled writer, so this needs `tsc -b` first (npm test builds before it tests).
describe('EdfFileWriter killed with SIGKILL', () => {
  it('leaves a readable BDF+ every time', async () => {
    for (let run = 0; run < 5; run++) {
      const path = join(dir, `killed-${run}.bdf`);
      const child = spawnTracked(process.execPath, ['--input-type=module', '-e', writerScript(path)], {
        stdio: 'ignore',
      });
      const minBytes = 4096 + (3 + run * 7) * 50_000;
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (existsSync(path) && statSync(path).size > minBytes) {
            clearInterval(poll);
            child.kill('SIGKILL');
          }
        }, 2);
        child.once('exit', () => {
          clearInterval(poll);
          resolve();
        });
        child.once('error', reject);
      });
      const rec = readEdfFile(path);
      expect(rec.meta.unfinished).toBe('true');
      const seconds = rec.streams[0]!.data[0]!.length / 2000;
      expect(seconds).toBeGreaterThanOrEqual(2);
      expect(rec.streams[1]!.data[0]!.length).toBe(seconds * 100);
      expect(rec.streams[0]!.data[3]![1999]).toBeCloseTo(Math.sin(19.99) * 100 + 3, 2);
      expect(rec.annotations[0]).toEqual({ onsetS: 0, text: 'Marker 0' });
    }
  });
});
