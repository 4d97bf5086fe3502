import type { ApiHandlers } from '../../../src/shared/api-contract.js';
import { methodNames } from '../../../src/shared/api-contract.js';

/**
 * A handler for every method of the contract that rejects with "not used in this test". Tests that fake
 * only a few methods spread this first, so that they keep compiling as domains add methods.
 */
// Object.fromEntries forgets the key types; every method name is covered by construction.
export const unusedHandlers = Object.fromEntries(
  methodNames.map((m) => [
    m,
    async () => {
      throw new Error(`${m} is not used in this test.`);
    },
  ]),
) as unknown as ApiHandlers;
