import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { spawnTracked, stopChild } from '../support/child-processes.js';

/**
 * A pty pair made by `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`: bytes written to one end come
 * out of the other. Killing it is unplugging the device; starting it again with the same links plugs it back.
 */
export class SocatPair {
  private child: ChildProcess | undefined;

  constructor(
    readonly hostPath: string,
    readonly devicePath: string,
  ) {}

  async start(): Promise<void> {
    const child = spawnTracked(
      'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr?.resume();
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.hostPath) && existsSync(this.devicePath))) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await this.kill();
        throw new Error('socat did not create the pty pair');
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Kills socat (by its own pid) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await stopChild(child);
    const deadline = Date.now() + 2000;
    while ((existsSync(this.hostPath) || existsSync(this.devicePath)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
  }
}
