import type { Command } from 'commander';
import { emit } from '../output.js';
import { badInput, withDosing } from './doses.js';

/** `tonus report`: CSV reports of a session or of a patient (docs/csv-columns.md). */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write CSV reports of a session (summary, indicators, events, raw samples) or a patient')
    .argument('[session]', 'session id')
    .option('--patient <code>', 'patient code (instead of a session)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--no-raw', 'leave out raw samples')
    .option('--json', 'print JSON')
    .action(
      async (
        session: string | undefined,
        opts: { patient?: string; out: string; raw: boolean; json?: boolean },
        cmd: Command,
      ) =>
        withDosing(cmd, async (core) => {
          if ((session === undefined) === (opts.patient === undefined))
            badInput('give a session id or --patient, not both');
          let files: string[];
          if (session !== undefined) {
            if (!/^\d+$/.test(session)) badInput(`session "${session}" is not a session id`, 'session');
            files = await core.writeReport({ sessionId: Number(session) }, opts.out, opts.raw);
          } else
            files = await core.writeReport(
              { patient: core.patient(opts.patient as string) },
              opts.out,
              opts.raw,
            );
          emit(opts.json, { files }, () => {
            for (const f of files) console.log(f);
          });
        }),
    );
}
