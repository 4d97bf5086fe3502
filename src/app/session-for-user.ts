import type { Session } from '../shared/api/session-api.js';
import { ApiFailure } from '../shared/result.js';
import type { Db } from '../storage/database.node.js';
import { getSessionInUse, SessionNotFoundError } from '../storage/sessions.node.js';

/**
 * The session a user asked for, or a `not-found` answer in words: "There is no session 12." or, for a deleted
 * one (or one of a deleted patient), when it was deleted and how to undo it.
 */
export function sessionForUser(db: Db, sessionId: number): Session {
  try {
    return getSessionInUse(db, sessionId);
  } catch (err) {
    if (err instanceof SessionNotFoundError) throw new ApiFailure('not-found', err.message, 'sessionId');
    throw err;
  }
}
