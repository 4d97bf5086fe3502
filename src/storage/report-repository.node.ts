/**
 * Reads what the CSV reports export: a session with its patient code and stored dose context, its analyses'
 * events and indicators, and its sample chunks page by page (so an hour of samples is never in memory).
 */
import type { SessionIndicatorRow } from '../shared/analysis.js';
import type { Db } from './database.node.js';
import { NotFoundError } from './dose-repository.node.js';
import { deletedSessionWords, sessionInUse } from './visibility.node.js';

export interface ReportSession {
  id: number;
  patientId: number | null;
  patientCode: string | null;
  protocol: string;
  muscle: string | null;
  side: string | null;
  deviceName: string;
  origin: string;
  startTimeMs: number;
  endTimeMs: number | null;
  status: string;
  droppedSamples: number;
  gapCount: number;
  streamsJson: string;
  /** Stored dose context JSON, if computed. */
  doseContext: Record<string, unknown> | null;
}

export interface ReportEvent {
  analysisId: number;
  algorithmVersion: string;
  kind: string;
  eventIndex: number;
  startS: number;
  endS: number | null;
  values: Record<string, unknown>;
}

export type ReportIndicator = SessionIndicatorRow;

/** One stored chunk: channel-major Float32 samples and the times of its first and last sample. */
export interface ReportChunk {
  firstSeq: number;
  sampleCount: number;
  channelCount: number;
  firstTimeMs: number;
  lastTimeMs: number;
  data: Float32Array;
  /** Per-sample host times (Float64) when the recorder kept them. */
  timestampsMs: Float64Array | null;
}

export class ReportRepository {
  constructor(private readonly db: Db) {}

  session(id: number): ReportSession {
    const r = this.db
      .prepare(
        `SELECT s.*, p.code AS patient_code, c.context_json FROM sessions s
           LEFT JOIN patients p ON p.id = s.patient_id
           LEFT JOIN session_dose_context c ON c.session_id = s.id
          WHERE s.id = ? AND ${sessionInUse('s')}`,
      )
      .get(id) as Record<string, unknown> | undefined;
    if (!r) throw new NotFoundError(`session ${id}`, deletedSessionWords(this.db, id));
    return {
      id: r.id as number,
      patientId: r.patient_id as number | null,
      patientCode: r.patient_code as string | null,
      protocol: r.protocol as string,
      muscle: r.muscle as string | null,
      side: r.side as string | null,
      deviceName: r.device_name as string,
      origin: r.origin as string,
      startTimeMs: r.start_time_ms as number,
      endTimeMs: r.end_time_ms as number | null,
      status: r.status as string,
      droppedSamples: r.dropped_samples as number,
      gapCount: r.gap_count as number,
      streamsJson: r.streams_json as string,
      doseContext:
        r.context_json === null ? null : (JSON.parse(r.context_json as string) as Record<string, unknown>),
    };
  }

  sessionIdsOfPatient(patientId: number): number[] {
    return this.db
      .prepare(
        `SELECT id FROM sessions s WHERE patient_id = ? AND ${sessionInUse('s')} ORDER BY start_time_ms, id`,
      )
      .pluck()
      .all(patientId) as number[];
  }

  /** Events of the session's latest analysis per algorithm version, by kind and index. */
  events(sessionId: number): ReportEvent[] {
    const rows = this.db
      .prepare(
        `SELECT e.analysis_id, a.algorithm_version, e.kind, e.event_index, e.start_s, e.end_s, e.values_json
           FROM analysis_events e JOIN analyses a ON a.id = e.analysis_id
          WHERE a.session_id = ? AND a.id = (SELECT max(id) FROM analyses b WHERE b.session_id = a.session_id AND b.algorithm_version = a.algorithm_version)
          ORDER BY e.kind, a.algorithm_version, e.event_index`,
      )
      .all(sessionId) as {
      analysis_id: number;
      algorithm_version: string;
      kind: string;
      event_index: number;
      start_s: number;
      end_s: number | null;
      values_json: string;
    }[];
    return rows.map((r) => ({
      analysisId: r.analysis_id,
      algorithmVersion: r.algorithm_version,
      kind: r.kind,
      eventIndex: r.event_index,
      startS: r.start_s,
      endS: r.end_s,
      values: JSON.parse(r.values_json) as Record<string, unknown>,
    }));
  }

  indicators(sessionId: number): ReportIndicator[] {
    const rows = this.db
      .prepare('SELECT * FROM session_indicators WHERE session_id = ? ORDER BY muscle, side, indicator_id')
      .all(sessionId) as Record<string, unknown>[];
    return rows.map((r) => ({
      indicatorId: r.indicator_id as string,
      muscle: r.muscle as string | null,
      side: r.side as string | null,
      value: r.value as number,
      unit: r.unit as string,
      n: r.n as number,
      cv: r.cv as number | null,
      algorithmVersion: r.algorithm_version as string,
      protocol: r.protocol as string,
      quality: JSON.parse(r.quality_json as string) as string[],
    }));
  }

  /** Stream ids with chunks in the session, alphabetically. */
  streamIds(sessionId: number): string[] {
    return this.db
      .prepare('SELECT DISTINCT stream_id FROM sample_chunks WHERE session_id = ? ORDER BY stream_id')
      .pluck()
      .all(sessionId) as string[];
  }

  /**
   * Chunks of one stream in sequence order, `pageSize` at a time by keyset paging: no statement stays open
   * between pages, so the connection remains usable while a caller awaits disk writes.
   */
  *chunkPages(sessionId: number, streamId: string, pageSize = 32): Generator<ReportChunk[]> {
    const page = this.db.prepare(
      `SELECT first_seq, sample_count, channel_count, first_time_ms, last_time_ms, data, timestamps FROM sample_chunks
        WHERE session_id = ? AND stream_id = ? AND first_seq > ? ORDER BY first_seq LIMIT ?`,
    );
    let after = -1;
    for (;;) {
      const rows = page.all(sessionId, streamId, after, pageSize) as {
        first_seq: number;
        sample_count: number;
        channel_count: number;
        first_time_ms: number;
        last_time_ms: number;
        data: Buffer;
        timestamps: Buffer | null;
      }[];
      if (rows.length === 0) return;
      after = rows.at(-1)?.first_seq ?? after;
      yield rows.map((r) => ({
        firstSeq: r.first_seq,
        sampleCount: r.sample_count,
        channelCount: r.channel_count,
        firstTimeMs: r.first_time_ms,
        lastTimeMs: r.last_time_ms,
        data:
          r.data.byteOffset % 4 === 0
            ? new Float32Array(r.data.buffer, r.data.byteOffset, r.data.byteLength / 4)
            : new Float32Array(r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength)),
        timestampsMs:
          r.timestamps === null
            ? null
            : new Float64Array(
                r.timestamps.buffer.slice(
                  r.timestamps.byteOffset,
                  r.timestamps.byteOffset + r.timestamps.byteLength,
                ),
              ),
      }));
    }
  }
}
