import type { Command } from 'commander';
import { resolve } from 'node:path';
import { findPatientByCode } from '../../storage/patients.node.js';
import { CliError, emit, ExitCode } from '../output.js';
import { callApi, withApp } from './sessions.js';
import { parseSessionId } from './show.js';

const IMPORT_FORMATS = [
  'bdf',
  'edf',
  'openbci-txt',
  'brainflow-csv',
  'csv',
  'biosppy-txt',
  'xdf',
  'opensignals-txt',
  'c3d',
] as const;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import a recording file (BDF+/EDF+, OpenBCI GUI .txt, BrainFlow CSV, CSV, XDF, OpenSignals .txt, C3D) as a new session',
    )
    .argument('<file>', 'the recording file')
    .option('--format <format>', `read as this format instead of detecting it (${IMPORT_FORMATS.join(', ')})`)
    .option('--board-id <id>', 'BrainFlow board id, for BrainFlow CSV', (v) => Number.parseInt(v, 10))
    .option('--patient <code>', 'patient code to attach the session to')
    .option('--protocol <protocol>', 'protocol of the recording (default: from the file, else free)')
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        opts: { format?: string; boardId?: number; patient?: string; protocol?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (opts.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(opts.format)) {
          throw new CliError(
            `Unknown format "${opts.format}" (one of ${IMPORT_FORMATS.join(', ')}).`,
            ExitCode.usage,
          );
        }
        await withApp(cmd, async (app) => {
          const patient = opts.patient === undefined ? undefined : findPatientByCode(app.db, opts.patient);
          if (opts.patient !== undefined && !patient)
            throw new CliError(`There is no patient with code "${opts.patient}".`, ExitCode.notFound);
          const session = await callApi(app, 'importRecordingFile', {
            path: resolve(file),
            ...(opts.format === undefined ? {} : { format: opts.format }),
            ...(opts.boardId === undefined ? {} : { boardId: opts.boardId }),
            ...(patient ? { patientId: patient.id } : {}),
            ...(opts.protocol === undefined ? {} : { protocol: opts.protocol }),
          });
          emit(opts.json, session, () => {
            const samples = Object.values(session.quality ?? {}).reduce((n, q) => n + q.samples, 0);
            console.log(
              `Imported ${file} as session ${session.id} (${session.streams.length} streams, ${samples} samples).`,
            );
          });
        });
      },
    );
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a session as BDF+ / EDF+ (one file) or CSV (one file per stream)')
    .argument('<session>', 'session id (see `tonus sessions`)')
    .requiredOption('--format <format>', 'bdf, edf or csv')
    .requiredOption('--out <path>', 'file to write (bdf, edf) or folder to write into (csv)')
    .option('--json', 'print JSON')
    .action(async (session: string, opts: { format: string; out: string; json?: boolean }, cmd: Command) => {
      const sessionId = parseSessionId(session);
      if (!['bdf', 'edf', 'csv'].includes(opts.format)) {
        throw new CliError(`Unknown format "${opts.format}" (bdf, edf or csv).`, ExitCode.usage);
      }
      await withApp(cmd, async (app) => {
        const result = await callApi(app, 'exportSession', {
          sessionId,
          format: opts.format,
          path: resolve(opts.out),
        });
        emit(opts.json, result, () => result.files.forEach((f) => console.log(`Wrote ${f}`)));
      });
    });
}
