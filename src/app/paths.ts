import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Tonus's package.json, found by walking up from this file (source or build). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'tonus'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Tonus's package.json above ${from}`);
    dir = parent;
  }
}

/** The built renderer (index.html and assets), produced by `npm run build`. */
export const rendererBuildDir = (): string => join(packageRoot(), 'build', 'renderer');
