/**
 * Trend queries over `session_indicators` joined with each session's stored dose context. One indexed
 * range scan per query (index `session_indicators_trend`); no JSON is parsed per row.
 */
import type { Db } from './database.node.js';
import { patientInUse, sessionIdInUse, sessionInUse } from './visibility.node.js';

/** One session's value of one indicator, with what the trend views colour and group by. */
export interface TrendPoint {
  sessionId: number;
  startTimeMs: number;
  value: number;
  unit: string;
  n: number;
  cv: number | null;
  algorithmVersion: string;
  protocol: string;
  muscle: string | null;
  side: 'left' | 'right' | null;
  quality: string[];
  /** From the session's dose context; `unknown` when none is stored yet. */
  phase: string;
  route: string;
  hoursSinceDose: number | null;
  cRel: number | null;
  dailyDoseMg: number | null;
  dailyDoseMgPerKg: number | null;
  itbDailyUg: number | null;
}

export interface TrendFilter {
  muscle?: string;
  side?: 'left' | 'right';
  fromMs?: number;
  toMs?: number;
}

/** One indicator value to store (what the lead's analysis merge writes). */
export interface SessionIndicatorInput {
  sessionId: number;
  indicatorId: string;
  value: number;
  unit: string;
  n: number;
  cv?: number;
  quality?: string[];
  algorithmVersion: string;
  muscle?: string;
  side?: 'left' | 'right';
  protocol: string;
}

export class TrendRepository {
  private readonly seriesStatement;

  constructor(private readonly db: Db) {
    this.seriesStatement = db.prepare(
      `SELECT i.session_id, i.start_time_ms, i.value, i.unit, i.n, i.cv, i.algorithm_version, i.protocol, i.muscle, i.side,
                i.quality_json, c.phase, c.route, c.hours_since_dose, c.c_rel, c.daily_dose_mg, c.daily_dose_mg_per_kg,
                c.itb_daily_ug
           FROM session_indicators i LEFT JOIN session_dose_context c ON c.session_id = i.session_id
          WHERE i.patient_id = ? AND i.indicator_id = ? AND i.start_time_ms >= ? AND i.start_time_ms <= ?
            AND ${sessionIdInUse('i.session_id')}
            AND (? IS NULL OR i.muscle = ?) AND (? IS NULL OR i.side = ?)
          ORDER BY i.muscle, i.side, i.start_time_ms`,
    );
  }

