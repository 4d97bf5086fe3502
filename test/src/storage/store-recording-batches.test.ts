import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { analyzeAndStoreSession } from '../../../src/app/session-analyzer.js';
import type { Recording } from '../../../src/shared/recording.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { listMarkers } from '../../../src/storage/markers.node.js';
import { readSessionRecording, storeRecording } from '../../../src/storage/session-recording.node.js';
import { getSession, listSessions } from '../../../src/storage/sessions.node.js';

const fixture = readRecordingFile(join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf'));
const tempDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-batches-')), 'tonus.sqlite'));
const options = { patientId: null, protocol: 'passive-stretch-fast', origin: 'import' } as const;

describe('storing a recording in several transactions', () => {
  it('stores the same samples and markers as one transaction, with the session recording until the end', () => {
    const db = tempDb();
    try {
      const whole = storeRecording(db, fixture, options);
      const statusDuring: string[] = [];
      let created: number | undefined;
      const batched = storeRecording(db, fixture, {
        ...options,
        transactionChunks: 3,
        onSessionCreated: (id) => (created = id),
        onProgress: () => statusDuring.push(getSession(db, created ?? -1)?.status ?? 'missing'),
      });
      expect(created).toBe(batched);
      expect(new Set(statusDuring)).toEqual(new Set(['recording']));
      expect(getSession(db, batched)?.status).toBe('complete');
      const a = readSessionRecording(db, whole);
      const b = readSessionRecording(db, batched);
      expect(b.streams.map((s) => s.data)).toEqual(a.streams.map((s) => s.data));
      expect(listMarkers(db, batched).map((m) => [m.kind, m.text, m.timeMs])).toEqual(
        listMarkers(db, whole).map((m) => [m.kind, m.text, m.timeMs]),
      );
      expect(getSession(db, batched)?.quality).toEqual(getSession(db, whole)?.quality);
    } finally {
      db.close();
    }
  });

  it('leaves nothing behind when a write fails half-way', () => {
    const db = tempDb();
    try {
      let calls = 0;
      expect(() =>
        storeRecording(db, fixture, {
          ...options,
          transactionChunks: 2,
          onProgress: () => {
            if (++calls === 7) throw new Error('disk full');
          },
        }),
      ).toThrow('disk full');
      expect(listSessions(db, {})).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) AS n FROM sample_chunks').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('storing a file with a break in its sample times (EDF+D, a skipped counter)', () => {
  /** The demo passive-stretch fixture with 5 s cut in after its first 10 s, as a discontinuous file has it. */
  function withBreak(): Recording {
    const breakAtS = 10;
    const breakS = 5;
    return {
      ...fixture,
      annotations: fixture.annotations.filter((a) => a.onsetS < breakAtS),
      streams: fixture.streams.map((s) => {
        const fs = s.descriptor.sampleRateHz;
        const n = s.data[0]?.length ?? 0;
        return {
          ...s,
          timestampsMs: Float64Array.from({ length: n }, (_, i) => {
            const t = fixture.startTimeMs + (i * 1000) / fs;
            return i < breakAtS * fs ? t : t + breakS * 1000;
          }),
        };
      }),
    };
  }

  it('keeps every sample at its own time: the break reads back as zeros, with a gap marker and a count', async () => {
    const db = tempDb();
    try {
      const id = storeRecording(db, withBreak(), options);
      const back = readSessionRecording(db, id);
      const emg = back.streams.find((s) => s.descriptor.id === 'emg');
      const original = fixture.streams.find((s) => s.descriptor.id === 'emg');
      expect(emg?.data[0]?.length).toBe((original?.data[0]?.length ?? 0) + 5 * 2000);
      // Sample i is at start + i / rate: the samples after the break sit 5 s later, the break is zeros.
      expect(emg?.data[0]?.subarray(15 * 2000, 16 * 2000)).toEqual(
        original?.data[0]?.subarray(10 * 2000, 11 * 2000),
      );
      expect(emg?.data[0]?.subarray(10 * 2000, 15 * 2000).every((v) => v === 0)).toBe(true);
      const gaps = listMarkers(db, id).filter((m) => m.kind === 'gap');
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ timeMs: fixture.startTimeMs + 10_000, durationMs: 5000 });
      expect(gaps[0]?.text).toMatch(/^Gap: 10000 emg samples missing in the file \(5\.000 s\)$/);
      expect(getSession(db, id)).toMatchObject({ droppedSamples: 10_000 + 500, gapCount: 1 });
      // The analysis sees the fast stretch where it happened: 5 s after the fixture's 12.54 s.
      const stretches = (await analyzeAndStoreSession(db, id)).events.filter((e) => e.kind === 'stretch');
      expect(stretches.map((e) => Math.round(e.startS * 10) / 10)).toEqual([3.8, 17.5]);
    } finally {
      db.close();
    }
  });
});
