import { join } from 'node:path';
import type { Command } from 'commander';
import { DATABASE_FILE } from '../../app/data-dir.js';
import { openDatabase } from '../../storage/database.node.js';
import { connectionFromEnvironment, ServerConnectionError } from '../../storage/server-connection.node.js';
import { refreshDoseContexts } from '../../app/services/sync-service.js';
import { runSync } from '../../storage/sync-run.node.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';
import { CliError, emit, ExitCode } from '../output.js';

/** `tonus sync [--watch]`: push this workstation's changes to the site's server and pull the others'. */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description(
      'sync this data folder with the clinic server (connection from PGHOST, PGUSER, … and .pgpass)',
    )
    .option('--watch', 'keep syncing, every --every seconds, until stopped')
    .option('--every <seconds>', 'seconds between syncs with --watch', '30')
    .option('--json', 'print JSON')
    .action(async (opts: { watch?: boolean; every: string; json?: boolean }, cmd: Command) => {
      const everyS = Number(opts.every);
      if (!Number.isFinite(everyS) || everyS <= 0)
        throw new CliError(
          `tonus: --every must be a positive number of seconds, not "${opts.every}"`,
          ExitCode.badInput,
        );
      let connection;
      try {
        connection = connectionFromEnvironment();
      } catch (err) {
        if (err instanceof ServerConnectionError)
          throw new CliError(`tonus: ${err.message}`, ExitCode.failure);
        throw err;
      }
      const db = openDatabase(join(dataDirOf(cmd.optsWithGlobals<GlobalOptions>()), DATABASE_FILE));
      let stop = false;
      const onSignal = (): void => {
        stop = true;
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        for (;;) {
          const report = await runSync(db, connection);
          refreshDoseContexts(db, report.doseLogPatients);
          emit(opts.json, { at: new Date().toISOString(), ...report }, () =>
            console.log(
              report.error
                ? `sync failed: ${report.error} (${report.pending} changes waiting)`
                : `synced: ${report.pushed} sent, ${report.pulled} received, ${report.chunksPulled} pieces of signal downloaded, ${report.pending} waiting`,
            ),
          );
          if (!opts.watch) {
            if (report.error) process.exitCode = ExitCode.failure;
            return;
          }
          const until = Date.now() + everyS * 1000;
          while (!stop && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
          if (stop) return;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        db.close();
      }
    });
}
