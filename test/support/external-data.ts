import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';

/**
 * The folder of real recordings from public sources (../shared/data/external beside the checkout, as on the
 * team's machines and in CI), found by walking up from the package root; undefined where it is absent.
 */
export function externalDataDir(): string | undefined {
  let dir = dirname(packageRoot());
  for (;;) {
    const candidate = join(dir, 'shared', 'data', 'external');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Like {@link externalDataDir}, for tests that need the recordings: a clear error where they are absent. */
export function requireExternalDataDir(): string {
  const dir = externalDataDir();
  if (!dir)
    throw new Error('The shared recordings (../shared/data/external beside the checkout) are missing.');
  return dir;
}
