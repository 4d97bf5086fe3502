import type { Annotation, Recording } from '../shared/recording.js';
import { sampleRuns } from '../shared/recording.js';
import type {
  BodySide,
  ClinicalScores,
  MarkerKind,
  SessionOrigin,
  StreamQuality,
} from '../shared/api/session-api.js';
import { parseDoseText } from '../shared/session-fact-texts.js';
import { PAUSE_MARKER_PREFIX } from '../shared/api/session-api.js';
import type { Db } from './database.node.js';
import { insertMarker, listMarkers } from './markers.node.js';
import { insertChunk, insertRegularChunk, readStream } from './sample-chunks.node.js';
import {
  createSession,
  deleteSession,
  finishSession,
  getSessionInUse,
  SessionNotFoundError,
  updateSessionQuality,
} from './sessions.node.js';

/** Thrown when a session id names no session, or a deleted one. */
export { SessionNotFoundError };

/** Indices `[0, n)` outside the `[firstSeq, endSeq)` ranges. */
function keptIndices(n: number, cuts: readonly { firstSeq: number; endSeq: number }[]): number[] {
  const out: number[] = [];
  let c = 0;
  for (let i = 0; i < n; i++) {
    while (c < cuts.length && (cuts[c]?.endSeq ?? 0) <= i) c++;
    const cut = cuts[c];
    if (cut && i >= cut.firstSeq && i < cut.endSeq) continue;
    out.push(i);
  }
  return out;
}

/**
 * Rebuilds a stored session as a {@link Recording} (format `tonus-capture`, source `session:<id>`), for export
 * and analysis. Guarantees: every stream's channels have the same length and sample i is at
 * `startTimeMs + i * 1000 / sampleRateHz` (the session start is the first sample's time; a recording that
 * joined a running stream may have its streams start up to one device block apart); samples the
 * device dropped are zeros and each gap is an annotation (from its `gap` marker); markers of every kind
 * become annotations in time order, with onsets relative to the start. Meta holds the session's facts
 * (patient code, protocol, muscle, side, device, status, quality counters). With `cutPauses` (for files), the
 * samples never stored because the recording was paused are left out instead of zero-filled, and every
 * stream then carries its `timestampsMs`, so writers see the pause as a jump in time (filler under the pause annotation in EDF+); holes of
 * lost samples stay zero-filled either way. Throws {@link SessionNotFoundError}, or a RangeError naming the
 * chunk when stored data is damaged.
 */
export function readSessionRecording(
  db: Db,
  sessionId: number,
  options: { cutPauses?: boolean } = {},
): Recording {
  const session = getSessionInUse(db, sessionId);
  const markers = listMarkers(db, sessionId);
  const pauses = options.cutPauses
    ? markers
        .filter((m) => m.kind === 'pause')
        .map((m) => ({ fromMs: m.timeMs, toMs: m.timeMs + (m.durationMs ?? 0) }))
    : [];
  const stored = session.streams.map((descriptor) => readStream(db, sessionId, descriptor));
  const cuts = stored.map((s) =>
    s.missing.filter(({ firstSeq, endSeq }) =>
      pauses.some(
        (p) =>
          (s.timestampsMs[firstSeq] ?? Infinity) < p.toMs &&
          (s.timestampsMs[endSeq - 1] ?? -Infinity) >= p.fromMs,
      ),
    ),
  );
  const isCut = cuts.some((c) => c.length > 0);
  const streams = stored.map((s, i) => {
    if (!isCut) return { descriptor: s.descriptor, data: s.data };
    const keep = keptIndices(s.timestampsMs.length, cuts[i] ?? []);
    return {
      descriptor: s.descriptor,
      data: s.data.map((ch) => Float32Array.from(keep, (k) => ch[k] ?? 0)),
      timestampsMs: Float64Array.from(keep, (k) => s.timestampsMs[k] ?? 0),
    };
  });
  const annotations: Annotation[] = markers.map((m) => ({
    onsetS: (m.timeMs - session.startTimeMs) / 1000,
    ...(m.durationMs === null ? {} : { durationS: m.durationMs / 1000 }),
    text: m.text,
  }));
  const meta: Record<string, string> = {
    sessionId: String(session.id),
    protocol: session.protocol,
    device: session.deviceName,
    deviceId: session.deviceId,
    status: session.status,
    droppedSamples: String(session.droppedSamples),
    gapCount: String(session.gapCount),
  };
  if (session.patientCode !== null) meta.patientCode = session.patientCode;
  if (session.muscle !== null) meta.muscle = session.muscle;
  if (session.side !== null) meta.side = session.side;
  if (session.endTimeMs !== null) meta.endTimeMs = String(session.endTimeMs);
  return {
    format: 'tonus-capture',
    source: `session:${session.id}`,
    startTimeMs: session.startTimeMs,
    streams,
    annotations,
    meta,
  };
}

