import type { Migration } from '../migration.js';

/**
 * Delete with undo: patients and sessions get `deleted_at_ms` (null while they are in use; a deleted one is
 * hidden everywhere and purged 30 days later), and every delete, undo and purge is written to
 * `deletion_audit` with what was deleted in words. Partial indexes find the deleted rows for the purge.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'soft-delete',
  up: `
    ALTER TABLE patients ADD COLUMN deleted_at_ms REAL;
    ALTER TABLE sessions ADD COLUMN deleted_at_ms REAL;
    CREATE INDEX patients_deleted ON patients (deleted_at_ms) WHERE deleted_at_ms IS NOT NULL;
    CREATE INDEX sessions_deleted ON sessions (deleted_at_ms) WHERE deleted_at_ms IS NOT NULL;
    CREATE TABLE deletion_audit (
      id INTEGER PRIMARY KEY,
      entity TEXT NOT NULL CHECK (entity IN ('patient', 'session')),
      entity_id INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('delete', 'undo', 'purge')),
      at_ms REAL NOT NULL,
      description TEXT NOT NULL
    ) STRICT;
  `,
};
