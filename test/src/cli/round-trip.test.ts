import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { openDataFolder } from '../../../src/app/data-folder.js';
import { readSessionRecording } from '../../../src/storage/session-recording.node.js';

const root = packageRoot();
const bin = join(root, 'bin', 'tonus.js');

/** Runs the built `tonus` command as a user would; the build comes from `npm run build` (part of `npm test`). */
function tonus(dataDir: string, ...args: string[]): string {
  if (!existsSync(join(root, 'build', 'node', 'src', 'cli', 'main.js')))
    throw new Error('Run `npm run build` first.');
  return execFileSync(process.execPath, [bin, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('CLI round trip: record the demo, list, export BDF+, re-import', () => {
  it('gives back the recorded samples within BDF quantisation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-roundtrip-'));
    const data = join(dir, 'data');
    tonus(
      data,
      'record',
      '--device',
      'synthetic',
      '--seconds',
      '3',
      '--patient',
      'RT-1',
      '--protocol',
      'passive-stretch-fast',
    );
    const sessions = JSON.parse(tonus(data, 'sessions', '--json')) as { id: number; status: string }[];
    expect(sessions).toEqual([expect.objectContaining({ id: 1, status: 'complete' })]);
    tonus(data, 'export', '1', '--format', 'bdf', '--out', join(dir, 's1.bdf'));
    const imported = JSON.parse(
      tonus(data, 'import', join(dir, 's1.bdf'), '--patient', 'RT-1', '--json'),
    ) as { id: number };
    expect(imported.id).toBe(2);
    const bids = JSON.parse(
      tonus(data, 'export', '--format', 'bids', '--patient', 'RT-1', '--out', join(dir, 'bids'), '--json'),
    ) as { folder: string; files: string[] };
    expect(bids.folder).toBe(join(dir, 'bids'));
    expect(bids.files).toContain('dataset_description.json');
    expect(bids.files.filter((f) => f.endsWith('_emg.bdf'))).toEqual([
      'sub-RT1/ses-01/emg/sub-RT1_ses-01_task-passiveStretchFast_emg.bdf',
      'sub-RT1/ses-02/emg/sub-RT1_ses-02_task-passiveStretchFast_emg.bdf',
    ]);

    const { db } = openDataFolder(data);
    try {
      const original = readSessionRecording(db, 1);
      const back = readSessionRecording(db, 2);
      expect(back.streams.map((s) => s.descriptor.id)).toEqual(original.streams.map((s) => s.descriptor.id));
      for (const [i, stream] of original.streams.entries()) {
        const other = back.streams[i];
        expect(other?.data[0]?.length).toBe(stream.data[0]?.length);
        for (const [c, channel] of stream.data.entries()) {
          const d = stream.descriptor.channels[c];
          const step = ((d?.rangeMax ?? 1) - (d?.rangeMin ?? 0)) / (2 ** 24 - 1);
          const got = other?.data[c] as Float32Array;
          let worst = 0;
          for (let k = 0; k < channel.length; k++)
            worst = Math.max(worst, Math.abs((got[k] ?? NaN) - (channel[k] ?? 0)));
          expect(worst).toBeLessThanOrEqual(step);
        }
      }
    } finally {
      db.close();
    }
  });
});
