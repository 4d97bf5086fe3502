import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { flipTonusFuses, packagedElectronPath, TONUS_FUSES } from '../../scripts/electron-fuses.js';

/**
 * A stand-in for the packaged Electron binary: bytes around the fuse wire as Electron lays it out (the
 * sentinel, wire version 1, wire length 9, then one byte per fuse in Electron's defaults: RunAsNode,
 * cookie encryption off, NODE_OPTIONS, inspect on, ASAR integrity and ASAR-only off, …).
 */
function fakeElectronBinary(dir: string, name: string): string {
  const file = join(dir, name);
  const defaults = [
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
    FuseState.ENABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.DISABLE,
    FuseState.ENABLE,
  ];
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.alloc(4096, 0x90),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, defaults.length, ...defaults]),
      Buffer.alloc(4096, 0x90),
    ]),
  );
  return file;
}

const context = (appOutDir: string, electronPlatformName: string, arch = 1) => ({
  appOutDir,
  electronPlatformName,
  arch,
  packager: { appInfo: { productFilename: 'Tonus' }, executableName: 'tonus' },
});

describe('Electron fuses at packaging', () => {
  it('turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on ASAR integrity, ASAR-only and cookie encryption', () => {
    expect(TONUS_FUSES).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    });
  });

  it('flips the fuse wire of the packaged Linux binary with @electron/fuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-fuses-'));
    const binary = fakeElectronBinary(dir, 'tonus');
    const before = await getCurrentFuseWire(binary);
    expect(before[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE);
    await flipTonusFuses(context(dir, 'linux'));
    const wire = await getCurrentFuseWire(binary);
    expect(wire).toMatchObject({
      [FuseV1Options.RunAsNode]: FuseState.DISABLE,
      [FuseV1Options.EnableCookieEncryption]: FuseState.ENABLE,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
      [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
      [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
    });
  });

  it('finds the binary on every platform and resets the ad hoc signature only for arm64 macOS', async () => {
    expect(packagedElectronPath(context('/out', 'linux'))).toBe('/out/tonus');
    expect(packagedElectronPath(context('/out', 'win32'))).toBe('/out/Tonus.exe');
    expect(packagedElectronPath(context('/out', 'darwin'))).toBe('/out/Tonus.app');
    const calls: [string, boolean | undefined][] = [];
    const flip = async (path: string, config: { resetAdHocDarwinSignature?: boolean }): Promise<number> => {
      calls.push([path, config.resetAdHocDarwinSignature]);
      return 0;
    };
    await flipTonusFuses(context('/out', 'darwin', 3), flip);
    await flipTonusFuses(context('/out', 'darwin', 1), flip);
    await flipTonusFuses(context('/out', 'win32', 3), flip);
    expect(calls).toEqual([
      ['/out/Tonus.app', true],
      ['/out/Tonus.app', false],
      ['/out/Tonus.exe', false],
    ]);
  });
});
