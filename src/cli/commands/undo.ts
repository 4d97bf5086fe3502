import type { Command } from 'commander';
import { Argument } from 'commander';
import { callApi, withApp } from './sessions.js';
import { emit } from '../output.js';

/** `tonus undo patient|session ID`: brings back a deleted patient or session within its 30 days. */
export function registerUndo(program: Command): void {
  program
    .command('undo')
    .description('bring back a deleted patient or session (kept 30 days after the delete)')
    .addArgument(new Argument('<what>', 'what was deleted').choices(['patient', 'session']))
    .argument('<id>', 'its number, as named in the "was deleted" message', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (what: 'patient' | 'session', id: number, opts: { json?: boolean }, cmd: Command) => {
      await withApp(cmd, async (app) => {
        await callApi(app, 'undoDelete', { entity: what, id });
        emit(opts.json, { entity: what, id }, () => console.log(`The ${what} ${id} is back.`));
      });
    });
}
