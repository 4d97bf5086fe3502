import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamDescriptor } from '../../../src/shared/samples.js';
import { latestAnalysis, listAnalyses, saveAnalysis } from '../../../src/storage/analyses.node.js';
import type { Db } from '../../../src/storage/database.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { addMarker, listMarkers } from '../../../src/storage/markers.node.js';
import {
  createPatient,
  DuplicatePatientCodeError,
  ensurePatient,
  listPatients,
  updatePatient,
} from '../../../src/storage/patients.node.js';
import {
  insertChunk,
  insertChunks,
  lastChunkTimeMs,
  readStream,
  storedSampleCounts,
} from '../../../src/storage/sample-chunks.node.js';
import {
  readSessionRecording,
  SessionNotFoundError,
  storeRecording,
} from '../../../src/storage/session-recording.node.js';
import { SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import type { Recording } from '../../../src/shared/recording.js';
import {
  createSession,
  finishSession,
  getSession,
  listSessions,
  recordingSessionIds,
} from '../../../src/storage/sessions.node.js';

const T0 = 1.7e12;
const stream = (id: string, sampleRateHz: number, channels: number): StreamDescriptor => ({
  id,
  label: id,
  sampleRateHz,
  channels: Array.from({ length: channels }, (_, c) => ({
    id: `${id}${c}`,
    label: `${id} ${c}`,
    kind: 'emg' as const,
    unit: 'uV' as const,
    rangeMin: -1,
    rangeMax: 1,
  })),
});
const emg = stream('emg', 1000, 2);

let db: Db;
beforeEach(() => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-repo-')), 'tonus.sqlite'));
});
afterEach(() => db.close());

const newSession = (patientId: number | null, startTimeMs = T0, protocol = 'rest'): number =>
  createSession(db, {
    patientId,
    protocol,
    deviceId: 'synthetic',
    deviceName: 'Demo',
    origin: 'live',
    startTimeMs,
    streams: [emg],
  });

/** Samples [from, from + n) of a ramp: channel c, seq i holds c * 10000 + i. */
function ramp(from: number, n: number, channels = 2): Float32Array[] {
  return Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: n }, (_, i) => c * 10000 + from + i),
  );
}
const grid = (from: number, n: number, rateHz = 1000): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => T0 + ((from + i) * 1000) / rateHz);

describe('patients', () => {
  it('creates, lists by code, updates and refuses a duplicate code', () => {
    const b = createPatient(db, {
      code: 'P-2',
      birthYear: 2016,
      gmfcsLevel: 3,
      affectedSide: 'left',
      weightKg: 21.5,
    });
    const a = ensurePatient(db, 'P-1');
    expect(ensurePatient(db, 'P-1').id).toBe(a.id);
    expect(listPatients(db).map((p) => p.code)).toEqual(['P-1', 'P-2']);
    expect(b).toMatchObject({
      birthYear: 2016,
      gmfcsLevel: 3,
      affectedSide: 'left',
      weightKg: 21.5,
      note: null,
    });
    expect(updatePatient(db, b.id, { gmfcsLevel: 2, note: 'after surgery' })).toMatchObject({
      code: 'P-2',
      gmfcsLevel: 2,
      birthYear: 2016,
      note: 'after surgery',
    });
    expect(() => createPatient(db, { code: 'P-1' })).toThrow(DuplicatePatientCodeError);
    expect(() => updatePatient(db, b.id, { code: 'P-1' })).toThrow(
      'A patient with code "P-1" already exists.',
    );
    expect(updatePatient(db, 999, { note: 'x' })).toBeUndefined();
  });
});

describe('sessions', () => {
  it('lists with filters, newest first, and finishes a session only once', () => {
    const p1 = ensurePatient(db, 'P-1').id;
    const p2 = ensurePatient(db, 'P-2').id;
    const s1 = newSession(p1, T0);
    const s2 = newSession(p2, T0 + 1000);
    const s3 = newSession(p1, T0 + 2000, 'pendulum');
    expect(listSessions(db).map((s) => s.id)).toEqual([s3, s2, s1]);
    expect(listSessions(db, { patientId: p1 }).map((s) => s.id)).toEqual([s3, s1]);
    expect(listSessions(db, { fromMs: T0 + 500, toMs: T0 + 1500 }).map((s) => s.id)).toEqual([s2]);
    expect(listSessions(db, { limit: 1 }).map((s) => s.id)).toEqual([s3]);
    expect(listSessions(db, { origin: 'live' }).map((s) => s.id)).toEqual([s3, s2, s1]);
    expect(listSessions(db, { origin: 'import' })).toEqual([]);
    expect(recordingSessionIds(db)).toEqual([s1, s2, s3]);
    expect(finishSession(db, s1, 'complete', T0 + 60_000)).toBe(true);
    expect(finishSession(db, s1, 'interrupted', T0 + 1)).toBe(false);
    expect(getSession(db, s1)).toMatchObject({
      status: 'complete',
      endTimeMs: T0 + 60_000,
      patientCode: 'P-1',
    });
    expect(listSessions(db, { status: 'recording' }).map((s) => s.id)).toEqual([s3, s2]);
    expect(getSession(db, s3)?.streams).toEqual([emg]);
  });
});

