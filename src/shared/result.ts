/** Error codes every binding of the API can return; stable strings that UI and scripts may switch on. */
export type ApiErrorCode =
  | 'invalid-input'
  | 'unknown-method'
  | 'untrusted-sender'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'device-error'
  | 'internal';

/** A serialisable error: `message` is written for the person who will read it, `where` names the place. */
export interface ApiError {
  code: ApiErrorCode;
  message: string;
  where?: string;
}

/** The envelope every API call answers with, over IPC and HTTP alike. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ApiErrorCode, message: string, where?: string): Result<never> => ({
  ok: false,
  error: where === undefined ? { code, message } : { code, message, where },
});

/** Thrown by services to produce a specific {@link ApiError}; anything else becomes `internal`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Converts anything thrown by a service into an {@link ApiError} without leaking stack traces. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) {
    return err.where === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, where: err.where };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
