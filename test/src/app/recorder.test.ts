import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BlockSource } from '../../../src/app/recorder.js';
import { Recorder } from '../../../src/app/recorder.js';
import { recoverInterruptedSessions } from '../../../src/app/session-lock.js';
import { SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import type { RecordingStatus } from '../../../src/shared/api/session-api.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import type { Db } from '../../../src/storage/database.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { listMarkers } from '../../../src/storage/markers.node.js';
import { readStream, storedSampleCounts } from '../../../src/storage/sample-chunks.node.js';
import { createSession, getSession } from '../../../src/storage/sessions.node.js';

const T0 = 1.75e12;

class FakeSource implements BlockSource {
  listener: ((b: SampleBlock) => void) | undefined;
  onBlock(listener: (b: SampleBlock) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  emit(b: SampleBlock): void {
    this.listener?.(b);
  }
}

let db: Db;
let source: FakeSource;
let signal: SyntheticSignal;
let sessionId: number;
let statuses: RecordingStatus[];

beforeEach(() => {
  db = openDatabase(join(mkdtempSync(join(tmpdir(), 'tonus-rec-')), 'tonus.sqlite'));
  source = new FakeSource();
  signal = new SyntheticSignal({ ...new SyntheticSignal().params, startTimeMs: T0 });
  sessionId = createSession(db, {
    patientId: null,
    protocol: 'rest',
    deviceId: 'synthetic',
    deviceName: 'Demo',
    origin: 'live',
    startTimeMs: T0 - 50,
    streams: signal.streams,
  });
  statuses = [];
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
});

const recorder = (): Recorder =>
  new Recorder({ db, sessionId, streams: signal.streams, source, onStatus: (s) => statuses.push(s) });

/** Emits `ticks` of 20 ms of both streams, as the driver does. */
function play(ticks: number, skip: (streamId: string, tick: number) => boolean = () => false): SampleBlock[] {
  const all: SampleBlock[] = [];
  for (let t = 0; t < ticks; t++) {
    for (const s of signal.streams) {
      const id = s.id as 'emg' | 'imu';
      const due = (20 * s.sampleRateHz) / 1000;
      const b = signal.next(id, due);
      all.push(b);
      if (!skip(id, t)) source.emit(b);
    }
  }
  return all;
}

describe('Recorder', () => {
  it('stores exactly the samples it received, contiguous, and completes the session at the last sample', () => {
    const r = recorder();
    r.start();
    play(60);
    r.flush();
    play(40);
    const final = r.stop();
    const reference = new SyntheticSignal({ ...signal.params });
    const session = getSession(db, sessionId);
    expect(session).toMatchObject({ status: 'complete', startTimeMs: T0, droppedSamples: 0, gapCount: 0 });
    expect(session?.endTimeMs).toBeCloseTo(T0 + ((4000 - 1) * 1000) / 2000, 6);
    for (const s of signal.streams) {
      const stored = readStream(db, sessionId, s);
      const expected = reference.next(s.id as 'emg' | 'imu', stored.data[0]?.length ?? 0);
      expect(stored.missing).toEqual([]);
      expect(stored.data).toEqual(expected.data);
      expect(session?.quality?.[s.id]).toMatchObject({ nominalHz: s.sampleRateHz, droppedSamples: 0 });
      expect(session?.quality?.[s.id]?.effectiveHz).toBeCloseTo(s.sampleRateHz, 6);
    }
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 4000, imu: 200 });
    expect(final).toMatchObject({ status: 'complete', samples: 4000 * 8 + 200 * 6, droppedSamples: 0 });
    expect(statuses.at(-1)).toEqual(final);
    expect(r.stop().status).toBe('complete');
  });

  it('writes chunks of at most one second', () => {
    const r = recorder();
    r.start();
    play(150);
    r.stop();
    const sizes = db
      .prepare("SELECT sample_count FROM sample_chunks WHERE stream_id = 'emg' ORDER BY first_seq")
      .pluck()
      .all();
    expect(sizes).toEqual([2000, 2000, 2000]);
  });

  it('counts dropped samples from sequence gaps, marks each gap and keeps the rest in place', () => {
    const r = recorder();
    r.start();
    const blocks = play(50, (id, t) => id === 'emg' && (t === 10 || t === 11));
    r.stop();
    const dropped = blocks.filter((b) => b.streamId === 'emg').slice(10, 12);
    const missing = dropped.reduce((n, b) => n + b.timestampsMs.length, 0);
    const session = getSession(db, sessionId);
    expect(session).toMatchObject({ droppedSamples: missing, gapCount: 1 });
    expect(session?.quality?.emg?.effectiveHz).toBeLessThan(2000);
    const emg = readStream(db, sessionId, signal.streams[0]!);
    expect(emg.missing).toEqual([{ firstSeq: dropped[0]!.firstSeq, endSeq: dropped[0]!.firstSeq + missing }]);
    const markers = listMarkers(db, sessionId);
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ kind: 'gap', text: `Gap: ${missing} emg samples dropped` });
    expect(markers[0]?.timeMs).toBeCloseTo(dropped[0]!.timestampsMs[0]!, 6);
    expect(markers[0]?.durationMs).toBeCloseTo(missing / 2, 6);
  });

  it('flushes on its own every flush interval, without waiting for stop', () => {
    vi.useFakeTimers();
    const r = recorder();
    r.start();
    play(10);
    expect(storedSampleCounts(db, sessionId)).toEqual({});
    vi.advanceTimersByTime(500);
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 400, imu: 20 });
    expect(statuses).toHaveLength(1);
    expect(getSession(db, sessionId)?.status).toBe('recording');
    r.stop();
  });

  it('counts from the first block when it joins a running stream, and stops listening once stopped', () => {
    play(5);
    const r = recorder();
    r.start();
    play(5);
    r.stop();
    play(5);
    const emg = readStream(db, sessionId, signal.streams[0]!);
    expect(emg.data[0]?.length).toBe(200);
    expect(getSession(db, sessionId)).toMatchObject({ startTimeMs: T0 + 100, droppedSamples: 0 });
  });

  it('keeps its buffer when a flush fails, and writes it all at the next flush', () => {
    const r = recorder();
    r.start();
    play(30);
    db.exec("CREATE TRIGGER full BEFORE INSERT ON sample_chunks BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => r.flush()).toThrow('disk full');
    expect(storedSampleCounts(db, sessionId)).toEqual({});
    db.exec('DROP TRIGGER full');
    play(30);
    r.stop();
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 2400, imu: 120 });
    expect(readStream(db, sessionId, signal.streams[0]!).missing).toEqual([]);
  });

  it('refuses a block with the wrong channel count through onError and keeps recording', () => {
    const errors: string[] = [];
    const r = new Recorder({
      db,
      sessionId,
      streams: signal.streams,
      source,
      onError: (e) => errors.push(e.message),
    });
    r.start();
    source.emit({
      streamId: 'emg',
      firstSeq: 0,
      timestampsMs: new Float64Array([T0]),
      data: [new Float32Array([1])],
    });
    play(5);
    r.stop();
    expect(errors).toEqual(['Stream emg: block at seq 0 has 1 channels, descriptor has 8.']);
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 200, imu: 10 });
  });
});

