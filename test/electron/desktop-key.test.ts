import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDesktopApp } from '../../electron/desktop-data.js';
import { openDataFolder } from '../../src/app/data-folder.js';
import { DESKTOP_KEY_CONFIG, resolveDesktopKey, type SafeStorageLike } from '../../src/app/keychain-key.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { openDatabase } from '../../src/storage/database.node.js';

/**
 * A fake of Electron's safeStorage on Linux: "encrypts" by XOR with a secret of the keychain, so only the same
 * keychain (backend and secret) gives the text back; another one returns garbage or throws, like the real one.
 */
function fakeKeychain(backend: string, secret = 7, available = true): SafeStorageLike & { calls: string[] } {
  const calls: string[] = [];
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((x) => x ^ secret));
  return {
    calls,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => {
      calls.push('encrypt');
      return Buffer.concat([Buffer.from(`${backend}:`), xor(Buffer.from(plain))]);
    },
    decryptString: (encrypted) => {
      calls.push('decrypt');
      const prefix = `${backend}:`;
      if (!encrypted.subarray(0, prefix.length).equals(Buffer.from(prefix)))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return xor(encrypted.subarray(prefix.length)).toString();
    },
  };
}

const newDir = (): string => join(mkdtempSync(join(tmpdir(), 'tonus-desktop-')), 'data');

async function withPatient(dataDir: string, keychain: SafeStorageLike): Promise<void> {
  const opened = openDesktopApp(dataDir, keychain, 'linux', {});
  if (opened.kind !== 'opened') throw new Error(opened.message);
  await dispatch(opened.app.handlers, 'createPatient', { code: 'CP-DESK-1' });
  await opened.app.close();
}

