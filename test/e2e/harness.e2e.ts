import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openShell } from './harness.js';

/** Command lines of the running `tonus serve` processes that a harness started (their data folders). */
function runningServers(): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'bin/tonus.js --data-dir .*tonus-e2e-'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('serve'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('the e2e harness', () => {
  it('stops the server it started when the browser cannot be launched', async () => {
    const before = runningServers();
    await expect(openShell({ width: 800, height: 600 }, undefined, '/nonexistent/chromium')).rejects.toThrow(
      /chromium/i,
    );
    expect(runningServers()).toEqual(before);
  });
});