describe('Recorder: non-finite live samples', () => {
  it('refuses a block holding NaN or Infinity, reports it once, counts it and stores its span as a gap', () => {
    const errors: string[] = [];
    const r = new Recorder({
      db,
      sessionId,
      streams: signal.streams,
      source,
      onError: (e) => errors.push(e.message),
    });
    r.start();
    const spoil = (tick: number, b: SampleBlock): SampleBlock =>
      b.streamId !== 'emg' || (tick !== 2 && tick !== 3)
        ? b
        : tick === 2
          ? {
              ...b,
              data: b.data.map((ch, c) =>
                c === 1 ? Float32Array.from(ch, (v, i) => (i === 4 ? Infinity : v)) : ch,
              ),
            }
          : { ...b, timestampsMs: Float64Array.from(b.timestampsMs, (t, i) => (i === 0 ? Number.NaN : t)) };
    for (let t = 0; t < 5; t++)
      for (const s of signal.streams)
        source.emit(spoil(t, signal.next(s.id as 'emg' | 'imu', (20 * s.sampleRateHz) / 1000)));
    r.stop();
    expect(errors).toEqual(['Stream emg: block at seq 80 has a non-finite value of channel 2 at sample 4.']);
    expect(r.refusedNonFiniteBlocks).toBe(2);
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 120, imu: 10 });
    const stored = readStream(db, sessionId, signal.streams[0]!);
    expect(stored.data.every((ch) => ch.every(Number.isFinite))).toBe(true);
    expect(getSession(db, sessionId)).toMatchObject({ droppedSamples: 80, gapCount: 1 });
  });

  it('a recording whose every block was non-finite ends interrupted and says why', () => {
    const r = new Recorder({ db, sessionId, streams: signal.streams, source, onError: () => undefined });
    r.start();
    for (let t = 0; t < 3; t++)
      for (const s of signal.streams) {
        const b = signal.next(s.id as 'emg' | 'imu', (20 * s.sampleRateHz) / 1000);
        source.emit({ ...b, data: b.data.map((ch) => ch.map(() => Number.NaN)) });
      }
    expect(r.stop().status).toBe('interrupted');
    expect(getSession(db, sessionId)?.endDetail).toMatch(
      /^Nothing was stored: 6 blocks from the device held non-finite values \(Stream (emg|imu): block at seq \d+ has a non-finite value of channel 1 at sample 0\)\.$/,
    );
  });
});

