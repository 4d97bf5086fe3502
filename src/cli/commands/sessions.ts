import type { Command } from 'commander';
import { Option } from 'commander';
import type { TonusApp } from '../../app/tonus-app.js';
import { createTonusApp } from '../../app/tonus-app.js';
import type { MethodName, MethodOutput } from '../../shared/api-contract.js';
import type { Session } from '../../shared/api/session-api.js';
import { SessionStatusSchema } from '../../shared/api/session-api.js';
import { dispatch } from '../../shared/dispatch.js';
import type { ApiErrorCode } from '../../shared/result.js';
import { findPatientByCode } from '../../storage/patients.node.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';
import type { ExitCodeValue } from '../output.js';
import { CliError, emit, ExitCode } from '../output.js';

const exitCodeOf: Record<ApiErrorCode, ExitCodeValue> = {
  'invalid-input': ExitCode.badInput,
  'unknown-method': ExitCode.failure,
  'untrusted-sender': ExitCode.failure,
  unauthorized: ExitCode.failure,
  'not-found': ExitCode.notFound,
  conflict: ExitCode.failure,
  'device-error': ExitCode.device,
  internal: ExitCode.failure,
};

/**
 * Calls an API method through `dispatch` (the same validation as every binding); an error answer becomes a
 * {@link CliError} with the exit code scripts rely on (not-found 3, invalid input 4, device 5).
 */
export async function callApi<M extends MethodName>(
  app: TonusApp,
  method: M,
  input: unknown,
): Promise<MethodOutput<M>> {
  const r = await dispatch(app.handlers, method, input);
  if (r.ok) return r.value as MethodOutput<M>;
  const where = r.error.where ? ` (${r.error.where})` : '';
  throw new CliError(`${r.error.message}${where}`, exitCodeOf[r.error.code]);
}

/** Opens the app on the data folder of `cmd`, runs `fn`, and always closes the app. */
export async function withApp<T>(cmd: Command, fn: (app: TonusApp) => Promise<T>): Promise<T> {
  const app = createTonusApp({ dataDir: dataDirOf(cmd.optsWithGlobals<GlobalOptions>()) });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Duration of a session in seconds, or null while it has no end. */
export const durationS = (s: Session): number | null =>
  s.endTimeMs === null ? null : Math.max(0, (s.endTimeMs - s.startTimeMs) / 1000);

export function registerSessions(program: Command): void {
  program
    .command('sessions')
    .description('list recorded sessions, newest first')
    .option('--patient <code>', 'only the sessions of this patient')
    .addOption(
      new Option('--status <status>', 'only sessions with this status').choices(SessionStatusSchema.options),
    )
    .option('--json', 'print JSON')
    .action(async (opts: { patient?: string; status?: Session['status']; json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        let patientId: number | undefined;
        if (opts.patient !== undefined) {
          const patient = findPatientByCode(app.db, opts.patient);
          if (!patient)
            throw new CliError(`There is no patient with code "${opts.patient}".`, ExitCode.notFound);
          patientId = patient.id;
        }
        const sessions = await callApi(app, 'listSessions', {
          ...(patientId === undefined ? {} : { patientId }),
          ...(opts.status === undefined ? {} : { status: opts.status }),
        });
        emit(opts.json, sessions, () => {
          if (sessions.length === 0) console.log('No sessions.');
          for (const s of sessions) {
            const d = durationS(s);
            console.log(
              [
                String(s.id).padStart(5),
                new Date(s.startTimeMs).toISOString().slice(0, 19).replace('T', ' '),
                (s.patientCode ?? '-').padEnd(10),
                s.protocol.padEnd(16),
                [s.muscle, s.side].filter(Boolean).join(' ').padEnd(18),
                (d === null ? '-' : `${d.toFixed(1)} s`).padStart(9),
                s.status.padEnd(11),
                s.droppedSamples > 0 ? `${s.droppedSamples} dropped` : '',
              ].join('  '),
            );
          }
        });
      });
    });
}
