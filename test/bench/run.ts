import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench } from './harness.js';
import { formatResult } from './harness.js';

/**
 * `npm run bench`: runs every `*.bench.js` next to this file (optionally only those whose file name contains
 * one of the arguments) and prints throughput with a ratio against a baseline measured in the same run.
 */
const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

console.log(`Tonus benchmarks on Node ${process.version}, ${new Date().toISOString()}`);
let failed = 0;
for (const file of files) {
  const { bench } = (await import(pathToFileURL(join(here, file)).href)) as { bench: Bench };
  console.log(`\n# ${bench.name} (${file})`);
  try {
    for (const result of await bench.run()) console.log(formatResult(result));
  } catch (err) {
    failed++;
    console.error(`  failed: ${err instanceof Error ? err.stack : String(err)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