describe('Recorder: a recording that stores nothing is never complete', () => {
  it('ends interrupted with no-data, saying every block was refused and why, and keeps the given end otherwise', () => {
    const errors: Error[] = [];
    const r = new Recorder({
      db,
      sessionId,
      streams: signal.streams.map((s) => ({ ...s, channels: s.channels.slice(1) })),
      source,
      onError: (e) => errors.push(e),
    });
    r.start();
    play(10);
    expect(r.stop('complete', { reason: 'duration' }).status).toBe('interrupted');
    const session = getSession(db, sessionId);
    expect(session).toMatchObject({ status: 'interrupted', endReason: 'no-data' });
    expect(session?.endDetail).toMatch(
      /^Nothing was stored: 20 blocks from the device did not match its streams \(Stream imu: block at seq \d+ has \d+ channels, descriptor has \d+\)\.$/,
    );
    expect(errors).toHaveLength(20);
  });

  it('keeps a device loss as the reason when nothing was stored before it', () => {
    const r = recorder();
    r.start();
    r.stop('interrupted', { reason: 'device-lost', detail: 'Port closed.' });
    expect(getSession(db, sessionId)).toMatchObject({
      status: 'interrupted',
      endReason: 'device-lost',
      endDetail: 'Port closed. Nothing was stored: the device sent no samples.',
    });
  });

  it('takes the connected driver’s streams given after it started, and then stores them whole', () => {
    const r = new Recorder({ db, sessionId, streams: [], source });
    r.start();
    r.setStreams(signal.streams);
    play(10);
    expect(r.stop('complete', { reason: 'duration' }).status).toBe('complete');
    expect(getSession(db, sessionId)).toMatchObject({ endReason: 'duration', endDetail: null });
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 400, imu: 20 });
  });
});

describe('Recorder on a device loss', () => {
  it('marks the loss as a gap and stores the restarted device after the hole, with increasing sequence numbers', () => {
    const r = recorder();
    r.start();
    const before = play(50);
    const lastEmg = before.filter((b) => b.streamId === 'emg').at(-1);
    const lossStartMs = lastEmg?.timestampsMs.at(-1) ?? NaN;
    // The device comes back 1 s later and counts its samples from zero again.
    const restarted = new SyntheticSignal({ ...signal.params, startTimeMs: lossStartMs + 1000 });
    signal = restarted;
    r.markDeviceLoss({
      startMs: lossStartMs,
      endMs: lossStartMs + 1000,
      reason: 'unplugged.',
      reconnected: true,
    });
    play(25);
    const final = r.stop();

    expect(listMarkers(db, sessionId).map((m) => [m.kind, m.text, m.durationMs])).toEqual([
      ['gap', 'Device lost: unplugged; reconnected after 1.0 s', 1000],
    ]);
    const emgDescriptor = restarted.streams.find((s) => s.id === 'emg');
    if (!emgDescriptor) throw new Error('no EMG stream');
    const emg = readStream(db, sessionId, emgDescriptor);
    const periodMs = 1000 / emgDescriptor.sampleRateHz;
    const perTick = (20 * emgDescriptor.sampleRateHz) / 1000;
    expect(emg.storedSamples).toBe(75 * perTick);
    const missing = Math.round(1000 / periodMs) - 1;
    expect(emg.missing).toEqual([{ firstSeq: 50 * perTick, endSeq: 50 * perTick + missing }]);
    expect(final.droppedSamples).toBeGreaterThanOrEqual(missing);
    // One loss is one gap for the session, however many streams it cut.
    expect(final.gapCount).toBe(1);
    expect(r.quality().quality['emg']?.gaps).toBe(1);
  });
});

