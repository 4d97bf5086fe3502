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
    .description(
      'export a session as BDF+ / EDF+ (one file) or CSV (one file per stream), or sessions as an EMG-BIDS folder',
    )
    .argument('[sessions...]', 'session id (see `tonus sessions`); for bids, one or more')
    .requiredOption('--format <format>', 'bdf, edf, csv or bids')
    .requiredOption('--out <path>', 'file to write (bdf, edf) or folder to write into (csv, bids)')
    .option('--patient <code>', 'bids: every complete session of this patient')
    .option('--json', 'print JSON')
    .action(
      async (
        sessions: string[],
        opts: { format: string; out: string; patient?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (!['bdf', 'edf', 'csv', 'bids'].includes(opts.format)) {
          throw new CliError(`Unknown format "${opts.format}" (bdf, edf, csv or bids).`, ExitCode.usage);
        }
        const sessionIds = sessions.map(parseSessionId);
        if (opts.format === 'bids') {
          if (sessionIds.length === 0 && opts.patient === undefined)
            throw new CliError('Name sessions or a --patient to export as BIDS.', ExitCode.usage);
          await withApp(cmd, async (app) => {
            const patient = opts.patient === undefined ? undefined : findPatientByCode(app.db, opts.patient);
            if (opts.patient !== undefined && !patient)
              throw new CliError(`There is no patient with code "${opts.patient}".`, ExitCode.notFound);
            const result = await callApi(app, 'exportBids', {
              ...(sessionIds.length > 0 ? { sessionIds } : {}),
              ...(patient ? { patientId: patient.id } : {}),
              path: resolve(opts.out),
            });
            emit(opts.json, result, () =>
              console.log(`Wrote an EMG-BIDS dataset of ${result.files.length} files to ${result.folder}`),
            );
          });
          return;
        }
        if (sessionIds.length !== 1)
          throw new CliError(`Export as ${opts.format} takes exactly one session.`, ExitCode.usage);
        await withApp(cmd, async (app) => {
          const result = await callApi(app, 'exportSession', {
            sessionId: sessionIds[0],
            format: opts.format,
            path: resolve(opts.out),
          });
          emit(opts.json, result, () => result.files.forEach((f) => console.log(`Wrote ${f}`)));
        });
      },
    );
}
