import type { TonusApp } from '../../src/app/tonus-app.js';
import { dispatch } from '../../src/shared/dispatch.js';

/**
 * Calls one API method on an app the test created, through the same dispatch the shells use; the value, or an
 * error naming the method, the error code and its message.
 */
export async function callApi<T>(
  app: Pick<TonusApp, 'handlers'> | undefined,
  method: string,
  input: unknown,
): Promise<T> {
  if (!app) throw new Error(`${method}: no app`);
  const r = await dispatch(app.handlers, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/**
 * Polls `done` every 25 ms until it holds; fails after `timeoutMs` with what was awaited (a function is asked
 * only then, so it can describe the state at the time).
 */
export async function until(
  done: () => boolean,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
