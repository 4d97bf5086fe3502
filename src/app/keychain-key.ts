/**
 * The desktop's database key, kept in the OS keychain through Electron's `safeStorage` (injected by the
 * desktop shell; nothing here imports electron), as Signal-Desktop does: the key encrypted by the keychain
 * is stored in `desktop-key.json` (0600) in the data folder with the name of the keychain backend that
 * wrapped it. Linux's `basic_text` backend (and `unknown`) encrypts with a hard-coded password, so it counts
 * as no keychain: then the key lives in the 0600 key file beside the data, as for the command line, and
 * Tonus says so. When the keychain cannot give the key back (a changed backend, a reset keychain), the
 * recovery key from `TONUS_DB_KEY` or a `tonus.key` file opens the folder and is wrapped again by the
 * keychain now in use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  checkDatabaseKey,
  databaseFileState,
  findDatabaseKey,
  KEY_ENV,
  KEY_FILE,
  newDatabaseKey,
  type FoundKey,
} from '../storage/database-key.node.js';
import { ensurePrivateDir, writePrivateFile } from '../storage/private-files.node.js';

/** The parts of Electron's `safeStorage` used here (injected, so tests run without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only. */
  getSelectedStorageBackend?(): string;
}

/** The config file holding the keychain-encrypted key. */
export const DESKTOP_KEY_CONFIG = 'desktop-key.json';

interface DesktopKeyConfig {
  /** The database key encrypted by `safeStorage`, base64. */
  encryptedKey: string;
  /** The keychain backend that encrypted it (`keychain` on macOS, `dpapi` on Windows, the Linux backend). */
  keychainBackend: string;
}

/** What the desktop does about the key before it opens the data folder. */
export type DesktopKeyOutcome =
  /** The key is known: open with it. `recoveryKey` is set once, for a new folder: show it to the user. */
  | { kind: 'key'; key: FoundKey; recoveryKey?: string; notice?: string }
  /** Let the data folder find its key itself (environment, key file, a plain folder, or a new key file). */
  | { kind: 'folder'; notice?: string }
  /** No key can be had: open nothing, show `message` and quit. */
  | { kind: 'locked'; message: string };

/** The backend name for `platform`; on Linux the one Electron selected. */
export function keychainBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
}

/** True when `backend` really protects the key (not Linux's `basic_text` or an undetermined backend). */
export function isRealKeychain(safeStorage: SafeStorageLike, backend: string): boolean {
  return safeStorage.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown';
}

function readConfig(file: string): DesktopKeyConfig | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DesktopKeyConfig>;
  return typeof parsed.encryptedKey === 'string' && typeof parsed.keychainBackend === 'string'
    ? { encryptedKey: parsed.encryptedKey, keychainBackend: parsed.keychainBackend }
    : undefined;
}

function saveConfig(file: string, safeStorage: SafeStorageLike, key: string, backend: string): void {
  const config: DesktopKeyConfig = {
    encryptedKey: safeStorage.encryptString(key).toString('base64'),
    keychainBackend: backend,
  };
  ensurePrivateDir(dirname(file));
  writePrivateFile(file, `${JSON.stringify(config, null, 2)}\n`);
}

const recoveryHelp = (dataDir: string): string =>
  `Start Tonus once with ${KEY_ENV} set to your recovery key, or save the recovery key as ${join(dataDir, KEY_FILE)} (mode 0600); Tonus then keeps it in the keychain in use.`;

/**
 * Decides where the key of `dataDir` comes from on the desktop. `TONUS_DB_KEY` always wins. A folder with a
 * keychain-wrapped key is opened with it; if the keychain cannot unwrap it (its backend changed, or it was
 * reset), a recovery key from the environment or a key file is wrapped again; without one, nothing opens.
 * A new folder gets a fresh key wrapped by the keychain, or, without a real keychain, a key file.
 */
export function resolveDesktopKey(options: {
  dataDir: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}): DesktopKeyOutcome {
  const { dataDir, safeStorage, platform, env = process.env } = options;
  const configFile = join(dataDir, DESKTOP_KEY_CONFIG);
  const backend = keychainBackend(safeStorage, platform);
  const realKeychain = isRealKeychain(safeStorage, backend);
  const noKeychainNotice =
    `No system keychain is available (${backend === 'basic_text' ? "Linux's basic_text store is no keychain" : `backend ${backend}`}): ` +
    `the database key is kept in ${join(dataDir, KEY_FILE)}, protected only by its file mode 0600.`;
  if (env[KEY_ENV]) return { kind: 'folder' };

  const config = readConfig(configFile);
  if (config) {
    let unwrapped: string | undefined;
    if (realKeychain && config.keychainBackend === backend) {
      try {
        unwrapped = checkDatabaseKey(
          safeStorage.decryptString(Buffer.from(config.encryptedKey, 'base64')),
          `the keychain (${backend})`,
        );
      } catch {
        unwrapped = undefined;
      }
    }
    if (unwrapped)
      return { kind: 'key', key: { key: unwrapped, source: `the system keychain (${backend})` } };
    const why =
      config.keychainBackend !== backend
        ? `The keychain changed from ${config.keychainBackend} to ${backend}, so it cannot give back the Tonus database key.`
        : `The keychain (${backend}) cannot give back the Tonus database key${realKeychain ? '' : ': it is locked or unavailable'}.`;
    const recovered = findDatabaseKey(dataDir, env);
    if (!recovered) return { kind: 'locked', message: `${why} Nothing was opened. ${recoveryHelp(dataDir)}` };
    if (realKeychain) saveConfig(configFile, safeStorage, recovered.key, backend);
    return {
      kind: 'key',
      key: recovered,
      notice: `${why} The recovery key from ${recovered.source} opened the data${realKeychain ? ` and is now kept in ${backend}` : ''}.`,
    };
  }

  const state = databaseFileState(join(dataDir, 'tonus.sqlite'));
  if (state === 'plain')
    return {
      kind: 'folder',
      notice: `The data in ${dataDir} was made before encryption and is not encrypted. Quit Tonus and run \`tonus encrypt\` to encrypt it.`,
    };
  if (state === 'encrypted') {
    const found = findDatabaseKey(dataDir, env);
    if (found && realKeychain) saveConfig(configFile, safeStorage, found.key, backend);
    return { kind: 'folder' };
  }
  if (!realKeychain) return { kind: 'folder', notice: noKeychainNotice };
  const key = newDatabaseKey();
  saveConfig(configFile, safeStorage, key, backend);
  return { kind: 'key', key: { key, source: `the system keychain (${backend})` }, recoveryKey: key };
}