export interface StoreRecordingOptions {
  patientId: number | null;
  protocol: string;
  muscle?: string | null;
  side?: BodySide | null;
  /** Clinician scores the file states. */
  clinical?: ClinicalScores;
  /** Defaults to `file`. */
  deviceId?: string;
  /** Defaults to the recording's `meta.device`, else its format. */
  deviceName?: string;
  origin: Exclude<SessionOrigin, 'live'>;
  sourceFile?: string | null;
  /** Longest chunk written, s (default 1). */
  chunkS?: number;
  /** Called after each chunk with the fraction of all samples stored so far (0..1, never decreasing). */
  onProgress?: (fraction: number) => void;
  /**
   * Commit after at most this many chunks instead of once at the end, so that a long import never holds the
   * database's write lock for long (a live recording flushes meanwhile). The session then exists with status
   * `recording` until its last write; on any error it is deleted with all it holds before the error is thrown.
   */
  transactionChunks?: number;
  /** Runs inside the transaction that creates the session, when `transactionChunks` is set (claim a lock). */
  onSessionCreated?: (sessionId: number) => void;
}

/**
 * Stores a whole {@link Recording} (read from a file, or replayed) as a new `complete` session: either the
 * session with all its chunks and markers exists afterwards, or nothing does (one transaction, or several
 * with the session deleted on failure: see `transactionChunks`).
 * Samples go in chunks of at most `chunkS` seconds on each stream's nominal grid from `startTimeMs`; a file
 * with breaks in its sample times (EDF+D, a skipped counter) keeps its times and each run of samples goes at
 * the sequence number its time gives, so the break reads back zero-filled and counts as missing samples, with a
 * `gap` marker unless an annotation already covers it. Annotations become markers (kind `gap` when the text starts with "Gap", `pause` when it starts with
 * {@link PAUSE_MARKER_PREFIX} as Tonus exports write them, `dose` for a dose text such as `Dose: Baclofen 10
 * mg PO`, else `marker`). Throws a
 * RangeError naming the recording's source and the stream when a stream's channels disagree with its
 * descriptor or with each other. Returns the session id.
 */
export function storeRecording(db: Db, rec: Recording, o: StoreRecordingOptions): number {
  for (const s of rec.streams) {
    const where = `${rec.source}, stream ${s.descriptor.id}`;
    if (s.data.length !== s.descriptor.channels.length)
      throw new RangeError(
        `${where}: ${s.data.length} channels of samples, descriptor has ${s.descriptor.channels.length}.`,
      );
    const n = s.data[0]?.length ?? 0;
    const bad = s.data.findIndex((ch) => ch.length !== n);
    if (bad >= 0)
      throw new RangeError(
        `${where}: channel ${bad} has ${s.data[bad]?.length} samples, channel 0 has ${n}.`,
      );
  }
  const create = (): number =>
    createSession(db, {
      patientId: o.patientId,
      protocol: o.protocol,
      muscle: o.muscle ?? null,
      side: o.side ?? null,
      ...(o.clinical === undefined ? {} : { clinical: o.clinical }),
      deviceId: o.deviceId ?? 'file',
      deviceName: o.deviceName ?? rec.meta.device ?? rec.format,
      origin: o.origin,
      sourceFile: o.sourceFile ?? null,
      startTimeMs: rec.startTimeMs,
      streams: rec.streams.map((s) => s.descriptor),
    });
  const batch = o.transactionChunks;
  if (batch === undefined) {
    return db
      .transaction(() => {
        const sessionId = create();
        const { chunks, finish } = writesOf(db, rec, sessionId, o);
        for (const write of chunks) write();
        finish();
        return sessionId;
      })
      .immediate();
  }
  const sessionId = db
    .transaction(() => {
      const id = create();
      o.onSessionCreated?.(id);
      return id;
    })
    .immediate();
  try {
    const { chunks, finish } = writesOf(db, rec, sessionId, o);
    for (let i = 0; i < chunks.length; i += batch)
      db.transaction(() => {
        for (const write of chunks.slice(i, i + batch)) write();
      }).immediate();
    db.transaction(finish).immediate();
  } catch (err) {
    deleteSession(db, sessionId);
    throw err;
  }
  return sessionId;
}

