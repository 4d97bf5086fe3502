import { z } from 'zod';
import { ExportFormatSchema } from './file-api.js';
import { JobIdSchema } from './job-api.js';

/** One file ready to fetch once, with the access token in `x-tonus-token`, at `GET <path>`. */
export const PreparedDownloadSchema = z.object({
  name: z.string(),
  bytes: z.number().int().min(0),
  /** Server path, `/download/<ticket>/<name>`: valid once, and only for `expiresInS` seconds. */
  path: z.string(),
});
export type PreparedDownload = z.infer<typeof PreparedDownloadSchema>;

/** Exports for the browser shell, which cannot write to a folder: made here, then fetched as downloads. */
export const downloadMethods = {
  /**
   * Exports a session (BDF+/EDF+ as one file, CSV as one file per stream) into a private temporary folder
   * and answers where to fetch each file. Each file can be fetched once; unfetched files are deleted after
   * `expiresInS`. Fails with `not-found` for an unknown session.
   */
  prepareDownload: {
    input: z
      .object({
        sessionId: z.number().int().positive(),
        format: ExportFormatSchema,
        /** Echoed in this export's `jobProgress` events. */
        jobId: JobIdSchema.optional(),
      })
      .strict(),
    output: z.object({ files: z.array(PreparedDownloadSchema), expiresInS: z.number() }),
  },
} as const;
