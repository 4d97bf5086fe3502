import type { ApiHandlers } from '../../src/shared/api-contract.js';
import { methodNames } from '../../src/shared/api-contract.js';

/**
 * Handlers for binding tests: the given ones, and for every other method of the contract one that fails
 * loudly, so that adding methods to the contract does not break tests of the bindings.
 */
export function handlersWith(overrides: Partial<ApiHandlers>): ApiHandlers {
  const all: Record<string, unknown> = {};
  for (const name of methodNames) {
    all[name] =
      overrides[name] ??
      (async () => {
        throw new Error(`${name} is not part of this test`);
      });
  }
  return all as ApiHandlers;
}
