import { z } from 'zod';
import { JobIdSchema } from './job-api.js';
import { SessionSchema } from './session-api.js';

const FilePath = z.string().trim().min(1).max(4096);

export const ImportFormatSchema = z.enum([
  'bdf',
  'edf',
  'openbci-txt',
  'brainflow-csv',
  'csv',
  'biosppy-txt',
  'xdf',
  'opensignals-txt',
  'c3d',
]);
export const ExportFormatSchema = z.enum(['bdf', 'edf', 'csv']);

/** Importing recording files into sessions and exporting sessions to files on this computer. */
export const fileMethods = {
  importRecordingFile: {
    input: z
      .object({
        path: FilePath,
        /** Read as this format instead of detecting it from the content. */
        format: ImportFormatSchema.optional(),
        /** BrainFlow board id, for BrainFlow CSV files. */
        boardId: z.number().int().optional(),
        patientId: z.number().int().positive().optional(),
        protocol: z.string().trim().min(1).max(100).optional(),
        muscle: z.string().trim().min(1).max(100).optional(),
        side: z.enum(['left', 'right']).optional(),
        /** Echoed in this import's `jobProgress` events. */
        jobId: JobIdSchema.optional(),
      })
      .strict(),
    output: SessionSchema,
  },
  exportSession: {
    input: z
      .object({
        sessionId: z.number().int().positive(),
        format: ExportFormatSchema,
        /** File to write (BDF/EDF), or folder to write one CSV per stream into. */
        path: FilePath,
        /** Echoed in this export's `jobProgress` events. */
        jobId: JobIdSchema.optional(),
      })
      .strict(),
    output: z.object({ files: z.array(z.string()) }),
  },
} as const;
