import type { ApiHandlers, MethodName } from './api-contract.js';
import { apiMethods, isMethodName } from './api-contract.js';
import { issueInWords } from './input-issue-words.js';
import type { Result } from './result.js';
import { fail, ok, toApiError } from './result.js';

/**
 * Validates `input` against the contract, runs the handler and validates its output.
 * Every binding (IPC, HTTP) calls this, so they all answer alike: `{ok, value}` or `{ok:false, error}`.
 * Never throws.
 */
export async function dispatch(
  handlers: ApiHandlers,
  method: string,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return fail('unknown-method', `There is no API method called "${method}".`);
  const spec = apiMethods[method];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${method}.${issue.path.join('.')}` : method;
    return fail('invalid-input', issue ? issueInWords(issue) : 'Invalid input.', where);
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    const value: unknown = await handler(parsed.data);
    return ok((spec.output as (typeof apiMethods)[MethodName]['output']).parse(value));
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
