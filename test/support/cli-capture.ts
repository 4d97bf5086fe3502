import { vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

/** What one in-process run of the `tonus` command printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the `tonus` command in this process with `argv` and captures what it writes to stdout and stderr
 * (also through console.log and console.error); the spies are removed again whatever happens.
 */
export async function runCliCaptured(argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const spies = [
    vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((c: string | Uint8Array) => ((out += c.toString()), true)),
    vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((c: string | Uint8Array) => ((err += c.toString()), true)),
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`)),
  ];
  try {
    return { code: await runCli(argv), out, err };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}
