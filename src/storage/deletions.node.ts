import type { Db } from './database.node.js';
import { statement } from './statements.node.js';

/** How long a deleted patient or session is kept for undo before it is purged, ms (30 days). */
export const KEEP_DELETED_MS = 30 * 86_400_000;

export type DeletedEntity = 'patient' | 'session';

/** A patient or session deleted and not yet purged. */
export interface DeletedItem {
  entity: DeletedEntity;
  id: number;
  deletedAtMs: number;
  /** What it was, in words without dates ("Patient P-014 with 2 sessions", "Session of P-014"). */
  description: string;
  /** A session's start, ms since the epoch, for the screen to write in its own format; null for a patient. */
  sessionStartMs: number | null;
  /** When it will be purged, ms since the epoch. */
  purgeAtMs: number;
}

const TABLE: Record<DeletedEntity, 'patients' | 'sessions'> = { patient: 'patients', session: 'sessions' };

function audit(db: Db, entity: DeletedEntity, id: number, action: string, atMs: number, text: string): void {
  statement(
    db,
    'INSERT INTO deletion_audit (entity, entity_id, action, at_ms, description) VALUES (?, ?, ?, ?, ?)',
  ).run(entity, id, action, atMs, text);
}

/**
 * Marks a patient (with all its sessions, which are hidden with it) or a session deleted at `nowMs`, with
 * an audit entry; returns false when there is no such row or it is deleted already. Nothing is removed until
 * {@link purgeDeleted}.
 */
export function softDelete(
  db: Db,
  entity: DeletedEntity,
  id: number,
  description: string,
  nowMs: number,
): boolean {
  return db
    .transaction(() => {
      const changed = statement(
        db,
        `UPDATE ${TABLE[entity]} SET deleted_at_ms = ? WHERE id = ? AND deleted_at_ms IS NULL`,
      ).run(nowMs, id).changes;
      if (changed === 0) return false;
      audit(db, entity, id, 'delete', nowMs, description);
      return true;
    })
    .immediate();
}

/** Undoes a delete (before the purge), with an audit entry; false when it is not deleted (or purged). */
export function undoDelete(db: Db, entity: DeletedEntity, id: number, nowMs: number): boolean {
  return db
    .transaction(() => {
      const item = listDeleted(db).find((d) => d.entity === entity && d.id === id);
      if (!item) return false;
      statement(db, `UPDATE ${TABLE[entity]} SET deleted_at_ms = NULL WHERE id = ?`).run(id);
      audit(db, entity, id, 'undo', nowMs, item.description);
      return true;
    })
    .immediate();
}

/** Deleted patients and sessions not yet purged, newest deletion first, with what they were. */
export function listDeleted(db: Db): DeletedItem[] {
  const rows = statement(
    db,
    `SELECT entity, id, deleted_at_ms, start_ms,
            (SELECT description FROM deletion_audit a
              WHERE a.entity = x.entity AND a.entity_id = x.id AND a.action = 'delete'
              ORDER BY a.id DESC LIMIT 1) AS description
       FROM (SELECT 'patient' AS entity, id, deleted_at_ms, NULL AS start_ms FROM patients
              WHERE deleted_at_ms IS NOT NULL
             UNION ALL
             SELECT 'session', id, deleted_at_ms, start_time_ms FROM sessions WHERE deleted_at_ms IS NOT NULL) x
      ORDER BY deleted_at_ms DESC, id DESC`,
  ).all() as {
    entity: DeletedEntity;
    id: number;
    deleted_at_ms: number;
    start_ms: number | null;
    description: string | null;
  }[];
  return rows.map((r) => ({
    entity: r.entity,
    id: r.id,
    deletedAtMs: r.deleted_at_ms,
    sessionStartMs: r.start_ms,
    description: r.description ?? `${r.entity === 'patient' ? 'Patient' : 'Session'} ${r.id}`,
    purgeAtMs: r.deleted_at_ms + KEEP_DELETED_MS,
  }));
}

/**
 * Removes for good what was deleted more than {@link KEEP_DELETED_MS} before `nowMs`: sessions (with their
 * samples, markers, analyses and indicator values), then patients (with every session, dose entry, regimen,
 * side effect and setting of theirs). Each purge gets an audit entry; returns how many rows were purged.
 */
export function purgeDeleted(db: Db, nowMs: number): { patients: number; sessions: number } {
  return db
    .transaction(() => {
      const before = nowMs - KEEP_DELETED_MS;
      const due = listDeleted(db).filter((d) => d.deletedAtMs < before);
      let sessions = 0;
      let patients = 0;
      for (const d of due.filter((x) => x.entity === 'session')) {
        sessions += statement(db, 'DELETE FROM sessions WHERE id = ?').run(d.id).changes;
        audit(db, 'session', d.id, 'purge', nowMs, d.description);
      }
      for (const d of due.filter((x) => x.entity === 'patient')) {
        sessions += statement(db, 'DELETE FROM sessions WHERE patient_id = ?').run(d.id).changes;
        patients += statement(db, 'DELETE FROM patients WHERE id = ?').run(d.id).changes;
        audit(db, 'patient', d.id, 'purge', nowMs, d.description);
      }
      return { patients, sessions };
    })
    .immediate();
}
