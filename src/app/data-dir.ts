import { homedir } from 'node:os';
import { join } from 'node:path';

/** The file name of the embedded database inside the data folder. */
export const DATABASE_FILE = 'tonus.sqlite';

/**
 * Where Tonus keeps its data, in order of precedence: an explicit folder (`--data-dir`), the
 * `TONUS_DATA_DIR` environment variable, then the user's data folder of the platform.
 */
export function resolveDataDir(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (explicit) return explicit;
  if (env.TONUS_DATA_DIR) return env.TONUS_DATA_DIR;
  const home = env.HOME ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Tonus');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Tonus');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'tonus');
}
