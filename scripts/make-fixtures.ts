/**
 * Regenerates fixtures/*.bdf: `npx tsc -b && node build/node/scripts/make-fixtures.js`.
 * The demo sessions are deterministic, so a rerun reproduces them byte for byte.
 */
import { copyFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeRecordingFile } from '../src/io/read-recording.node.js';
import { demoFixtures, demoRecording, uciRecording } from './fixtures/demo-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = join(root, 'fixtures');
const external = join(fixtures, 'external');

for (const f of demoFixtures) {
  const path = join(fixtures, f.file);
  writeRecordingFile(path, demoRecording(f), 'bdf');
  console.log(`${f.file}  ${statSync(path).size} bytes`);
}

const uci = join(external, 'uci-lower-limb');
const name = '3Asen';
const path = join(fixtures, `uci-lower-limb-${name}.bdf`);
writeRecordingFile(
  path,
  uciRecording(join(uci, `${name}.csv`), name, 'UCI subject 3 (knee abnormality), seated knee extension'),
  'bdf',
);
copyFileSync(join(uci, 'SOURCE-README.txt'), join(fixtures, 'uci-lower-limb-LICENSE.txt'));
console.log(`${path}  ${statSync(path).size} bytes`);
