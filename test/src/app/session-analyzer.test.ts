import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeAndStoreSession } from '../../../src/app/session-analyzer.js';
import type { Recording } from '../../../src/shared/recording.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { insertMarker, listMarkers } from '../../../src/storage/markers.node.js';
import { storeRecording } from '../../../src/storage/session-recording.node.js';
import { stretchRecording } from '../indicators/stretch-session.js';

const T0 = 1.75e12;

/** Six stretches with 19.5–22 s stored as zeros (a paused span), optionally with its pause annotation. */
const pausedStretches = (annotated: boolean): Recording =>
  stretchRecording(
    { startS: 19.5, endS: 22 },
    T0,
    annotated ? [{ onsetS: 19.5, durationS: 2.5, text: 'Recording paused (2.5 s)' }] : [],
  );

describe('analyzeAndStoreSession on a session with a pause or a gap', () => {
  it('treats the pause marker as a discontinuity: the filler neither sets the rest level nor rejects stretches', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-analyzer-')), 'tonus.sqlite'));
    try {
      const accepted = async (annotated: boolean): Promise<number> => {
        const id = storeRecording(db, pausedStretches(annotated), {
          patientId: null,
          protocol: 'passive-stretch-fast',
          origin: 'import',
        });
        expect(listMarkers(db, id).map((m) => m.kind)).toEqual(annotated ? ['pause'] : []);
        return (await analyzeAndStoreSession(db, id)).events.filter(
          (e) => e.kind === 'stretch' && e.values.rejected === false,
        ).length;
      };
      expect(await accepted(true)).toBe(6);
      expect(await accepted(false)).toBeLessThan(6);
    } finally {
      db.close();
    }
  });

  it('treats a device-loss gap the same way: the zero-filled span is not signal', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-analyzer-')), 'tonus.sqlite'));
    try {
      const id = storeRecording(db, pausedStretches(false), {
        patientId: null,
        protocol: 'passive-stretch-fast',
        origin: 'import',
      });
      insertMarker(db, {
        sessionId: id,
        timeMs: T0 + 19_500,
        durationMs: 2500,
        kind: 'gap',
        text: 'Device lost: Serial port went away; reconnected after 2.5 s',
      });
      const stretches = (await analyzeAndStoreSession(db, id)).events.filter((e) => e.kind === 'stretch');
      expect(stretches.filter((e) => e.values.rejected === false)).toHaveLength(6);
    } finally {
      db.close();
    }
  });
});
