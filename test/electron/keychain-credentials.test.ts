import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  keychainCredentials,
  KeychainUnavailableError,
  type SafeStorageLike,
} from '../../electron/keychain-credentials.js';

/** Stands in for Electron's safeStorage: a reversible transformation whose output never contains the input. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (s) => Buffer.from(`sealed:${Buffer.from(s).reverse().toString('hex')}`),
    decryptString: (b) => Buffer.from(b.toString().slice('sealed:'.length), 'hex').reverse().toString(),
  };
}

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'tonus-keychain-')), 'credentials.json');

describe('keychain credentials (desktop)', () => {
  it('keeps only ciphertext on disk, readable only by the user, and gives the secret back', () => {
    const file = tempFile();
    const store = keychainCredentials(fakeSafeStorage(), file);
    expect(store.get('sync-server-password')).toBeUndefined();
    store.set('sync-server-password', 'correct horse battery');
    store.set('other', 'x');
    expect(store.get('sync-server-password')).toBe('correct horse battery');
    expect(keychainCredentials(fakeSafeStorage(), file).get('sync-server-password')).toBe(
      'correct horse battery',
    );
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain('correct horse battery');
    expect(onDisk).not.toContain(Buffer.from('correct horse battery').toString('base64'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to store a secret without a real keychain (none, or Linux basic_text)', () => {
    for (const safe of [fakeSafeStorage('basic_text'), fakeSafeStorage('gnome_libsecret', false)]) {
      const store = keychainCredentials(safe, tempFile());
      expect(() => store.set('k', 'secret')).toThrow(KeychainUnavailableError);
      expect(() => store.set('k', 'secret')).toThrow(/~\/\.pgpass/);
      expect(store.get('k')).toBeUndefined();
    }
  });
});