  /**
   * Writes indicator values (replacing a session's earlier value of the same indicator, muscle and side) in
   * one transaction. Patient and start time are copied from the session so trend queries need no join.
   */
  putIndicators(values: readonly SessionIndicatorInput[]): void {
    const session = this.db.prepare('SELECT patient_id, start_time_ms FROM sessions WHERE id = ?');
    const del = this.db.prepare(
      'DELETE FROM session_indicators WHERE session_id = ? AND indicator_id = ? AND muscle IS ? AND side IS ?',
    );
    const ins = this.db.prepare(
      `INSERT INTO session_indicators (session_id, patient_id, start_time_ms, indicator_id, value, unit, n, cv, quality_json,
         algorithm_version, muscle, side, protocol) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db
      .transaction(() => {
        for (const v of values) {
          const s = session.get(v.sessionId) as
            { patient_id: number | null; start_time_ms: number } | undefined;
          if (!s) throw new Error(`session ${v.sessionId} does not exist`);
          if (s.patient_id === null)
            throw new Error(`session ${v.sessionId} has no patient; trends need one`);
          del.run(v.sessionId, v.indicatorId, v.muscle ?? null, v.side ?? null);
          ins.run(
            v.sessionId,
            s.patient_id,
            s.start_time_ms,
            v.indicatorId,
            v.value,
            v.unit,
            v.n,
            v.cv ?? null,
            JSON.stringify(v.quality ?? []),
            v.algorithmVersion,
            v.muscle ?? null,
            v.side ?? null,
            v.protocol,
          );
        }
      })
      .immediate();
  }

  /** Indicator ids with at least one value for the patient, alphabetically. */
  indicatorIds(patientId: number): string[] {
    return this.db
      .prepare(
        `SELECT DISTINCT indicator_id FROM session_indicators i
          WHERE patient_id = ? AND ${sessionIdInUse('i.session_id')} ORDER BY indicator_id`,
      )
      .pluck()
      .all(patientId) as string[];
  }

  /**
   * Per indicator id (alphabetical), the muscle and side pairs it has values for (ordered by muscle, then
   * side, nulls first), with the number of values and the latest session start. One grouped query.
   */
  indicatorPlaces(patientId: number): {
    indicator: string;
    places: { muscle: string | null; side: 'left' | 'right' | null; n: number; lastStartTimeMs: number }[];
  }[] {
    const rows = this.db
      .prepare(
        `SELECT indicator_id, muscle, side, COUNT(*), MAX(start_time_ms) FROM session_indicators i
          WHERE patient_id = ? AND ${sessionIdInUse('i.session_id')}
          GROUP BY indicator_id, muscle, side ORDER BY indicator_id, muscle, side`,
      )
      .raw()
      .all(patientId) as [string, string | null, 'left' | 'right' | null, number, number][];
    const out: ReturnType<TrendRepository['indicatorPlaces']> = [];
    for (const [indicator, muscle, side, n, lastStartTimeMs] of rows) {
      let entry = out.at(-1);
      if (entry?.indicator !== indicator) {
        entry = { indicator, places: [] };
        out.push(entry);
      }
      entry.places.push({ muscle, side, n, lastStartTimeMs });
    }
    return out;
  }

  /** Every patient (by code) with the start of their latest session, or null without sessions. One query. */
  patientsWithLastSession(): { patientId: number; code: string; lastSessionTimeMs: number | null }[] {
    return (
      this.db
        .prepare(
          `SELECT p.id, p.code,
                  (SELECT MAX(s.start_time_ms) FROM sessions s WHERE s.patient_id = p.id AND ${sessionInUse('s')})
             FROM patients p WHERE ${patientInUse('p')} ORDER BY p.code`,
        )
        .raw()
        .all() as [number, string, number | null][]
    ).map(([patientId, code, lastSessionTimeMs]) => ({ patientId, code, lastSessionTimeMs }));
  }

  /**
   * Every value of `indicatorId` for the patient, ordered by muscle, side and session start. Values computed
   * with different algorithm versions or protocols are all returned; callers must keep them on separate lines.
   */
  series(patientId: number, indicatorId: string, filter: TrendFilter = {}): TrendPoint[] {
    const rows = this.seriesStatement
      .raw()
      .all(
        patientId,
        indicatorId,
        filter.fromMs ?? -Infinity,
        filter.toMs ?? Infinity,
        filter.muscle ?? null,
        filter.muscle ?? null,
        filter.side ?? null,
        filter.side ?? null,
      ) as unknown[][];
    return rows.map((r) => ({
      sessionId: r[0] as number,
      startTimeMs: r[1] as number,
      value: r[2] as number,
      unit: r[3] as string,
      n: r[4] as number,
      cv: r[5] as number | null,
      algorithmVersion: r[6] as string,
      protocol: r[7] as string,
      muscle: r[8] as string | null,
      side: r[9] as 'left' | 'right' | null,
      quality: r[10] === '[]' ? [] : (JSON.parse(r[10] as string) as string[]),
      phase: (r[11] as string | null) ?? 'unknown',
      route: (r[12] as string | null) ?? 'none',
      hoursSinceDose: r[13] as number | null,
      cRel: r[14] as number | null,
      dailyDoseMg: r[15] as number | null,
      dailyDoseMgPerKg: r[16] as number | null,
      itbDailyUg: r[17] as number | null,
    }));
  }
}
