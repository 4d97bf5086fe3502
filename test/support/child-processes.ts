import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Every child a test started and has not yet seen exit. */
const running = new Set<ChildProcess>();

/** Whatever a test left running dies with the test's own process, even after a failed start or a crash. */
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * `spawn` for tests: the child is tracked until it exits, and killed with SIGKILL when the test process
 * exits, so no server, socat or emulator outlives the test file whatever fails.
 */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** True once the child has exited (or failed to start). */
export const hasExited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null;

/**
 * Stops a child: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited; at once when it
 * already had (waiting for an 'exit' that has already happened would hang the teardown).
 */
export async function stopChild(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || hasExited(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
