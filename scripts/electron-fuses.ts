/**
 * electron-builder `afterPack` hook (electron-builder.yml): flips the Electron fuses of the packaged binary
 * with @electron/fuses before it is signed. Off: running as plain Node (`ELECTRON_RUN_AS_NODE`),
 * `NODE_OPTIONS`, `--inspect` arguments. On: embedded ASAR integrity validation, loading the app only from
 * its ASAR, cookie encryption. Every fuse of the wire is set explicitly, so a fuse a newer Electron adds
 * fails the build until it is decided here.
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/** The fuse settings of Tonus's desktop binary. */
export const TONUS_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Kept as Electron ships them: no separate browser-process snapshot, file:// gets no extra privileges
  // (the app uses its own tonus:// protocol), WebAssembly trap handlers stay on.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
} as const satisfies FuseV1Config;

/** The parts of electron-builder's `AfterPackContext` this hook reads. */
export interface AfterPackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  /** electron-builder's `Arch` enum: 3 is arm64. */
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

const ARCH_ARM64 = 3;

/** The packaged Electron binary (the `.app` bundle on macOS) inside `appOutDir`. */
export function packagedElectronPath(context: AfterPackContextLike): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName ?? name.toLowerCase());
  }
}

/** Flips {@link TONUS_FUSES} in the packaged binary; `flip` is @electron/fuses' `flipFuses` unless injected. */
export async function flipTonusFuses(
  context: AfterPackContextLike,
  flip: typeof flipFuses = flipFuses,
): Promise<void> {
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flip(packagedElectronPath(context), {
    ...TONUS_FUSES,
    // An arm64 macOS binary must keep a valid (ad hoc) signature after its bytes change.
    resetAdHocDarwinSignature: darwin && context.arch === ARCH_ARM64,
  });
}

export default flipTonusFuses;