/** The writes that store `rec` into session `sessionId`: one per chunk, then the closing one. */
function writesOf(
  db: Db,
  rec: Recording,
  sessionId: number,
  o: StoreRecordingOptions,
): { chunks: (() => void)[]; finish: () => void } {
  const chunks: (() => void)[] = [];
  let endTimeMs = rec.startTimeMs;
  const totalSamples = rec.streams.reduce((sum, s) => sum + (s.data[0]?.length ?? 0), 0);
  let storedSamples = 0;
  const quality: Record<string, StreamQuality> = {};
  /** Breaks in the files' sample times (ms since epoch), first stream that has each. */
  const breaks: { fromMs: number; toMs: number; missing: number; streamId: string }[] = [];
  for (const { descriptor, data, timestampsMs } of rec.streams) {
    const n = data[0]?.length ?? 0;
    const rateHz = descriptor.sampleRateHz;
    const periodMs = 1000 / rateHz;
    const step = Math.max(1, Math.round(rateHz * (o.chunkS ?? 1)));
    let missing = 0;
    // Runs of consecutive samples. A file with breaks (EDF+D, a counter that skipped) keeps its own sample
    // times, and each run goes at the sequence number its first time gives on the nominal grid: a break
    // becomes a sequence gap, read back zero-filled, so sample i stays at start + i / rate as for recordings.
    const runs = sampleRuns(n, rateHz, rec.startTimeMs, timestampsMs);
    runs.forEach((run, k) => {
      const before = runs[k - 1];
      const skipped = before ? run.seq - before.seq - before.count : 0;
      if (!before || skipped <= 0 || !timestampsMs) return;
      missing += skipped;
      const fromMs = (timestampsMs[run.index - 1] ?? 0) + periodMs;
      const toMs = timestampsMs[run.index] ?? 0;
      if (!breaks.some((x) => x.fromMs < toMs && x.toMs > fromMs))
        breaks.push({ fromMs, toMs, missing: skipped, streamId: descriptor.id });
    });
    for (const run of runs)
      for (let offset = 0; offset < run.count; offset += step) {
        const start = run.index + offset;
        const count = Math.min(step, run.count - offset);
        const firstSeq = run.seq + offset;
        chunks.push(() => {
          if (timestampsMs)
            insertChunk(db, {
              sessionId,
              streamId: descriptor.id,
              sampleRateHz: rateHz,
              firstSeq,
              data,
              timestampsMs,
              start,
              count,
            });
          else
            insertRegularChunk(db, {
              sessionId,
              streamId: descriptor.id,
              sampleRateHz: rateHz,
              firstSeq,
              firstTimeMs: rec.startTimeMs + (start * 1000) / rateHz,
              data,
              start,
              count,
            });
          storedSamples += count;
          o.onProgress?.(storedSamples / totalSamples);
        });
      }
    const lastMs = timestampsMs?.[n - 1] ?? rec.startTimeMs + ((n - 1) * 1000) / rateHz;
    if (n > 0) endTimeMs = Math.max(endTimeMs, lastMs);
    quality[descriptor.id] = {
      nominalHz: rateHz,
      effectiveHz: n > 1 ? rateHz : null,
      samples: n,
      droppedSamples: missing,
      gaps: runs.length - 1,
    };
  }
  const finish = (): void => {
    const kindOf = (text: string): MarkerKind =>
      /^gap\b/i.test(text)
        ? 'gap'
        : text.startsWith(PAUSE_MARKER_PREFIX)
          ? 'pause'
          : parseDoseText(text) !== undefined
            ? 'dose'
            : 'marker';
    const annotated = rec.annotations
      .filter((a) => kindOf(a.text) !== 'marker')
      .map((a) => ({
        fromMs: rec.startTimeMs + a.onsetS * 1000,
        toMs: rec.startTimeMs + (a.onsetS + (a.durationS ?? 0)) * 1000,
      }));
    const unexplained = breaks.filter(
      (b) => !annotated.some((a) => a.fromMs <= b.toMs + 1 && a.toMs >= b.fromMs - 1),
    );
    const markers = [
      ...rec.annotations.map((a) => ({
        timeMs: rec.startTimeMs + a.onsetS * 1000,
        durationMs: a.durationS === undefined ? null : a.durationS * 1000,
        kind: kindOf(a.text),
        text: a.text,
      })),
      ...unexplained.map((b) => ({
        timeMs: b.fromMs,
        durationMs: b.toMs - b.fromMs,
        kind: 'gap' as const,
        text: `Gap: ${b.missing} ${b.streamId} samples missing in the file (${((b.toMs - b.fromMs) / 1000).toFixed(3)} s)`,
      })),
    ].sort((x, y) => x.timeMs - y.timeMs);
    for (const m of markers) insertMarker(db, { sessionId, ...m });
    const droppedSamples = Object.values(quality).reduce((n, q) => n + q.droppedSamples, 0);
    const gapCount = markers.filter((m) => m.kind === 'gap').length;
    updateSessionQuality(db, sessionId, { droppedSamples, gapCount, quality });
    finishSession(db, sessionId, 'complete', endTimeMs);
  };
  return { chunks, finish };
}