describe('sample chunks', () => {
  it('reads a stream back contiguous, with gaps filled and listed, and irregular times kept', () => {
    const s = newSession(null);
    const jitter = grid(1000, 500);
    jitter[10] = (jitter[10] ?? 0) + 0.3;
    insertChunks(db, [
      {
        sessionId: s,
        streamId: 'emg',
        sampleRateHz: 1000,
        firstSeq: 0,
        data: ramp(0, 1000),
        timestampsMs: grid(0, 1000),
        start: 0,
        count: 1000,
      },
      {
        sessionId: s,
        streamId: 'emg',
        sampleRateHz: 1000,
        firstSeq: 1000,
        data: ramp(1000, 500),
        timestampsMs: jitter,
        start: 0,
        count: 500,
      },
      {
        sessionId: s,
        streamId: 'emg',
        sampleRateHz: 1000,
        firstSeq: 1600,
        data: ramp(1600, 400),
        timestampsMs: grid(1600, 400),
        start: 0,
        count: 400,
      },
    ]);
    const blobs = db
      .prepare('SELECT first_seq, timestamps IS NOT NULL AS t FROM sample_chunks ORDER BY first_seq')
      .all();
    expect(blobs).toEqual([
      { first_seq: 0, t: 0 },
      { first_seq: 1000, t: 1 },
      { first_seq: 1600, t: 0 },
    ]);
    const r = readStream(db, s, emg);
    expect(r.storedSamples).toBe(1900);
    expect(r.missing).toEqual([{ firstSeq: 1500, endSeq: 1600 }]);
    const expected = ramp(0, 2000);
    for (const ch of expected) ch.fill(0, 1500, 1600);
    expect(r.data).toEqual(expected);
    expect(r.timestampsMs[1010]).toBe(jitter[10] ?? 0);
    expect(r.timestampsMs[1550]).toBeCloseTo(T0 + 1550, 6);
    expect(r.timestampsMs[1999]).toBeCloseTo(T0 + 1999, 6);
    expect(storedSampleCounts(db, s)).toEqual({ emg: 1900 });
    expect(lastChunkTimeMs(db, s)).toBeCloseTo(T0 + 1999, 6);
  });

  it('writes a batch all or nothing', () => {
    const s = newSession(null);
    const c = {
      sessionId: s,
      streamId: 'emg',
      sampleRateHz: 1000,
      firstSeq: 0,
      data: ramp(0, 10),
      timestampsMs: grid(0, 10),
      start: 0,
      count: 10,
    };
    insertChunk(db, c);
    expect(() => insertChunks(db, [{ ...c, firstSeq: 10 }, c])).toThrow(/UNIQUE/);
    expect(storedSampleCounts(db, s)).toEqual({ emg: 10 });
  });

  it('names the damaged chunk when a blob has the wrong size', () => {
    const s = newSession(null);
    insertChunk(db, {
      sessionId: s,
      streamId: 'emg',
      sampleRateHz: 1000,
      firstSeq: 0,
      data: ramp(0, 10),
      timestampsMs: grid(0, 10),
      start: 0,
      count: 10,
    });
    db.prepare('UPDATE sample_chunks SET data = zeroblob(12)').run();
    expect(() => readStream(db, s, emg)).toThrow(
      `session ${s}, stream emg, chunk at seq 0: sample blob has 12 bytes, expected 80`,
    );
  });
});

