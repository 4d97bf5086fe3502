import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { StreamDescriptor } from '../../../src/shared/samples.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { insertRegularChunk, readStream } from '../../../src/storage/sample-chunks.node.js';
import { readStreamWindow } from '../../../src/storage/sample-window.node.js';
import { getSession } from '../../../src/storage/sessions.node.js';

describe('readStreamWindow', () => {
  it('gives the same samples as readStream for any window, cut to what is stored, gaps filled', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-window-')) });
    try {
      const imported = await dispatch(app.handlers, 'importRecordingFile', {
        path: join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'),
      });
      if (!imported.ok) throw new Error(imported.error.message);
      const sessionId = (imported.value as { id: number }).id;
      const session = getSession(app.db, sessionId);
      const emg = session?.streams.find((s) => s.id === 'emg') as StreamDescriptor;
      const whole = readStream(app.db, sessionId, emg);
      const length = whole.data[0]?.length ?? 0;
      for (const [a, b] of [
        [0, 10],
        [1999, 2001],
        [12_345, 20_000],
        [length - 5, length + 100],
        [-50, 3],
      ] as const) {
        const w = readStreamWindow(app.db, sessionId, emg, a, b);
        const from = Math.max(0, a);
        expect(w.firstSeq).toBe(from);
        w.data.forEach((ch, c) =>
          expect(Array.from(ch)).toEqual(
            Array.from(whole.data[c]?.subarray(from, Math.min(b, length)) ?? []),
          ),
        );
      }

      const gappy: StreamDescriptor = {
        id: 'gappy',
        label: 'Gappy',
        sampleRateHz: 10,
        channels: [{ id: 'a', label: 'A', kind: 'other', unit: 'none', rangeMin: -1, rangeMax: 1 }],
      };
      const chunk = (firstSeq: number, n: number): void =>
        insertRegularChunk(app.db, {
          sessionId: sessionId,
          streamId: 'gappy',
          sampleRateHz: 10,
          firstSeq,
          firstTimeMs: firstSeq * 100,
          data: [Float32Array.from({ length: n }, (_, i) => firstSeq + i + 1)],
          start: 0,
          count: n,
        });
      chunk(0, 5);
      chunk(8, 4);
      const w = readStreamWindow(app.db, sessionId, gappy, 3, 11, Number.NaN);
      expect(Array.from(w.data[0] ?? [])).toEqual([4, 5, NaN, NaN, NaN, 9, 10, 11]);
      expect(readStreamWindow(app.db, sessionId, gappy, 20, 30).data[0]).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
