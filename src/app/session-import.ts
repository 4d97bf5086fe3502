import { basename } from 'node:path';
import type { MarkerKind, Session } from '../shared/api/session-api.js';
import type { Recording } from '../shared/recording.js';
import type { Db } from '../storage/database.node.js';
import { insertMarker } from '../storage/markers.node.js';
import { insertChunk } from '../storage/sample-chunks.node.js';
import { createSession, finishSession, getSession, updateSessionQuality } from '../storage/sessions.node.js';

/** Seconds of samples per stored chunk, as the recorder writes them. */
const CHUNK_S = 1;

export interface ImportOptions {
  patientId?: number | null;
  protocol?: string;
  muscle?: string | null;
  side?: 'left' | 'right' | null;
  /** Shown as the session's source file. */
  sourceFile?: string;
}

/** Annotation texts Tonus writes for its own marker kinds (see the BDF+ writer); anything else is a marker. */
function markerKind(text: string): MarkerKind {
  if (/^gap\b/i.test(text)) return 'gap';
  if (/^(baclofen|dose)\b/i.test(text)) return 'dose';
  if (/^(protocol|step)\b/i.test(text)) return 'protocol-step';
  return 'marker';
}

/**
 * Stores a whole recording read from a file as a complete session with origin `import`: samples in ~1 s
 * chunks, annotations as markers. All in one transaction: a failure leaves nothing half-imported.
 */
export function importRecording(db: Db, recording: Recording, options: ImportOptions = {}): Session {
  const startTimeMs = recording.startTimeMs;
  let endTimeMs = startTimeMs;
  const id = db.transaction(() => {
    const sessionId = createSession(db, {
      patientId: options.patientId ?? null,
      protocol: options.protocol ?? recording.meta.protocol ?? 'free',
      muscle: options.muscle ?? null,
      side: options.side ?? null,
      deviceId: `file:${recording.format}`,
      deviceName: `Imported ${recording.format.toUpperCase()} file`,
      origin: 'import',
      sourceFile: options.sourceFile ?? basename(recording.source),
      startTimeMs,
      streams: recording.streams.map((s) => s.descriptor),
    });
    const quality: Record<
      string,
      { nominalHz: number; effectiveHz: number | null; samples: number; droppedSamples: number; gaps: number }
    > = {};
    for (const stream of recording.streams) {
      const fs = stream.descriptor.sampleRateHz;
      const n = stream.data[0]?.length ?? 0;
      const timestampsMs =
        stream.timestampsMs ?? Float64Array.from({ length: n }, (_, i) => startTimeMs + (i * 1000) / fs);
      const chunk = Math.max(1, Math.round(fs * CHUNK_S));
      for (let start = 0; start < n; start += chunk) {
        insertChunk(db, {
          sessionId,
          streamId: stream.descriptor.id,
          sampleRateHz: fs,
          firstSeq: start,
          data: stream.data,
          timestampsMs,
          start,
          count: Math.min(chunk, n - start),
        });
      }
      const last = timestampsMs[n - 1];
      if (last !== undefined) endTimeMs = Math.max(endTimeMs, last + 1000 / fs);
      const spanS = n > 1 ? ((timestampsMs[n - 1] ?? 0) - (timestampsMs[0] ?? 0)) / 1000 : 0;
      quality[stream.descriptor.id] = {
        nominalHz: fs,
        effectiveHz: spanS > 0 ? (n - 1) / spanS : null,
        samples: n,
        droppedSamples: 0,
        gaps: 0,
      };
    }
    for (const a of recording.annotations) {
      insertMarker(db, {
        sessionId,
        timeMs: startTimeMs + a.onsetS * 1000,
        durationMs: a.durationS === undefined ? null : a.durationS * 1000,
        kind: markerKind(a.text),
        text: a.text,
      });
    }
    const gaps = recording.annotations.filter((a) => markerKind(a.text) === 'gap').length;
    updateSessionQuality(db, sessionId, { droppedSamples: 0, gapCount: gaps, quality });
    finishSession(db, sessionId, 'complete', endTimeMs);
    return sessionId;
  })();
  const session = getSession(db, id);
  if (!session) throw new Error(`Imported session ${id} vanished`);
  return session;
}
