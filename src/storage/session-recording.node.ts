import type { Annotation, Recording } from '../shared/recording.js';
import type { Db } from './database.node.js';
import { listMarkers } from './markers.node.js';
import { readStream } from './sample-chunks.node.js';
import { getSession } from './sessions.node.js';

/** Thrown when a session id names no session. */
export class SessionNotFoundError extends Error {
  constructor(readonly sessionId: number) {
    super(`There is no session ${sessionId}.`);
    this.name = 'SessionNotFoundError';
  }
}

/**
 * Rebuilds a stored session as a {@link Recording} (format `tonus-capture`, source `session:<id>`), for export
 * and analysis. Guarantees: every stream's channels have the same length and sample i is at
 * `startTimeMs + i * 1000 / sampleRateHz` (the session start is the first sample's time); samples the
 * device dropped are zeros and each gap is an annotation (from its `gap` marker); markers of every kind
 * become annotations in time order, with onsets relative to the start. Meta holds the session's facts
 * (patient code, protocol, muscle, side, device, status, quality counters). Throws
 * {@link SessionNotFoundError}, or a RangeError naming the chunk when stored data is damaged.
 */
export function readSessionRecording(db: Db, sessionId: number): Recording {
  const session = getSession(db, sessionId);
  if (!session) throw new SessionNotFoundError(sessionId);
  const streams = session.streams.map((descriptor) => {
    const stored = readStream(db, sessionId, descriptor);
    return { descriptor, data: stored.data };
  });
  const annotations: Annotation[] = listMarkers(db, sessionId).map((m) => ({
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
