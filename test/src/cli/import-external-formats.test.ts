import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import type { SessionDetail } from '../../../src/shared/api/session-api.js';
import { openDataFolder } from '../../../src/app/data-folder.js';
import { readSessionRecording } from '../../../src/storage/session-recording.node.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

const formats = join(packageRoot(), 'fixtures', 'external-formats');

describe('tonus import of XDF, OpenSignals and C3D files', () => {
  it.each([
    ['xdf/clock_resets.xdfz', 'xdf', 'BioSemi'],
    ['xdf/empty_streams.xdf', 'xdf', 'Data stream: test stream 0 counter'],
    ['opensignals/classification_game_0_1.txt', 'opensignals-txt', 'EMG'],
    ['c3d/emgwl.c3d', 'c3d', 'EMG'],
    ['c3d/dec_real.c3d', 'c3d', 'Analog'],
  ])(
    '%s becomes a session that reads back sample for sample and exports as BDF+',
    async (file, format, label) => {
      const dir = mkdtempSync(join(tmpdir(), 'tonus-import-'));
      const path = join(formats, file);
      const result = await capture(['--data-dir', dir, 'import', path, '--json']);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const session = JSON.parse(result.out) as SessionDetail;
      const read = readRecordingFile(path);
      expect(read.format).toBe(format);
      expect(session.streams.map((s) => s.label)).toContain(label);

      const { db } = openDataFolder(dir);
      try {
        const back = readSessionRecording(db, session.id);
        expect(back.annotations.length).toBeGreaterThanOrEqual(read.annotations.length);
        read.streams.forEach((s) => {
          const stored = back.streams.find((b) => b.descriptor.id === s.descriptor.id)!;
          expect(stored.descriptor.sampleRateHz).toBe(s.descriptor.sampleRateHz);
          // Without breaks every sample is stored in place; with breaks (clock resets) the gap reads back zero-filled.
          if (!s.timestampsMs) expect(stored.data).toEqual(s.data);
          else expect(stored.data[0]!.length).toBeGreaterThanOrEqual(s.data[0]!.length);
        });
      } finally {
        db.close();
      }
      const bdf = join(dir, 'out.bdf');
      const exported = await capture([
        '--data-dir',
        dir,
        'export',
        String(session.id),
        '--format',
        'bdf',
        '--out',
        bdf,
      ]);
      expect(exported.err).toBe('');
      expect(exported.code).toBe(0);
      expect(readRecordingFile(bdf).streams.length).toBe(read.streams.length);
    },
  );

  it('refuses a damaged file with exit code 4 and names where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-import-'));
    const result = await capture(['--data-dir', dir, 'import', join(formats, 'c3d', 'sample02-readme.txt')]);
    expect(result.code).toBe(4);
    expect(result.err).toMatch(/unrecognised recording format.*xdf, opensignals-txt, c3d/);
  });
});
