import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api-contract.js';
import type { fileMethods } from '../../shared/api/file-api.js';
import type { JobKind } from '../../shared/api/job-api.js';
import { ApiFailure } from '../../shared/result.js';
import { isoFormatter } from '../../dosing/time-zone.js';
import { writeRawSamplesCsv } from '../../io/reports/report-writer.node.js';
import { safeName } from '../../io/reports/session-report.node.js';
import { getPatient } from '../../storage/patients.node.js';
import { ReportRepository } from '../../storage/report-repository.node.js';
import { getSession } from '../../storage/sessions.node.js';
import type { AppContext } from '../app-context.js';
import { sessionForUser } from '../session-for-user.js';
import { throttledProgress, type ProgressListener } from '../jobs.js';

let jobCount = 0;

/** A `ProgressListener` that emits `jobProgress` events for the job `jobId` (a fresh id when none is given). */
export function jobProgressEmitter(
  ctx: AppContext,
  kind: JobKind,
  jobId: string | undefined,
  sessionId?: number,
): ProgressListener {
  const id = jobId ?? `${kind}-${++jobCount}`;
  return throttledProgress((fraction, stage) =>
    ctx.events.emit('jobProgress', {
      jobId: id,
      kind,
      ...(sessionId === undefined ? {} : { sessionId }),
      fraction,
      stage,
    }),
  );
}

/**
 * Handlers of import and export. Malformed files are refused whole with the file, problem and place.
 * Reading and storing a file and writing BDF/EDF run on the app's job runner (off the main thread); CSV is
 * streamed chunk by chunk. Each reports `jobProgress` events under the input's `jobId` when given.
 */
export function fileService(ctx: AppContext): Pick<ApiHandlers, keyof typeof fileMethods> {
  return {
    importRecordingFile: async (input) => {
      if (!existsSync(input.path))
        throw new ApiFailure('not-found', `There is no file at ${input.path}.`, 'path');
      if (input.patientId !== undefined && !getPatient(ctx.db, input.patientId)) {
        throw new ApiFailure('not-found', `There is no patient with id ${input.patientId}.`, 'patientId');
      }
      const { sessionId } = await ctx.jobs.run(
        {
          kind: 'import',
          path: input.path,
          ...(input.format === undefined ? {} : { format: input.format }),
          ...(input.boardId === undefined ? {} : { boardId: input.boardId }),
          patientId: input.patientId ?? null,
          ...(input.protocol === undefined ? {} : { protocol: input.protocol }),
          muscle: input.muscle ?? null,
          side: input.side ?? null,
        },
        jobProgressEmitter(ctx, 'import', input.jobId),
      );
      const session = getSession(ctx.db, sessionId);
      if (!session) throw new Error(`Imported session ${sessionId} vanished`);
      void ctx.analyses.enqueue(sessionId);
      return session;
    },
    exportSession: async ({ sessionId, format, path, jobId }) => {
      const progress = jobProgressEmitter(ctx, 'export', jobId, sessionId);
      if (format !== 'csv') return ctx.jobs.run({ kind: 'export', sessionId, format, path }, progress);
      const reports = new ReportRepository(ctx.db);
      const session = sessionForUser(ctx.db, sessionId);
      const totalRows = (
        ctx.db
          .prepare('SELECT COALESCE(SUM(sample_count), 0) AS n FROM sample_chunks WHERE session_id = ?')
          .get(sessionId) as { n: number }
      ).n;
      const formatInstant = isoFormatter('UTC');
      const files: string[] = [];
      let rowsBefore = 0;
      progress(0, 'Writing CSV');
      for (const stream of session.streams) {
        const file = join(path, `session-${sessionId}-${safeName(stream.id)}.csv`);
        const tell = (rows: number): void =>
          progress(totalRows > 0 ? (rowsBefore + rows) / totalRows : 0, `Writing ${stream.id} CSV`);
        rowsBefore += await writeRawSamplesCsv(reports, sessionId, stream.id, file, formatInstant, tell);
        files.push(file);
      }
      progress(1, 'Done');
      return { files };
    },
  };
}
