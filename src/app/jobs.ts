import { dirname } from 'node:path';
import type { BodySide } from '../shared/api/session-api.js';
import type { JobKind } from '../shared/api/job-api.js';
import type { RecordingFormat } from '../shared/recording.js';
import { ApiFailure } from '../shared/result.js';
import type { Annotation } from '../shared/recording.js';
import { parseDoseText, takeSessionFacts } from '../shared/session-fact-texts.js';
import { encodeRecording } from '../io/edf/edf-encoder.js';
import { writeChunksAtomically } from '../io/atomic-file.node.js';
import { readRecordingFile } from '../io/read-recording.node.js';
import { RecordingFormatError } from '../io/recording-format-error.js';
import type { Db } from '../storage/database.node.js';
import { ensurePatient, findPatientByCode } from '../storage/patients.node.js';
import { sessionFactAnnotations } from '../storage/session-facts.node.js';
import {
  readSessionRecording,
  SessionNotFoundError,
  storeRecording,
} from '../storage/session-recording.node.js';
import { analyzeAndStoreSession } from './session-analyzer.js';
import { claimSession, releaseSession } from './session-lock.js';

/** Analyse a stored session and keep the result (see `analyzeAndStoreSession`). */
export interface AnalysisJob {
  kind: 'analysis';
  sessionId: number;
}

/** Read a recording file whole and store it as a new `complete` session with origin `import`. */
export interface ImportJob {
  kind: 'import';
  path: string;
  /** Read as this format instead of detecting it. */
  format?: RecordingFormat;
  boardId?: number;
  patientId: number | null;
  /** Defaults to the file's own protocol (its `Protocol:` annotation), else `free`. */
  protocol?: string;
  muscle: string | null;
  side: BodySide | null;
}

/** Write a stored session as one BDF+/EDF+ file at `path`. */
export interface ExportJob {
  kind: 'export';
  sessionId: number;
  format: 'bdf' | 'edf';
  path: string;
}

/** Everything a job runner can run; plain data, so it can be posted to a worker thread. */
export type JobRequest = AnalysisJob | ImportJob | ExportJob;

/** What each kind of job answers. */
export interface JobResults {
  analysis: { sessionId: number };
  import: { sessionId: number };
  export: { files: string[] };
}
export type JobResultOf<J extends JobRequest> = JobResults[J['kind']];

/** Hears how far a job is: `fraction` 0..1, never decreasing; `stage` is short text for people. */
export type ProgressListener = (fraction: number, stage: string) => void;

/** Smallest rise of the fraction worth telling (stage changes and the final 1 are always told). */
const PROGRESS_STEP = 0.01;

/**
 * Wraps `listener` so it hears a fraction that never decreases, at most about one call per percent, every
 * change of stage, and 1 exactly once at the end.
 */
export function throttledProgress(listener: ProgressListener): ProgressListener {
  let last = -1;
  let lastStage = '';
  return (fraction, stage) => {
    const f = Math.min(1, Math.max(last, fraction, 0));
    if (stage === lastStage && f < 1 && f - last < PROGRESS_STEP) return;
    if (stage === lastStage && f === 1 && last === 1) return;
    last = f;
    lastStage = stage;
    listener(f, stage);
  };
}

/**
 * Runs `job` on `db` from start to end, on whatever thread calls it (the worker entry calls it on its own
 * connection); an analysis spreads a long recording's EMG channels over a warm pool of worker threads (the main thread's, for a job worker). Progress ends with fraction 1 when the job succeeds. Errors keep the meaning the
 * API gives them: a malformed file is an `ApiFailure('invalid-input', <file: problem (at place)>, 'path')`
 * with nothing stored; an unknown session to export is `ApiFailure('not-found', …, 'sessionId')`. An export
 * that fails leaves no partial file behind.
 */
export async function runJob<J extends JobRequest>(
  db: Db,
  job: J,
  onProgress: ProgressListener = () => undefined,
): Promise<JobResultOf<J>> {
  const progress = throttledProgress(onProgress);
  try {
    return (await runKnownJob(db, job, progress)) as JobResultOf<J>;
  } catch (err) {
    if (err instanceof RecordingFormatError) throw new ApiFailure('invalid-input', err.message, 'path');
    if (err instanceof SessionNotFoundError) throw new ApiFailure('not-found', err.message, 'sessionId');
    throw err;
  }
}