describe('Recorder paused', () => {
  const clock = { nowMs: 0 };
  const pausable = (): Recorder =>
    new Recorder({
      db,
      sessionId,
      streams: signal.streams,
      source,
      onStatus: (s) => statuses.push(s),
      nowMs: () => clock.nowMs,
    });

  it('stores nothing while paused, keeps the later samples in place, and marks the span as one pause', () => {
    clock.nowMs = 0;
    const r = pausable();
    r.start();
    const before = play(50);
    clock.nowMs = 1000;
    expect(r.pause()).toBe(true);
    expect(r.pause()).toBe(false);
    expect(statuses.at(-1)).toMatchObject({ paused: true, elapsedS: 1 });
    play(100);
    clock.nowMs = 5000;
    expect(r.currentStatus()).toMatchObject({ paused: true, elapsedS: 1 });
    expect(r.resume()).toBe(true);
    expect(r.resume()).toBe(false);
    expect(statuses.at(-1)).toMatchObject({ paused: false, elapsedS: 1 });
    const after = play(50);
    clock.nowMs = 6000;
    const final = r.stop();

    expect(final).toMatchObject({ paused: false, elapsedS: 2, droppedSamples: 0, gapCount: 0 });
    const session = getSession(db, sessionId);
    expect(session).toMatchObject({ droppedSamples: 0, gapCount: 0, status: 'complete' });
    expect(session?.quality?.emg?.droppedSamples).toBe(0);
    expect(session?.quality?.emg?.effectiveHz).toBeCloseTo(2000, 6);
    const emgAfter = after.filter((b) => b.streamId === 'emg');
    const emg = readStream(db, sessionId, signal.streams[0]!);
    // 50 ticks of 40 EMG samples before, 100 skipped, 50 stored after in their own place.
    expect(emg.storedSamples).toBe(4000);
    expect(emg.missing).toEqual([{ firstSeq: 2000, endSeq: 6000 }]);
    expect(emg.data[0]?.subarray(6000)).toEqual(
      Float32Array.from(emgAfter.flatMap((b) => Array.from(b.data[0] ?? []))),
    );
    const pauseStartMs = Math.min(
      ...signal.streams.map((s) => {
        const last =
          before
            .filter((b) => b.streamId === s.id)
            .at(-1)
            ?.timestampsMs.at(-1) ?? NaN;
        return last + 1000 / s.sampleRateHz;
      }),
    );
    const markers = listMarkers(db, sessionId);
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ kind: 'pause', text: 'Recording paused (2.0 s)' });
    expect(markers[0]?.timeMs).toBeCloseTo(pauseStartMs, 6);
    const firstAfterMs = after[0]?.timestampsMs[0] ?? NaN;
    expect((markers[0]?.timeMs ?? NaN) + (markers[0]?.durationMs ?? NaN)).toBeCloseTo(firstAfterMs, 6);
  });

  it('stops while paused: the pause reaches the last sample received and the session ends there', () => {
    clock.nowMs = 0;
    const r = pausable();
    r.start();
    play(25);
    r.pause();
    const paused = play(25);
    const final = r.stop();
    expect(final).toMatchObject({ status: 'complete', paused: false, droppedSamples: 0 });
    const lastMs = Math.max(...paused.map((b) => b.timestampsMs.at(-1) ?? NaN));
    expect(getSession(db, sessionId)?.endTimeMs).toBeCloseTo(lastMs, 6);
    const [marker] = listMarkers(db, sessionId);
    expect(marker?.kind).toBe('pause');
    expect((marker?.timeMs ?? NaN) + (marker?.durationMs ?? NaN)).toBeCloseTo(lastMs, 6);
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 1000, imu: 50 });
    expect(r.pause()).toBe(false);
  });

  it('makes one pause of a pause, resume and pause again with nothing stored in between', () => {
    clock.nowMs = 0;
    const r = pausable();
    r.start();
    play(25);
    r.pause();
    play(10);
    r.resume();
    r.pause();
    play(10);
    r.resume();
    play(10);
    r.stop();
    expect(listMarkers(db, sessionId).map((m) => [m.kind, m.durationMs])).toEqual([['pause', 400]]);
  });

  it('a crash while paused leaves the session recoverable as interrupted with what was stored', () => {
    clock.nowMs = 0;
    const r = pausable();
    r.start();
    const before = play(30);
    r.pause();
    play(20);
    r.flush();
    // The process dies here: no stop, no pause marker. The next start recovers the session (it has no lock).
    const report = recoverInterruptedSessions(db, mkdtempSync(join(tmpdir(), 'tonus-rec-dir-')));
    expect(report.interrupted).toEqual([sessionId]);
    const lastStoredMs = Math.max(...before.map((b) => b.timestampsMs.at(-1) ?? NaN));
    expect(getSession(db, sessionId)).toMatchObject({
      status: 'interrupted',
      droppedSamples: 0,
      endReason: 'crash',
      endDetail: 'Tonus stopped unexpectedly while recording; the samples stored up to then are kept.',
    });
    expect(getSession(db, sessionId)?.endTimeMs).toBeCloseTo(lastStoredMs, 6);
    expect(storedSampleCounts(db, sessionId)).toEqual({ emg: 1200, imu: 60 });
  });
});