describe('the desktop key in the OS keychain (safeStorage)', () => {
  it('gives a new folder a random key wrapped by the keychain, shows the recovery key once, writes no key file', async () => {
    const dataDir = newDir();
    const keychain = fakeKeychain('gnome_libsecret');
    const opened = openDesktopApp(dataDir, keychain, 'linux', {});
    if (opened.kind !== 'opened') throw new Error(opened.message);
    await opened.app.close();
    expect(opened.messages).toHaveLength(1);
    const recoveryKey = /\n\n([0-9a-f]{64})$/.exec(opened.messages[0] ?? '')?.[1];
    expect(recoveryKey).toBeDefined();
    expect(existsSync(join(dataDir, 'tonus.key'))).toBe(false);
    const config = readFileSync(join(dataDir, DESKTOP_KEY_CONFIG), 'utf8');
    expect((statSync(join(dataDir, DESKTOP_KEY_CONFIG)).mode & 0o777).toString(8)).toBe('600');
    expect(JSON.parse(config)).toMatchObject({ keychainBackend: 'gnome_libsecret' });
    expect(config).not.toContain(recoveryKey);

    await withPatient(dataDir, keychain);
    const again = resolveDesktopKey({ dataDir, safeStorage: keychain, platform: 'linux', env: {} });
    expect(again).toEqual({
      kind: 'key',
      key: { key: recoveryKey, source: 'the system keychain (gnome_libsecret)' },
    });
    // The recovery key really opens the folder without the keychain.
    const { db } = openDataFolder(dataDir, { env: { TONUS_DB_KEY: recoveryKey } });
    expect(db.prepare('SELECT code FROM patients').pluck().all()).toEqual(['CP-DESK-1']);
    db.close();
  });

  it("treats Linux's basic_text store as no keychain: key file beside the data, and says so", async () => {
    const dataDir = newDir();
    const keychain = fakeKeychain('basic_text');
    const opened = openDesktopApp(dataDir, keychain, 'linux', {});
    if (opened.kind !== 'opened') throw new Error(opened.message);
    await opened.app.close();
    expect(opened.messages).toEqual([
      expect.stringMatching(/No system keychain .*basic_text store is no keychain.*tonus\.key.*0600/),
    ]);
    expect(keychain.calls).toEqual([]);
    expect(existsSync(join(dataDir, DESKTOP_KEY_CONFIG))).toBe(false);
    expect((statSync(join(dataDir, 'tonus.key')).mode & 0o777).toString(8)).toBe('600');
  });

  it('opens nothing when the keychain backend changed and no recovery key is at hand, and says what to do', async () => {
    const dataDir = newDir();
    await withPatient(dataDir, fakeKeychain('gnome_libsecret'));
    const opened = openDesktopApp(dataDir, fakeKeychain('kwallet6'), 'linux', {});
    expect(opened).toMatchObject({ kind: 'refused', exitCode: 6 });
    if (opened.kind !== 'refused') return;
    expect(opened.message).toMatch(/The keychain changed from gnome_libsecret to kwallet6/);
    expect(opened.message).toMatch(
      /Nothing was opened\. Start Tonus once with TONUS_DB_KEY set to your recovery key/,
    );
  });

  it('recovers after a keychain change with the recovery key, and wraps it in the new keychain', async () => {
    const dataDir = newDir();
    const first = openDesktopApp(dataDir, fakeKeychain('gnome_libsecret'), 'linux', {});
    if (first.kind !== 'opened') throw new Error(first.message);
    await first.app.close();
    const recoveryKey = /\n\n([0-9a-f]{64})$/.exec(first.messages[0] ?? '')?.[1] as string;
    const kwallet = fakeKeychain('kwallet6');
    writeFileSync(join(dataDir, 'tonus.key'), `${recoveryKey}\n`, { mode: 0o600 });
    const recovered = openDesktopApp(dataDir, kwallet, 'linux', {});
    if (recovered.kind !== 'opened') throw new Error(recovered.message);
    await recovered.app.close();
    expect(recovered.messages).toEqual([
      expect.stringMatching(
        /changed from gnome_libsecret to kwallet6.*recovery key from the key file .*opened the data and is now kept in kwallet6/,
      ),
    ]);
    expect(JSON.parse(readFileSync(join(dataDir, DESKTOP_KEY_CONFIG), 'utf8'))).toMatchObject({
      keychainBackend: 'kwallet6',
    });
    expect(resolveDesktopKey({ dataDir, safeStorage: kwallet, platform: 'linux', env: {} })).toMatchObject({
      kind: 'key',
      key: { key: recoveryKey },
    });
  });

  it('opens nothing when the keychain was reset (same backend, key no longer decrypts)', async () => {
    const dataDir = newDir();
    await withPatient(dataDir, fakeKeychain('gnome_libsecret', 7));
    const outcome = resolveDesktopKey({
      dataDir,
      safeStorage: fakeKeychain('gnome_libsecret', 9),
      platform: 'linux',
      env: {},
    });
    expect(outcome).toMatchObject({
      kind: 'locked',
      message: expect.stringMatching(/keychain \(gnome_libsecret\) cannot give back/),
    });
  });

  it('lets TONUS_DB_KEY win, and adopts the key file of a folder the command line made', () => {
    const dataDir = newDir();
    openDataFolder(dataDir, { env: {} }).db.close();
    const keychain = fakeKeychain('gnome_libsecret');
    expect(
      resolveDesktopKey({
        dataDir,
        safeStorage: keychain,
        platform: 'linux',
        env: { TONUS_DB_KEY: 'a'.repeat(64) },
      }),
    ).toEqual({
      kind: 'folder',
    });
    expect(keychain.calls).toEqual([]);
    expect(resolveDesktopKey({ dataDir, safeStorage: keychain, platform: 'linux', env: {} })).toEqual({
      kind: 'folder',
    });
    expect(keychain.calls).toEqual(['encrypt']);
    const fileKey = readFileSync(join(dataDir, 'tonus.key'), 'utf8').trim();
    expect(resolveDesktopKey({ dataDir, safeStorage: keychain, platform: 'linux', env: {} })).toMatchObject({
      kind: 'key',
      key: { key: fileKey },
    });
  });

  it('says that a folder made before encryption is not encrypted, and how to encrypt it', () => {
    const dataDir = newDir();
    openDatabase(join(dataDir, 'tonus.sqlite')).close();
    expect(
      resolveDesktopKey({
        dataDir,
        safeStorage: fakeKeychain('gnome_libsecret'),
        platform: 'linux',
        env: {},
      }),
    ).toEqual({
      kind: 'folder',
      notice: expect.stringMatching(/is not encrypted\. Quit Tonus and run `tonus encrypt`/),
    });
  });

  it('uses the macOS Keychain and Windows DPAPI as real keychains', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const keychain = fakeKeychain(platform === 'darwin' ? 'keychain' : 'dpapi');
      const outcome = resolveDesktopKey({ dataDir: newDir(), safeStorage: keychain, platform, env: {} });
      expect(outcome).toMatchObject({ kind: 'key', recoveryKey: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    const unavailable = resolveDesktopKey({
      dataDir: newDir(),
      safeStorage: fakeKeychain('keychain', 7, false),
      platform: 'darwin',
      env: {},
    });
    expect(unavailable).toMatchObject({
      kind: 'folder',
      notice: expect.stringMatching(/No system keychain/),
    });
  });
});
