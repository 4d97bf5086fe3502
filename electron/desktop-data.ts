import { DatabaseKeyError } from '../src/app/data-folder.js';
import { resolveDesktopKey, type SafeStorageLike } from '../src/app/keychain-key.js';
import { createTonusApp, type TonusApp, type TonusAppOptions } from '../src/app/tonus-app.js';

/** The desktop's data folder, opened, with what the user must read first; or why nothing was opened. */
export type DesktopOpenResult =
  | { kind: 'opened'; app: TonusApp; messages: string[] }
  | { kind: 'refused'; message: string; exitCode: number };

/** Exit code of the desktop app when the database key is missing or wrong (as `tonus`, documented). */
export const KEY_EXIT_CODE = 6;

/**
 * Opens the desktop's data folder with the key from the keychain (see `resolveDesktopKey`). A new folder's
 * recovery key and any notice (no real keychain, a recovered key) come back as messages to show once; a
 * locked keychain or a wrong or missing key opens nothing and comes back as a message with the exit code.
 * `options.credentials` is the keychain store the app keeps the sync server's password in.
 */
export function openDesktopApp(
  dataDir: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv = process.env,
  options: Pick<TonusAppOptions, 'credentials'> = {},
): DesktopOpenResult {
  const outcome = resolveDesktopKey({ dataDir, safeStorage, platform, env });
  if (outcome.kind === 'locked')
    return { kind: 'refused', message: outcome.message, exitCode: KEY_EXIT_CODE };
  const messages: string[] = [];
  if (outcome.notice) messages.push(outcome.notice);
  if (outcome.kind === 'key' && outcome.recoveryKey)
    messages.push(
      `Your data is encrypted with a key kept in the system keychain. Write down this recovery key and keep it ` +
        `somewhere safe, away from this computer; it opens the data if the keychain is ever lost:\n\n${outcome.recoveryKey}`,
    );
  try {
    const app = createTonusApp({
      dataDir,
      env,
      ...options,
      ...(outcome.kind === 'key' ? { key: outcome.key } : {}),
    });
    return { kind: 'opened', app, messages };
  } catch (err) {
    if (err instanceof DatabaseKeyError)
      return { kind: 'refused', message: err.message, exitCode: KEY_EXIT_CODE };
    throw err;
  }
}
