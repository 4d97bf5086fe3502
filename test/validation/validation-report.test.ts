import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/app/paths.js';
import { buildValidationReport } from './validation-report.js';

describe('docs/validation.md', () => {
  it('is what a fresh `npm run validate` writes (run it and commit the result when this fails)', async () => {
    const fresh = await buildValidationReport();
    const committed = readFileSync(join(packageRoot(), 'docs', 'validation.md'), 'utf8');
    expect(fresh.split('\n')).toEqual(committed.split('\n'));
  }, 900_000);
});
