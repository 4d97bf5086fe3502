import { z } from 'zod';

export const AnalysisEventSchema = z.object({
  kind: z.string(),
  index: z.number().int(),
  startS: z.number(),
  endS: z.number().nullable(),
  values: z.record(z.string(), z.unknown()),
});

/**
 * A stored per-session analysis (see src/shared/analysis.ts for the summary's fields): what was found in
 * the whole session, per EMG channel and IMU axis, per protocol, and one event per stretch, drop, clonus
 * episode and onset.
 */
export const StoredAnalysisSchema = z.object({
  id: z.number().int(),
  sessionId: z.number().int(),
  createdAt: z.string(),
  algorithmVersion: z.string(),
  params: z.record(z.string(), z.unknown()),
  summary: z.record(z.string(), z.unknown()),
  events: z.array(AnalysisEventSchema),
});

export const AnalysisStatusSchema = z.object({
  sessionId: z.number().int(),
  state: z.enum(['running', 'done', 'failed']),
  message: z.string().optional(),
});
export type AnalysisStatus = z.infer<typeof AnalysisStatusSchema>;

export const analysisMethods = {
  /**
   * Analyses a stored session now (again) and keeps the result; answers when it is done. Refused
   * (`conflict`, in words) for a session recorded on another workstation whose signals are not all here.
   */
  analyzeSession: {
    input: z.object({ sessionId: z.number().int().positive() }).strict(),
    output: StoredAnalysisSchema,
  },
  /** The newest analysis of a session, or null when none has run yet. */
  getSessionAnalysis: {
    input: z.object({ sessionId: z.number().int().positive() }).strict(),
    output: StoredAnalysisSchema.nullable(),
  },
} as const;
