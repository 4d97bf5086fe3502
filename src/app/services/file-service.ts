import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api-contract.js';
import type { fileMethods } from '../../shared/api/file-api.js';
import { ApiFailure } from '../../shared/result.js';
import { isoFormatter } from '../../dosing/time-zone.js';
import { readRecordingFile, writeRecordingFile } from '../../io/read-recording.node.js';
import { RecordingFormatError } from '../../io/recording-format-error.js';
import { writeRawSamplesCsv } from '../../io/reports/report-writer.node.js';
import { getPatient } from '../../storage/patients.node.js';
import { ReportRepository } from '../../storage/report-repository.node.js';
import { getSession } from '../../storage/sessions.node.js';
import {
  readSessionRecording,
  SessionNotFoundError,
  storeRecording,
} from '../../storage/session-recording.node.js';
import type { AppContext } from '../app-context.js';

/** Handlers of import and export. Malformed files are refused whole with the file, problem and place. */
export function fileService(ctx: AppContext): Pick<ApiHandlers, keyof typeof fileMethods> {
  return {
    importRecordingFile: async (input) => {
      if (!existsSync(input.path))
        throw new ApiFailure('not-found', `There is no file at ${input.path}.`, 'path');
      if (input.patientId !== undefined && !getPatient(ctx.db, input.patientId)) {
        throw new ApiFailure('not-found', `There is no patient with id ${input.patientId}.`, 'patientId');
      }
      let recording;
      try {
        recording = readRecordingFile(input.path, {
          ...(input.format === undefined ? {} : { format: input.format }),
          ...(input.boardId === undefined ? {} : { boardId: input.boardId }),
        });
      } catch (err) {
        if (err instanceof RecordingFormatError) throw new ApiFailure('invalid-input', err.message, 'path');
        throw err;
      }
      const sessionId = storeRecording(ctx.db, recording, {
        patientId: input.patientId ?? null,
        protocol: input.protocol ?? recording.meta.protocol ?? 'free',
        muscle: input.muscle ?? null,
        side: input.side ?? null,
        deviceId: `file:${recording.format}`,
        deviceName: `Imported ${recording.format.toUpperCase()} file`,
        origin: 'import',
        sourceFile: input.path,
      });
      const session = getSession(ctx.db, sessionId);
      if (!session) throw new Error(`Imported session ${sessionId} vanished`);
      void ctx.analyses.enqueue(sessionId);
      return session;
    },
    exportSession: async ({ sessionId, format, path }) => {
      if (format === 'csv') {
        const reports = new ReportRepository(ctx.db);
        const session = getSession(ctx.db, sessionId);
        if (!session) throw new ApiFailure('not-found', `There is no session ${sessionId}.`, 'sessionId');
        const formatInstant = isoFormatter('UTC');
        const files: string[] = [];
        for (const stream of session.streams) {
          const file = join(path, `session-${sessionId}-${stream.id}.csv`);
          await writeRawSamplesCsv(reports, sessionId, stream.id, file, formatInstant);
          files.push(file);
        }
        return { files };
      }
      try {
        // Paused spans become discontinuities (BDF+D/EDF+D) labelled by their own `Recording paused` marker.
        writeRecordingFile(path, readSessionRecording(ctx.db, sessionId, { cutPauses: true }), format, {
          annotateGaps: false,
        });
      } catch (err) {
        if (err instanceof SessionNotFoundError) throw new ApiFailure('not-found', err.message, 'sessionId');
        throw err;
      }
      return { files: [path] };
    },
  };
}
