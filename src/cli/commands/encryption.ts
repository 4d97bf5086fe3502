import type { Command } from 'commander';
import { KeyMigrationError, migrateFolderKey } from '../../app/folder-key-migration.js';
import { KEY_ENV } from '../../storage/database-key.node.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';
import { CliError, emit, ExitCode } from '../output.js';

const exitCodeOf = {
  'not-found': ExitCode.notFound,
  'wrong-state': ExitCode.badInput,
  busy: ExitCode.failure,
  verify: ExitCode.failure,
} as const;

function run(cmd: Command, mode: 'encrypt' | 'rekey', json: boolean | undefined): void {
  const dataDir = dataDirOf(cmd.optsWithGlobals<GlobalOptions>());
  try {
    const result = migrateFolderKey(dataDir, mode);
    emit(json, { dataDir, ...result }, () => {
      console.log(
        `${mode === 'encrypt' ? 'Encrypted' : 'Re-keyed'} ${dataDir}: ${result.tables} tables, ${result.rows} rows verified.`,
      );
      console.log(
        `The key is in ${result.keyFile} (mode 0600). Keep a copy somewhere safe: without it the data cannot be read.`,
      );
      if (result.envKeyStale) console.log(`${KEY_ENV} holds the old key: unset it or set it to the new key.`);
    });
  } catch (err) {
    if (err instanceof KeyMigrationError) throw new CliError(err.message, exitCodeOf[err.reason]);
    throw err;
  }
}

/** `tonus encrypt` and `tonus rekey`: encrypt a plain data folder, or give an encrypted one a new key. */
export function registerEncryption(program: Command): void {
  program
    .command('encrypt')
    .description('encrypt a data folder made before encryption (copy, verify, swap; new key in tonus.key)')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => run(cmd, 'encrypt', opts.json));
  program
    .command('rekey')
    .description('give an encrypted data folder a new random key (copy, verify, swap; new key in tonus.key)')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => run(cmd, 'rekey', opts.json));
}
