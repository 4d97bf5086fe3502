import type {
  BodySide,
  ClinicalScores,
  Session,
  SessionEndReason,
  SessionFilter,
  SessionOrigin,
  SessionStatus,
  StreamQuality,
} from '../shared/api/session-api.js';
import type { StreamDescriptor } from '../shared/samples.js';
import type { Db } from './database.node.js';
import { readSessionJson } from './session-row-json.js';
import { isoNow, statement } from './statements.node.js';
import { deletedSessionWords, sessionInUse } from './visibility.node.js';

export interface NewSession {
  patientId: number | null;
  protocol: string;
  muscle?: string | null;
  side?: BodySide | null;
  deviceId: string;
  deviceName: string;
  origin: SessionOrigin;
  sourceFile?: string | null;
  /** ms since the Unix epoch; the recorder moves it to the first sample's time at its first flush. */
  startTimeMs: number;
  streams: readonly StreamDescriptor[];
  clinical?: ClinicalScores | null;
  note?: string | null;
}

/** Quality counters of a session, kept up to date by the recorder at every flush. */
export interface SessionQuality {
  droppedSamples: number;
  gapCount: number;
  quality: Record<string, StreamQuality>;
}

interface SessionRow {
  id: number;
  patient_id: number | null;
  patient_code: string | null;
  protocol: string;
  muscle: string | null;
  side: BodySide | null;
  device_id: string;
  device_name: string;
  origin: SessionOrigin;
  source_file: string | null;
  start_time_ms: number;
  end_time_ms: number | null;
  status: SessionStatus;
  end_reason: SessionEndReason | null;
  end_detail: string | null;
  streams_json: string;
  dropped_samples: number;
  gap_count: number;
  /** Per-stream {@link StreamQuality} (nominal and effective rate, samples, losses), keyed by stream id. */
  effective_rates_json: string | null;
  clinical_json: string | null;
  note: string | null;
  created_at: string;
}

const SELECT =
  'SELECT s.*, p.code AS patient_code FROM sessions s LEFT JOIN patients p ON p.id = s.patient_id';

const toSession = (r: SessionRow): Session => {
  const json = readSessionJson(r);
  return {
    id: r.id,
    patientId: r.patient_id,
    patientCode: r.patient_code,
    protocol: r.protocol,
    muscle: r.muscle,
    side: r.side,
    deviceId: r.device_id,
    deviceName: r.device_name,
    origin: r.origin,
    sourceFile: r.source_file,
    startTimeMs: r.start_time_ms,
    endTimeMs: r.end_time_ms,
    status: r.status,
    endReason: r.end_reason ?? null,
    endDetail: r.end_detail ?? null,
    streams: json.streams,
    droppedSamples: r.dropped_samples,
    gapCount: r.gap_count,
    quality: json.quality,
    clinical: json.clinical,
    note: r.note,
    createdAt: r.created_at,
    problem:
      json.problems.length > 0 ? `This session's stored data is damaged: ${json.problems.join('; ')}.` : null,
  };
};

/** Inserts a session with status `recording`; returns its id. */
export function createSession(db: Db, s: NewSession): number {
  return Number(
    statement(
      db,
      `INSERT INTO sessions (patient_id, protocol, muscle, side, device_id, device_name, origin, source_file,
         start_time_ms, status, streams_json, clinical_json, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'recording', ?, ?, ?, ?)`,
    ).run(
      s.patientId,
      s.protocol,
      s.muscle ?? null,
      s.side ?? null,
      s.deviceId,
      s.deviceName,
      s.origin,
      s.sourceFile ?? null,
      s.startTimeMs,
      JSON.stringify(s.streams),
      s.clinical ? JSON.stringify(s.clinical) : null,
      s.note ?? null,
      isoNow(),
    ).lastInsertRowid,
  );
}

