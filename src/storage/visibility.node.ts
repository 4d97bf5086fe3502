import type { Db } from './database.node.js';
import { KEEP_DELETED_MS } from './deletions.node.js';
import { statement } from './statements.node.js';

/**
 * SQL condition: the session aliased `alias` is in use, i.e. neither it nor its patient is deleted (a deleted
 * patient hides all of its sessions). Every query that shows sessions to a user filters with it.
 */
export const sessionInUse = (alias: string): string =>
  `(${alias}.deleted_at_ms IS NULL AND NOT EXISTS (SELECT 1 FROM patients deleted_p
     WHERE deleted_p.id = ${alias}.patient_id AND deleted_p.deleted_at_ms IS NOT NULL))`;

/** SQL condition: the patient aliased `alias` is in use (not deleted). */
export const patientInUse = (alias: string): string => `${alias}.deleted_at_ms IS NULL`;

/** "2026-12-05 10:10 UTC": the instant of a deletion in the command line's and server's words. */
const utcWords = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const undoWords = (entity: 'patient' | 'session', id: number, deletedAtMs: number): string =>
  `it is kept until ${utcWords(deletedAtMs + KEEP_DELETED_MS)}; undo with \`tonus undo ${entity} ${id}\` or Undo in the app`;

/**
 * Why a session cannot be shown because it (or its patient) is deleted, in words with the date and how to
 * undo it ("Session 12 was deleted on 2026-12-05 10:10 UTC; it is kept until …; undo with `tonus undo session
 * 12` …"); undefined when the session is in use or does not exist at all.
 */
export function deletedSessionWords(db: Db, sessionId: number): string | undefined {
  const r = statement(
    db,
    `SELECT s.deleted_at_ms AS s_ms, p.id AS p_id, p.code AS p_code, p.deleted_at_ms AS p_ms
       FROM sessions s LEFT JOIN patients p ON p.id = s.patient_id WHERE s.id = ?`,
  ).get(sessionId) as
    { s_ms: number | null; p_id: number | null; p_code: string | null; p_ms: number | null } | undefined;
  if (!r) return undefined;
  if (r.s_ms !== null)
    return `Session ${sessionId} was deleted on ${utcWords(r.s_ms)}; ${undoWords('session', sessionId, r.s_ms)}.`;
  if (r.p_ms !== null && r.p_id !== null)
    return `Session ${sessionId} belongs to patient ${r.p_code ?? r.p_id}, deleted on ${utcWords(r.p_ms)}; ${undoWords('patient', r.p_id, r.p_ms)}.`;
  return undefined;
}

/** Like {@link deletedSessionWords} for a patient: the date of its deletion and how to undo it. */
export function deletedPatientWords(db: Db, patientId: number): string | undefined {
  const r = statement(db, 'SELECT code, deleted_at_ms FROM patients WHERE id = ?').get(patientId) as
    { code: string; deleted_at_ms: number | null } | undefined;
  if (!r || r.deleted_at_ms === null) return undefined;
  return `Patient ${r.code} was deleted on ${utcWords(r.deleted_at_ms)}; ${undoWords('patient', patientId, r.deleted_at_ms)}.`;
}

/** SQL condition: the session whose id is in `column` (of a table that refers to sessions) is in use. */
export const sessionIdInUse = (column: string): string =>
  `EXISTS (SELECT 1 FROM sessions in_use_s WHERE in_use_s.id = ${column} AND ${sessionInUse('in_use_s')})`;
