import { join } from 'node:path';
import type { Command } from 'commander';
import { DosingCore } from '../../app/services/dosing-service.js';
import { DATABASE_FILE } from '../../app/data-dir.js';
import { ApiFailure } from '../../shared/result.js';
import { openDatabase } from '../../storage/database.node.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';
import { ExitCode } from '../output.js';

/**
 * Runs `fn` with a {@link DosingCore} on the data folder's database and closes it after. Expected failures
 * print `tonus: <message>` and set the exit code (not found 3, bad input 4); others propagate.
 */
export async function withDosing(
  cmd: Command,
  fn: (core: DosingCore) => Promise<void> | void,
): Promise<void> {
  const db = openDatabase(join(dataDirOf(cmd.optsWithGlobals<GlobalOptions>()), DATABASE_FILE));
  try {
    await fn(new DosingCore(db));
  } catch (err) {
    if (err instanceof ApiFailure && (err.code === 'not-found' || err.code === 'invalid-input')) {
      console.error(`tonus: ${err.message}${err.where ? ` (${err.where})` : ''}`);
      process.exitCode = err.code === 'not-found' ? ExitCode.notFound : ExitCode.badInput;
      return;
    }
    throw err;
  } finally {
    db.close();
  }
}

/** Fails with exit code 4 (bad input) and a message. */
export function badInput(message: string, where?: string): never {
  throw new ApiFailure('invalid-input', message, where);
}
