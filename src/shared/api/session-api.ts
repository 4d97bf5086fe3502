import { z } from 'zod';
import { StreamDescriptorSchema } from '../schemas.js';

export const SessionStatusSchema = z.enum(['recording', 'complete', 'interrupted']);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/**
 * Why a live recording ended. `user`: stopped by the user; `duration`: its set time ran out; `device-lost`: the
 * device went away and did not come back; `no-data`: nothing was stored (a recording that stores nothing is
 * never `complete`); `shutdown`: the app closed while recording; `crash`: the process died, found at the next
 * start.
 */
export const SessionEndReasonSchema = z.enum([
  'user',
  'duration',
  'device-lost',
  'no-data',
  'shutdown',
  'crash',
]);
export type SessionEndReason = z.infer<typeof SessionEndReasonSchema>;

export const SessionOriginSchema = z.enum(['live', 'import', 'replay']);
export type SessionOrigin = z.infer<typeof SessionOriginSchema>;

export const BodySideSchema = z.enum(['left', 'right']);
export type BodySide = z.infer<typeof BodySideSchema>;

/**
 * `gap`: samples lost (dropped by the device, or the device gone). `pause`: the user paused the recording;
 * nothing was stored over its span on purpose (a deliberate discontinuity, not counted as dropped samples).
 */
export const MarkerKindSchema = z.enum(['marker', 'protocol-step', 'gap', 'dose', 'note', 'pause']);
export type MarkerKind = z.infer<typeof MarkerKindSchema>;

/** The text of every `pause` marker starts with this, so that files exported with pauses import them back. */
export const PAUSE_MARKER_PREFIX = 'Recording paused';