/** Any stored session, deleted or not (for the recorder, recovery and deletion itself). */
export function getSession(db: Db, id: number): Session | undefined {
  const row = statement(db, `${SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  return row && toSession(row);
}

/** Thrown when a session a user asked for does not exist or is deleted; the message says which, in words. */
export class SessionNotFoundError extends Error {
  constructor(
    readonly sessionId: number,
    detail?: string,
  ) {
    super(detail ?? `There is no session ${sessionId}.`);
    this.name = 'SessionNotFoundError';
  }
}

/**
 * The session as a user may see it: throws {@link SessionNotFoundError} when it does not exist, or when it or
 * its patient is deleted (then saying when, and how to undo it).
 */
export function getSessionInUse(db: Db, id: number): Session {
  const row = statement(db, `${SELECT} WHERE s.id = ? AND ${sessionInUse('s')}`).get(id) as
    SessionRow | undefined;
  if (!row) throw new SessionNotFoundError(id, deletedSessionWords(db, id));
  return toSession(row);
}

/** Sessions matching `filter`, newest first; deleted ones (or of a deleted patient) are left out. */
export function listSessions(db: Db, filter: SessionFilter = {}): Session[] {
  const where: string[] = [sessionInUse('s')];
  const args: (number | string)[] = [];
  const add = (clause: string, value: number | string | undefined): void => {
    if (value === undefined) return;
    where.push(clause);
    args.push(value);
  };
  add('s.patient_id = ?', filter.patientId);
  add('s.status = ?', filter.status);
  add('s.origin = ?', filter.origin);
  add('s.start_time_ms >= ?', filter.fromMs);
  add('s.start_time_ms < ?', filter.toMs);
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY s.start_time_ms DESC, s.id DESC LIMIT ?`;
  return (statement(db, sql).all(...args, filter.limit ?? -1) as SessionRow[]).map(toSession);
}

/** Moves the start of a session (the recorder sets it to its first sample's time). */
export function setSessionStart(db: Db, id: number, startTimeMs: number): void {
  statement(db, 'UPDATE sessions SET start_time_ms = ? WHERE id = ?').run(startTimeMs, id);
}

/** Stores the quality counters of a session. */
export function updateSessionQuality(db: Db, id: number, q: SessionQuality): void {
  statement(
    db,
    'UPDATE sessions SET dropped_samples = ?, gap_count = ?, effective_rates_json = ? WHERE id = ?',
  ).run(q.droppedSamples, q.gapCount, JSON.stringify(q.quality), id);
}

/** Why a session ended, stored with its end (see {@link SessionEndReason}). */
export interface SessionEnd {
  reason: SessionEndReason;
  detail?: string | null;
}

/**
 * Ends a session that is still `recording`: sets its status, end time and (live recordings) why it ended.
 * Returns false (and changes nothing) when the session is not recording, so a session is finished at most once.
 */
export function finishSession(
  db: Db,
  id: number,
  status: Exclude<SessionStatus, 'recording'>,
  endTimeMs: number,
  end?: SessionEnd,
): boolean {
  return (
    statement(
      db,
      `UPDATE sessions SET status = ?, end_time_ms = ?, end_reason = ?, end_detail = ?
       WHERE id = ? AND status = 'recording'`,
    ).run(status, endTimeMs, end?.reason ?? null, end?.detail ?? null, id).changes === 1
  );
}

/** Replaces the streams and device name of a session (a live recording takes them from the connected driver). */
export function setSessionStreams(
  db: Db,
  id: number,
  streams: readonly StreamDescriptor[],
  deviceName: string,
): void {
  statement(db, 'UPDATE sessions SET streams_json = ?, device_name = ? WHERE id = ?').run(
    JSON.stringify(streams),
    deviceName,
    id,
  );
}

/** Sets a session's note; blank text (only white space) clears it. Returns false when there is no such session. */
export function setSessionNote(db: Db, id: number, note: string): boolean {
  const text = note.trim();
  return (
    statement(db, 'UPDATE sessions SET note = ? WHERE id = ?').run(text === '' ? null : text, id).changes ===
    1
  );
}

/** Deletes a session and everything it holds (chunks, markers, analyses cascade). */
export function deleteSession(db: Db, id: number): void {
  statement(db, 'DELETE FROM sessions WHERE id = ?').run(id);
}

/** Ids of the sessions whose status is still `recording`. */
export function recordingSessionIds(db: Db): number[] {
  return statement(db, "SELECT id FROM sessions WHERE status = 'recording' ORDER BY id")
    .pluck()
    .all() as number[];
}
