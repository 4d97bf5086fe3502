import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CredentialStore } from '../src/app/credentials.js';

/** The part of Electron's `safeStorage` used here (so the store is testable without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keychain (a hard-coded key), which is refused. */
  getSelectedStorageBackend?(): string;
}

/** Thrown when the OS keychain cannot keep a secret here; the message says what to do instead. */
export class KeychainUnavailableError extends Error {}

/**
 * A {@link CredentialStore} backed by the OS keychain through Electron's `safeStorage` (Keychain on macOS,
 * DPAPI on Windows, libsecret/kwallet on Linux). Only ciphertext reaches `file` (base64 per key, mode 0600,
 * replaced atomically). Refuses to store when no real keychain is available rather than fall back to a
 * readable secret. Checked on use, since `safeStorage` works only once the Electron app is ready.
 */
export function keychainCredentials(safeStorage: SafeStorageLike, file: string): CredentialStore {
  const usable = (): boolean =>
    safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  const read = (): Record<string, string> =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  return {
    get(key) {
      const sealed = read()[key];
      if (sealed === undefined || !usable()) return undefined;
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    },
    set(key, secret) {
      if (!usable())
        throw new KeychainUnavailableError(
          'The system keychain is not available, so the password was not stored: put it in ~/.pgpass instead.',
        );
      const next = { ...read(), [key]: safeStorage.encryptString(secret).toString('base64') };
      writeFileSync(`${file}.tmp`, JSON.stringify(next), { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
    },
  };
}
