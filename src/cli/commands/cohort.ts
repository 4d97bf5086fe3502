import type { Command } from 'commander';
import { cohortOf } from '../../storage/cohort.node.js';
import { emit } from '../output.js';
import { withServer } from './server.js';

/** `tonus cohort --indicator X`: one indicator by dose phase and C_rel band across patients and sites. */
export function registerCohort(program: Command): void {
  program
    .command('cohort')
    .description('an indicator by dose phase and C_rel across patients and sites, computed on the server')
    .requiredOption('--indicator <id>', 'indicator id, e.g. rmsHV')
    .option('--json', 'print JSON')
    .action(async (opts: { indicator: string; json?: boolean }) =>
      withServer(async (client) => {
        const groups = await cohortOf(client, opts.indicator);
        emit(opts.json, { indicator: opts.indicator, groups }, () => {
          if (groups.length === 0) console.log(`no sessions with ${opts.indicator} on the server`);
          for (const g of groups)
            console.log(
              `${g.phase.padEnd(10)} C_rel ${g.cRelBand.padEnd(9)} ${g.mean.toPrecision(4)} ${g.unit} ` +
                `(median ${g.median.toPrecision(4)}, sd ${g.sd === null ? '–' : g.sd.toPrecision(3)}; ` +
                `${g.sessions} sessions, ${g.patients} patients, ${g.sites} sites)`,
            );
        });
      }),
    );
}
