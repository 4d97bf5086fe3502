import { z } from 'zod';

/** What a long job does: read and store a file, write a session to files, or analyse a session. */
export const JobKindSchema = z.enum(['import', 'export', 'analysis']);
export type JobKind = z.infer<typeof JobKindSchema>;

/**
 * A client-chosen id for a job it starts (`importRecordingFile`, `exportSession`, `prepareDownload`), echoed
 * in that job's `jobProgress` events so the UI can tell its own progress from others'.
 */
export const JobIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/**
 * How far a running job is. Guarantees: for one `jobId`, `fraction` never decreases and the last event of a
 * job that succeeded has `fraction` 1; `stage` is short text for people ("Storing samples").
 */
export const JobProgressSchema = z.object({
  jobId: z.string(),
  kind: JobKindSchema,
  /** The session the job reads or writes, once known. */
  sessionId: z.number().int().optional(),
  /** Done so far, 0..1. */
  fraction: z.number().min(0).max(1),
  stage: z.string(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** Events of long jobs (run off the app's main thread). */
export const jobEvents = {
  jobProgress: { payload: JobProgressSchema, wire: undefined },
} as const;