describe('markers, analyses and the session as a Recording', () => {
  it('saves an analysis with its events atomically and finds the latest', () => {
    const s = newSession(null);
    const first = {
      algorithmVersion: 'stretch-1.0.0',
      params: { windowMs: 50 },
      summary: { catchAngleDeg: 42 },
      events: [
        { kind: 'stretch', index: 1, startS: 12.5, endS: 13, values: { peakVelocityDegS: 300 } },
        { kind: 'stretch', index: 0, startS: 4.5, endS: 5, values: { peakVelocityDegS: 250 } },
      ],
    };
    const id = saveAnalysis(db, s, first);
    const broken = {
      ...first,
      algorithmVersion: 'stretch-1.0.1',
      events: [first.events[0]!, first.events[0]!],
    };
    expect(() => saveAnalysis(db, s, broken)).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) FROM analyses').pluck().get()).toBe(1);
    const second = saveAnalysis(db, s, { ...first, algorithmVersion: 'stretch-1.1.0', events: [] });
    expect(listAnalyses(db, s).map((a) => a.id)).toEqual([id, second]);
    expect(latestAnalysis(db, s)).toMatchObject({
      id: second,
      algorithmVersion: 'stretch-1.1.0',
      events: [],
    });
    expect(listAnalyses(db, s)[0]).toMatchObject({
      params: { windowMs: 50 },
      summary: { catchAngleDeg: 42 },
      events: [first.events[1], first.events[0]],
    });
    expect(latestAnalysis(db, newSession(null))).toBeUndefined();
  });

  it('rebuilds a session as a Recording with markers as annotations', () => {
    const p = ensurePatient(db, 'P-7').id;
    const s = newSession(p);
    insertChunk(db, {
      sessionId: s,
      streamId: 'emg',
      sampleRateHz: 1000,
      firstSeq: 0,
      data: ramp(0, 300),
      timestampsMs: grid(0, 300),
      start: 0,
      count: 300,
    });
    addMarker(db, { sessionId: s, timeMs: T0 + 250, kind: 'marker', text: 'fast stretch' });
    addMarker(db, {
      sessionId: s,
      timeMs: T0 + 100,
      durationMs: 20,
      kind: 'gap',
      text: 'Gap: 20 emg samples dropped',
    });
    expect(listMarkers(db, s).map((m) => m.text)).toEqual(['Gap: 20 emg samples dropped', 'fast stretch']);
    finishSession(db, s, 'complete', T0 + 299);
    const rec = readSessionRecording(db, s);
    expect(rec).toMatchObject({
      format: 'tonus-capture',
      source: `session:${s}`,
      startTimeMs: T0,
      annotations: [
        { onsetS: 0.1, durationS: 0.02, text: 'Gap: 20 emg samples dropped' },
        { onsetS: 0.25, text: 'fast stretch' },
      ],
      meta: { patientCode: 'P-7', protocol: 'rest', status: 'complete', deviceId: 'synthetic' },
    });
    expect(rec.streams[0]?.data).toEqual(ramp(0, 300));
    expect(() => readSessionRecording(db, 999)).toThrow(SessionNotFoundError);
  });
});

describe('storing a whole Recording as a session (import, replay)', () => {
  const signal = new SyntheticSignal();
  const recording = (): Recording => ({
    format: 'bdf',
    source: 'demo.bdf',
    startTimeMs: T0,
    streams: [
      { descriptor: signal.streams[0]!, data: [...signal.next('emg', 5001).data] },
      { descriptor: signal.streams[1]!, data: [...signal.next('imu', 250).data] },
    ],
    annotations: [
      { onsetS: 0.5, text: 'rest' },
      { onsetS: 1.25, durationS: 0.05, text: 'Gap: 100 emg samples dropped' },
      { onsetS: 2, durationS: 0.25, text: 'Recording paused (0.3 s)' },
    ],
    meta: { device: 'OpenBCI Cyton' },
  });

  it('round-trips through readSessionRecording: same samples, same annotations', () => {
    const rec = recording();
    const id = storeRecording(db, rec, {
      patientId: null,
      protocol: 'pendulum',
      origin: 'import',
      sourceFile: 'demo.bdf',
    });
    expect(getSession(db, id)).toMatchObject({
      status: 'complete',
      origin: 'import',
      sourceFile: 'demo.bdf',
      deviceName: 'OpenBCI Cyton',
      startTimeMs: T0,
      endTimeMs: T0 + 2500,
      quality: { emg: { samples: 5001, effectiveHz: 2000 }, imu: { samples: 250 } },
    });
    expect(
      db
        .prepare("SELECT sample_count FROM sample_chunks WHERE stream_id = 'emg' ORDER BY first_seq")
        .pluck()
        .all(),
    ).toEqual([2000, 2000, 1001]);
    expect(listMarkers(db, id).map((m) => m.kind)).toEqual(['marker', 'gap', 'pause']);
    expect(getSession(db, id)?.gapCount).toBe(1);
    const back = readSessionRecording(db, id);
    expect(back.streams).toEqual(rec.streams);
    expect(back.annotations).toEqual(rec.annotations);
  });

  it('refuses a stream whose channels disagree and leaves nothing behind', () => {
    const rec = recording();
    rec.streams[1]!.data[4] = new Float32Array(249);
    expect(() => storeRecording(db, rec, { patientId: null, protocol: 'rest', origin: 'import' })).toThrow(
      'demo.bdf, stream imu: channel 4 has 249 samples, channel 0 has 250.',
    );
    rec.streams[1]!.data.pop();
    expect(() => storeRecording(db, rec, { patientId: null, protocol: 'rest', origin: 'import' })).toThrow(
      'demo.bdf, stream imu: 5 channels of samples, descriptor has 6.',
    );
    expect(listSessions(db)).toEqual([]);
  });

  it('rolls back the whole session when a write fails half way', () => {
    const rec = recording();
    db.exec(
      "CREATE TRIGGER fail_third_chunk BEFORE INSERT ON sample_chunks WHEN NEW.first_seq = 4000 BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => storeRecording(db, rec, { patientId: null, protocol: 'rest', origin: 'import' })).toThrow(
      'disk full',
    );
    for (const table of ['sessions', 'sample_chunks', 'markers'])
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
  });
});
