import type { Marker, MarkerKind } from '../shared/api/session-api.js';
import type { Db } from './database.node.js';
import { statement } from './statements.node.js';

export interface NewMarker {
  sessionId: number;
  /** ms since the Unix epoch. */
  timeMs: number;
  durationMs?: number | null;
  kind: MarkerKind;
  text: string;
}

interface MarkerRow {
  id: number;
  session_id: number;
  time_ms: number;
  duration_ms: number | null;
  kind: MarkerKind;
  text: string;
}

const toMarker = (r: MarkerRow): Marker => ({
  id: r.id,
  sessionId: r.session_id,
  timeMs: r.time_ms,
  durationMs: r.duration_ms,
  kind: r.kind,
  text: r.text,
});

const INSERT = 'INSERT INTO markers (session_id, time_ms, duration_ms, kind, text) VALUES (?, ?, ?, ?, ?)';

/** Inserts one marker (callers batching several wrap this in their own transaction). Returns its id. */
export function insertMarker(db: Db, m: NewMarker): number {
  return Number(
    statement(db, INSERT).run(m.sessionId, m.timeMs, m.durationMs ?? null, m.kind, m.text).lastInsertRowid,
  );
}

/** Inserts one marker and returns it as stored. */
export function addMarker(db: Db, m: NewMarker): Marker {
  const id = insertMarker(db, m);
  return toMarker(statement(db, 'SELECT * FROM markers WHERE id = ?').get(id) as MarkerRow);
}

/** The markers of a session in time order (ties in insertion order). */
export function listMarkers(db: Db, sessionId: number): Marker[] {
  return (
    statement(db, 'SELECT * FROM markers WHERE session_id = ? ORDER BY time_ms, id').all(
      sessionId,
    ) as MarkerRow[]
  ).map(toMarker);
}
