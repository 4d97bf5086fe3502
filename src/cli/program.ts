import { Command, CommanderError } from 'commander';
import { commandRegistrations } from './commands/index.js';
import { DatabaseKeyError } from '../storage/database-key.node.js';
import { CliError, ExitCode } from './output.js';

/** Builds the `tonus` command line program. */
export function buildProgram(): Command {
  const program = new Command('tonus')
    .description('Tonus: spasticity monitoring with wearable EMG and IMU sensors')
    .option('--data-dir <dir>', 'data folder (default: TONUS_DATA_DIR, else the user data folder)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandRegistrations) register(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (err instanceof DatabaseKeyError) {
      console.error(`tonus: ${err.message}`);
      return ExitCode.key;
    }
    if (err instanceof CliError) {
      console.error(`tonus: ${err.message}`);
      return err.exitCode;
    }
    console.error(`tonus: ${err instanceof Error ? err.message : String(err)}`);
    return ExitCode.failure;
  }
}
