import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from './security.js';

/** The browser shell's access token, kept in the data folder (readable by its owner only). */
export const TOKEN_FILE_NAME = 'browser-shell.token';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,}$/;

/**
 * The access token for `tonus serve` on `dataDir`: the one kept from the last run, so that a page left open
 * reconnects by itself when Tonus is restarted on the same port; a fresh one (replacing the kept one) when
 * there is none, it is damaged, or `renew` is set. The file is written with mode 0600: whoever can read it can
 * read the data folder itself.
 */
export function browserShellToken(dataDir: string, renew = false): string {
  const path = join(dataDir, TOKEN_FILE_NAME);
  if (!renew) {
    try {
      const kept = readFileSync(path, 'utf8').trim();
      if (TOKEN_PATTERN.test(kept)) return kept;
    } catch {
      // None kept yet: make one below.
    }
  }
  const token = newToken();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}
