import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimSession, recoverInterruptedSessions, releaseSession } from '../../../src/app/session-lock.js';
import { SyntheticSignal } from '../../../src/devices/drivers/synthetic-signal.js';
import { openDatabase } from '../../../src/storage/database.node.js';
import { insertChunk } from '../../../src/storage/sample-chunks.node.js';
import { createSession, getSession } from '../../../src/storage/sessions.node.js';

/** The pid of a process that has exited (a short-lived child). */
const deadPid = (): number =>
  spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid ?? 0;

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tonus-lock-'));
  const db = openDatabase(join(dataDir, 'tonus.sqlite'));
  const signal = new SyntheticSignal({ ...new SyntheticSignal().params, startTimeMs: 1.7e12 });
  const session = (): number =>
    createSession(db, {
      patientId: null,
      protocol: 'rest',
      deviceId: 'synthetic',
      deviceName: 'Demo',
      origin: 'live',
      startTimeMs: 1.7e12,
      streams: signal.streams,
    });
  return { dataDir, db, signal, session };
}

const lockPath = (dataDir: string, id: number): string => join(dataDir, 'locks', `session-${id}.lock`);

describe('recovery of interrupted sessions', () => {
  it('deletes an import a dead process left half-stored, and leaves alone one a live process is storing', () => {
    const { dataDir, db, signal } = setup();
    // What a killed batched import leaves: its session still `recording`, some chunks, a lock of a dead pid.
    const halfStored = (ownerPid: number): number => {
      const id = createSession(db, {
        patientId: null,
        protocol: 'rest',
        deviceId: 'file:bdf',
        deviceName: 'Imported BDF file',
        origin: 'import',
        startTimeMs: 1.7e12,
        streams: signal.streams,
      });
      const b = signal.next('emg', 500);
      insertChunk(db, {
        sessionId: id,
        streamId: 'emg',
        sampleRateHz: 2000,
        firstSeq: 0,
        data: b.data,
        timestampsMs: b.timestampsMs,
        start: 0,
        count: 500,
      });
      mkdirSync(join(dataDir, 'locks'), { recursive: true });
      writeFileSync(
        lockPath(dataDir, id),
        JSON.stringify({ pid: ownerPid, host: hostname(), sessionId: id, createdAt: '' }),
      );
      return id;
    };
    const dead = halfStored(deadPid());
    const live = halfStored(process.pid);
    const report = recoverInterruptedSessions(db, dataDir);
    expect(report).toMatchObject({ interrupted: [], discardedImports: [dead], live: [live] });
    expect(getSession(db, dead)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_chunks WHERE session_id = ?').get(dead)).toEqual({
      n: 0,
    });
    expect(getSession(db, live)?.status).toBe('recording');
    db.close();
  });

  it('marks a recording without a live owner interrupted at its last chunk, and checks integrity', () => {
    const { dataDir, db, signal, session } = setup();
    const orphan = session();
    const b = signal.next('emg', 1500);
    insertChunk(db, {
      sessionId: orphan,
      streamId: 'emg',
      sampleRateHz: 2000,
      firstSeq: 0,
      data: b.data,
      timestampsMs: b.timestampsMs,
      start: 0,
      count: 1500,
    });
    const empty = session();
    const report = recoverInterruptedSessions(db, dataDir);
    expect(report).toEqual({
      interrupted: [orphan, empty],
      discardedImports: [],
      live: [],
      integrity: ['ok'],
    });
    expect(getSession(db, orphan)).toMatchObject({ status: 'interrupted', endTimeMs: b.timestampsMs[1499] });
    expect(getSession(db, empty)).toMatchObject({ status: 'interrupted', endTimeMs: 1.7e12 });
    expect(recoverInterruptedSessions(db, dataDir).interrupted).toEqual([]);
    db.close();
  });

  it('leaves alone a recording owned by a live process, and takes one whose owner died', () => {
    const { dataDir, db, session } = setup();
    const mine = session();
    claimSession(dataDir, mine);
    expect(JSON.parse(readFileSync(lockPath(dataDir, mine), 'utf8'))).toMatchObject({
      pid: process.pid,
      sessionId: mine,
    });
    claimSession(dataDir, mine);
    const held = session();
    writeFileSync(
      lockPath(dataDir, held),
      JSON.stringify({ pid: process.ppid, host: hostname(), sessionId: held }),
    );
    expect(() => claimSession(dataDir, held)).toThrow(`Session ${held} is locked by process ${process.ppid}`);
    const stale = session();
    writeFileSync(
      lockPath(dataDir, stale),
      JSON.stringify({ pid: deadPid(), host: hostname(), sessionId: stale }),
    );
    claimSession(dataDir, stale);
    const theirs = session();
    writeFileSync(
      lockPath(dataDir, theirs),
      JSON.stringify({ pid: deadPid(), host: hostname(), sessionId: theirs }),
    );
    const report = recoverInterruptedSessions(db, dataDir);
    expect(report.live).toEqual([mine, held, stale]);
    expect(report.interrupted).toEqual([theirs]);
    expect(existsSync(lockPath(dataDir, theirs))).toBe(false);
    expect(existsSync(lockPath(dataDir, mine))).toBe(true);
    expect(getSession(db, mine)?.status).toBe('recording');
    releaseSession(dataDir, mine);
    expect(recoverInterruptedSessions(db, dataDir).interrupted).toEqual([mine]);
    db.close();
  });

  it('trusts a lock from another host, and treats an unreadable lock as no lock', () => {
    const { dataDir, db, session } = setup();
    const remote = session();
    const garbled = session();
    mkdirSync(join(dataDir, 'locks'), { recursive: true });
    writeFileSync(
      lockPath(dataDir, remote),
      JSON.stringify({ pid: 1, host: `not-${hostname()}`, sessionId: remote }),
    );
    writeFileSync(lockPath(dataDir, garbled), '{"pid":');
    expect(recoverInterruptedSessions(db, dataDir)).toMatchObject({ live: [remote], interrupted: [garbled] });
    db.close();
  });
});
