import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
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
