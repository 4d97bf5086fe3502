import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';
import { buildValidationReport } from './validation-report.js';

/** `npm run validate`: regenerates docs/validation.md (or the path given as the first argument). */
const out = process.argv[2] ?? join(packageRoot(), 'docs', 'validation.md');
writeFileSync(out, await buildValidationReport());
console.log(`wrote ${out}`);