async function runKnownJob(
  db: Db,
  job: JobRequest,
  progress: ProgressListener,
): Promise<JobResults[JobKind]> {
  switch (job.kind) {
    case 'analysis':
      await analyzeAndStoreSession(db, job.sessionId, progress);
      progress(1, 'Done');
      return { sessionId: job.sessionId };
    case 'import':
      return { sessionId: importFile(db, job, progress) };
    case 'export':
      exportFile(db, job, progress);
      return { files: [job.path] };
  }
}

/** Chunks written per transaction by an import (≈ 0.15 ms each: a few ms of write lock at a time). */
export const IMPORT_TRANSACTION_CHUNKS = 32;

function importFile(db: Db, job: ImportJob, progress: ProgressListener): number {
  progress(0, 'Reading file');
  const recording = readRecordingFile(job.path, {
    ...(job.format === undefined ? {} : { format: job.format }),
    ...(job.boardId === undefined ? {} : { boardId: job.boardId }),
  });
  const { facts, rest } = takeSessionFacts(recording.annotations);
  const patientId = filePatient(db, recording.meta.patientCode, rest, job.patientId);
  progress(0.3, 'Storing samples');
  // In a data folder: commit every IMPORT_TRANSACTION_CHUNKS chunks under a session lock (recovery leaves a
  // locked import alone), so a live recording's flushes on the main thread never wait long for the write lock.
  const dataDir = db.memory ? undefined : dirname(db.name);
  let claimed: number | undefined;
  let sessionId: number;
  try {
    sessionId = storeRecording(
      db,
      { ...recording, annotations: rest },
      {
        patientId,
        protocol: job.protocol ?? facts.protocol ?? recording.meta.protocol ?? 'free',
        muscle: job.muscle ?? facts.muscle ?? null,
        side: job.side ?? facts.side ?? null,
        ...(facts.clinical === undefined ? {} : { clinical: facts.clinical }),
        deviceId: `file:${recording.format}`,
        deviceName: `Imported ${recording.format.toUpperCase()} file`,
        origin: 'import',
        sourceFile: job.path,
        onProgress: (f) => progress(0.3 + 0.7 * f, 'Storing samples'),
        ...(dataDir === undefined
          ? {}
          : {
              transactionChunks: IMPORT_TRANSACTION_CHUNKS,
              onSessionCreated: (id: number) => {
                claimSession(dataDir, id);
                claimed = id;
              },
            }),
      },
    );
  } finally {
    if (dataDir !== undefined && claimed !== undefined) releaseSession(dataDir, claimed);
  }
  progress(1, 'Done');
  return sessionId;
}

/**
 * The patient an imported file's session belongs to. Without a chosen patient: the one the file names (its
 * EDF+ patient code), created when the file holds doses (they belong to that patient), else only when it
 * exists. A chosen patient wins, except that a file holding doses of another named patient is refused, so
 * that its doses can never enter the wrong dose log.
 */
function filePatient(
  db: Db,
  code: string | undefined,
  annotations: readonly Annotation[],
  chosen: number | null,
): number | null {
  if (code === undefined) return chosen;
  const hasDoses = annotations.some((a) => parseDoseText(a.text) !== undefined);
  const named = findPatientByCode(db, code);
  if (chosen === null) return (hasDoses ? ensurePatient(db, code) : named)?.id ?? null;
  if (hasDoses && named?.id !== chosen)
    throw new ApiFailure(
      'invalid-input',
      `The file holds doses of patient ${code}; import it for that patient so that its doses stay theirs.`,
      'patientId',
    );
  return chosen;
}

function exportFile(db: Db, job: ExportJob, progress: ProgressListener): void {
  progress(0, 'Reading samples');
  // Paused spans become filler in a continuous file, labelled by their own `Recording paused` marker.
  const stored = readSessionRecording(db, job.sessionId, { cutPauses: true });
  const recording = {
    ...stored,
    annotations: [...sessionFactAnnotations(db, job.sessionId, stored.annotations), ...stored.annotations],
  };
  const encoding = `Encoding ${job.format.toUpperCase()}`;
  progress(0.1, encoding);
  // Gaps in a stored session are all labelled by its own markers (pauses, device losses).
  const chunks = encodeRecording(recording, job.format, {
    annotateGaps: false,
    onFraction: (f) => progress(0.1 + 0.8 * f, encoding),
  });
  progress(0.9, 'Writing file');
  // Atomic: a killed export leaves the earlier file at this path, or none.
  writeChunksAtomically(job.path, chunks, (i) =>
    progress(0.9 + (0.1 * (i + 1)) / chunks.length, 'Writing file'),
  );
  progress(1, 'Done');
}
