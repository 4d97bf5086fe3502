import type { Db } from './database.node.js';
import { isoNow, statement } from './statements.node.js';

/** One detected event of an analysis (a stretch, a pendulum drop, a clonus episode, an onset). */
export interface AnalysisEvent {
  kind: string;
  /** 0-based index among the events of the same kind. */
  index: number;
  /** Seconds since the session start. */
  startS: number;
  endS: number | null;
  values: Record<string, unknown>;
}

/** The result of running an analysis algorithm over a session. */
export interface Analysis {
  algorithmVersion: string;
  params: Record<string, unknown>;
  summary: Record<string, unknown>;
  events: AnalysisEvent[];
}

export interface StoredAnalysis extends Analysis {
  id: number;
  sessionId: number;
  createdAt: string;
}

interface AnalysisRow {
  id: number;
  session_id: number;
  algorithm_version: string;
  params_json: string;
  summary_json: string;
  created_at: string;
}

interface EventRow {
  kind: string;
  event_index: number;
  start_s: number;
  end_s: number | null;
  values_json: string;
}

/**
 * Saves an analysis with all its events in one transaction: either all rows exist or none. Throws on two
 * events with the same kind and index. Returns the analysis id.
 */
export function saveAnalysis(db: Db, sessionId: number, a: Analysis): number {
  return db
    .transaction(() => {
      const id = Number(
        statement(
          db,
          'INSERT INTO analyses (session_id, algorithm_version, params_json, summary_json, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(sessionId, a.algorithmVersion, JSON.stringify(a.params), JSON.stringify(a.summary), isoNow())
          .lastInsertRowid,
      );
      const insert = statement(
        db,
        'INSERT INTO analysis_events (analysis_id, kind, event_index, start_s, end_s, values_json) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const e of a.events) insert.run(id, e.kind, e.index, e.startS, e.endS, JSON.stringify(e.values));
      return id;
    })
    .immediate();
}

function withEvents(db: Db, r: AnalysisRow): StoredAnalysis {
  const events = (
    statement(
      db,
      'SELECT kind, event_index, start_s, end_s, values_json FROM analysis_events WHERE analysis_id = ? ORDER BY start_s, kind, event_index',
    ).all(r.id) as EventRow[]
  ).map((e) => ({
    kind: e.kind,
    index: e.event_index,
    startS: e.start_s,
    endS: e.end_s,
    values: JSON.parse(e.values_json) as Record<string, unknown>,
  }));
  return {
    id: r.id,
    sessionId: r.session_id,
    createdAt: r.created_at,
    algorithmVersion: r.algorithm_version,
    params: JSON.parse(r.params_json) as Record<string, unknown>,
    summary: JSON.parse(r.summary_json) as Record<string, unknown>,
    events,
  };
}

/** Every analysis of a session with its events (ordered by start time), oldest first. */
export function listAnalyses(db: Db, sessionId: number): StoredAnalysis[] {
  const rows = statement(db, 'SELECT * FROM analyses WHERE session_id = ? ORDER BY created_at, id').all(
    sessionId,
  ) as AnalysisRow[];
  return rows.map((r) => withEvents(db, r));
}

/** The most recently saved analysis of a session, or undefined. */
export function latestAnalysis(db: Db, sessionId: number): StoredAnalysis | undefined {
  const row = statement(
    db,
    'SELECT * FROM analyses WHERE session_id = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  ).get(sessionId) as AnalysisRow | undefined;
  return row && withEvents(db, row);
}