/** Clinical scores taken at the session, all optional. */
export const ClinicalScoresSchema = z
  .object({
    /** Modified Ashworth Scale grade. */
    modifiedAshworth: z.enum(['0', '1', '1+', '2', '3', '4']).optional(),
    /** Tardieu quality of muscle reaction, 0 to 5. */
    tardieuQuality: z.number().int().min(0).max(5).optional(),
    /** Tardieu angle of catch at fast velocity (R1), degrees. */
    tardieuR1Deg: z.number().min(-180).max(180).optional(),
    /** Tardieu full passive range at slow velocity (R2), degrees. */
    tardieuR2Deg: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type ClinicalScores = z.infer<typeof ClinicalScoresSchema>;

/** Quality of one recorded stream: nominal rate, rate actually delivered, and losses. */
export const StreamQualitySchema = z.object({
  nominalHz: z.number(),
  /** Samples received per second of sample time, between the first and last sample received. */
  effectiveHz: z.number().nullable(),
  samples: z.number().int().nonnegative(),
  droppedSamples: z.number().int().nonnegative(),
  gaps: z.number().int().nonnegative(),
});
export type StreamQuality = z.infer<typeof StreamQualitySchema>;

export const SessionSchema = z.object({
  id: z.number().int().positive(),
  patientId: z.number().int().positive().nullable(),
  patientCode: z.string().nullable(),
  protocol: z.string(),
  muscle: z.string().nullable(),
  side: BodySideSchema.nullable(),
  deviceId: z.string(),
  deviceName: z.string(),
  origin: SessionOriginSchema,
  sourceFile: z.string().nullable(),
  /** Time of the first sample, ms since the Unix epoch. */
  startTimeMs: z.number(),
  /** Time of the last sample (complete) or of the last stored chunk (interrupted); null while recording. */
  endTimeMs: z.number().nullable(),
  status: SessionStatusSchema,
  /** Why the recording ended; null while recording, for imports and for sessions older than this field. */
  endReason: SessionEndReasonSchema.nullable(),
  /** The reason in words (the device's last error, what was refused), when there is more to say. */
  endDetail: z.string().nullable(),
  streams: z.array(StreamDescriptorSchema),
  droppedSamples: z.number().int().nonnegative(),
  gapCount: z.number().int().nonnegative(),
  /** Per stream id. Null until the first flush. */
  quality: z.record(z.string(), StreamQualitySchema).nullable(),
  clinical: ClinicalScoresSchema.nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /**
   * What of this session's stored description could not be read as stored (a damaged row shows here, on its
   * own session, while the rest of the data folder lists and reads as usual); null when it is sound.
   */
  problem: z.string().nullable(),
});
export type Session = z.infer<typeof SessionSchema>;

export const MarkerSchema = z.object({
  id: z.number().int().positive(),
  sessionId: z.number().int().positive(),
  /** ms since the Unix epoch. */
  timeMs: z.number(),
  durationMs: z.number().nullable(),
  kind: MarkerKindSchema,
  text: z.string(),
});
export type Marker = z.infer<typeof MarkerSchema>;

/** A session with what it holds: stored samples per stream and its markers, in time order. */
export const SessionDetailSchema = SessionSchema.extend({
  storedSamples: z.record(z.string(), z.number().int().nonnegative()),
  markers: z.array(MarkerSchema),
  /**
   * For a session recorded on another workstation whose signals are not (all) here: where they are and
   * when they come, in words (the review shows it instead of empty charts). Absent otherwise.
   */
  signalsElsewhere: z.string().optional(),
});
export type SessionDetail = z.infer<typeof SessionDetailSchema>;

export const SessionFilterSchema = z
  .object({
    patientId: z.number().int().positive().optional(),
    status: SessionStatusSchema.optional(),
    origin: SessionOriginSchema.optional(),
    /** Sessions starting at or after this time, ms since the Unix epoch. */
    fromMs: z.number().optional(),
    /** Sessions starting before this time, ms since the Unix epoch. */
    toMs: z.number().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type SessionFilter = z.infer<typeof SessionFilterSchema>;

export const StartRecordingSchema = z
  .object({
    patientId: z.number().int().positive(),
    protocol: z.string().trim().min(1).max(100),
    muscle: z.string().trim().min(1).max(100).optional(),
    side: BodySideSchema.optional(),
    deviceId: z.string().min(1).max(200),
    clinical: ClinicalScoresSchema.optional(),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type StartRecording = z.infer<typeof StartRecordingSchema>;

/** Pushed at every flush of a recording (at least once a second), on pause and resume, and when it ends. */
export const RecordingStatusSchema = z.object({
  sessionId: z.number().int().positive(),
  status: SessionStatusSchema,
  /**
   * Recorded time, s: wall time since the recording started minus the time spent paused. It does not advance
   * while `paused` is true.
   */
  elapsedS: z.number().nonnegative(),
  /** The recording is paused: the device keeps streaming (live view, indicators) but nothing is stored. */
  paused: z.boolean(),
  /** Channel samples stored so far over all streams: one instant of 8 channels counts 8. */
  samples: z.number().int().nonnegative(),
  droppedSamples: z.number().int().nonnegative(),
  gapCount: z.number().int().nonnegative(),
});
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** Sessions, recording and markers. */
export const sessionMethods = {
  listSessions: { input: SessionFilterSchema, output: z.array(SessionSchema) },
  getSession: {
    input: z.object({ sessionId: z.number().int().positive() }).strict(),
    output: SessionDetailSchema,
  },
  startRecording: { input: StartRecordingSchema, output: SessionSchema },
  /** `reason` defaults to `user`; a recording with a set length that ran out says `duration`. */
  stopRecording: {
    input: z.object({ reason: SessionEndReasonSchema.extract(['user', 'duration']).optional() }).strict(),
    output: SessionSchema,
  },
  /**
   * Pauses the running recording: blocks are no longer stored until `resumeRecording`; the device keeps
   * streaming. Conflict when nothing is recording or it is already paused.
   */
  pauseRecording: { input: z.object({}).strict(), output: RecordingStatusSchema },
  /**
   * Resumes a paused recording. The paused span becomes a `pause` marker with its duration (a deliberate
   * discontinuity, not a gap). Conflict when nothing is recording or it is not paused.
   */
  resumeRecording: { input: z.object({}).strict(), output: RecordingStatusSchema },
  addMarker: {
    input: z
      .object({
        sessionId: z.number().int().positive(),
        text: z.string().trim().min(1).max(500),
        /** `pause` markers come only from pausing a recording. */
        kind: MarkerKindSchema.exclude(['pause']).default('marker'),
        /** Defaults to now. ms since the Unix epoch. */
        timeMs: z.number().optional(),
        durationMs: z.number().nonnegative().optional(),
      })
      .strict(),
    output: MarkerSchema,
  },
  /** Replaces the session's free-text note (empty text clears it); answers the updated session. */
  setSessionNote: {
    input: z.object({ sessionId: z.number().int().positive(), note: z.string().max(2000) }).strict(),
    output: SessionSchema,
  },
} as const;
