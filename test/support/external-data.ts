import { join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';

/**
 * The folder of real recordings from public sources, vendored in the repository with their provenance and
 * licences (`fixtures/external/README.md`), so that a bare clone runs every test that reads them.
 */
export function externalDataDir(): string {
  return join(packageRoot(), 'fixtures', 'external');
}
