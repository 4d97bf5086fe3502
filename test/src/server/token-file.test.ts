import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKEN_FILE_NAME, browserShellToken } from '../../../src/server/token-file.js';

describe('browser shell token file', () => {
  it('keeps the token across restarts, owner-readable only, and renews it on request or when damaged', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tonus-token-')), 'data');
    const first = browserShellToken(dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, TOKEN_FILE_NAME)).mode & 0o777).toBe(0o600);
    expect(browserShellToken(dir)).toBe(first);
    const renewed = browserShellToken(dir, true);
    expect(renewed).not.toBe(first);
    expect(readFileSync(join(dir, TOKEN_FILE_NAME), 'utf8').trim()).toBe(renewed);
    writeFileSync(join(dir, TOKEN_FILE_NAME), 'short');
    const replaced = browserShellToken(dir);
    expect(replaced).not.toBe('short');
    expect(replaced).not.toBe(renewed);
  });
});
