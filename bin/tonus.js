#!/usr/bin/env node
// The `tonus` command: runs the compiled CLI (build it with `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../build/node/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('tonus: not built yet. Run `npm run build` first.');
  process.exit(1);
}
await import(main);
