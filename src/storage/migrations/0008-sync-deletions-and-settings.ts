import type { Migration } from '../migration.js';
import { uuidV7Sql } from './0007-sync-identity.js';

const nowMs = "unixepoch('subsec') * 1000";
const notApplying = '(SELECT applying FROM sync_identity WHERE id = 1) = 0';
const myWorkstation = '(SELECT workstation_id FROM sync_identity WHERE id = 1)';
const stamp = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/**
 * What the first sync identity left local (issue 17, sync gaps):
 * - a delete or undo of a patient or session (`deletion_audit`, migration 0006) becomes a synced event: it
 *   gets a UUID v7 and its workstation id, and is queued as `deletion_audit` when written here (a purge is
 *   local and never queued); existing deletes and undos are backfilled from their own times and queued;
 * - a patient's PK settings (`patient_pk_settings`, one row per patient) are queued by patient id when
 *   written here; existing ones are queued;
 * - this workstation's completed sessions are queued once more, so their analysis events and end reason,
 *   which the server learns from server migration 0005 on, reach it (a session push is idempotent).
 * - a session's note, the one thing a user edits after a session is complete, gets the time of its last edit
 *   here (`note_updated_at`, set by a trigger), so notes edited on two workstations settle by last writer;
 * - what this workstation knows of raw signals it did not record: whether its site syncs raw sample chunks
 *   (`sync_identity.site_sync_chunks`, null before the first sync) and, per session recorded elsewhere, how
 *   many chunks the server held at the last sync (`remote_chunk_counts`), so a review can say in words where
 *   the signals are.
 * Rows written by a pull (`applying`) are not queued back.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'sync-deletions-and-settings',
  up: `
    ALTER TABLE sync_identity ADD COLUMN site_sync_chunks INTEGER
      CHECK (site_sync_chunks IS NULL OR site_sync_chunks IN (0, 1));
    CREATE TABLE remote_chunk_counts (
      session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
      server_chunks INTEGER NOT NULL CHECK (server_chunks >= 0),
      checked_at TEXT NOT NULL
    ) STRICT;

    ALTER TABLE sessions ADD COLUMN note_updated_at TEXT;
    CREATE TRIGGER sessions_note_edited AFTER UPDATE OF note ON sessions
      WHEN NEW.note IS NOT OLD.note AND NEW.status <> 'recording' AND ${notApplying} BEGIN
      UPDATE sessions SET note_updated_at = ${stamp} WHERE id = NEW.id;
    END;

    ALTER TABLE deletion_audit ADD COLUMN uuid TEXT;
    ALTER TABLE deletion_audit ADD COLUMN workstation_id TEXT;
    UPDATE deletion_audit SET uuid = ${uuidV7Sql('at_ms')}, workstation_id = ${myWorkstation};
    CREATE UNIQUE INDEX deletion_audit_uuid ON deletion_audit (uuid);
    CREATE INDEX deletion_audit_entity ON deletion_audit (entity, entity_id);
    CREATE TRIGGER deletion_audit_identity AFTER INSERT ON deletion_audit WHEN NEW.uuid IS NULL BEGIN
      UPDATE deletion_audit SET uuid = ${uuidV7Sql(nowMs)},
        workstation_id = coalesce(NEW.workstation_id, ${myWorkstation}) WHERE id = NEW.id;
    END;
    CREATE TRIGGER deletion_audit_outbox_insert AFTER INSERT ON deletion_audit
      WHEN NEW.action IN ('delete', 'undo') AND ${notApplying} BEGIN
      INSERT INTO sync_outbox (entity, local_id, enqueued_at) VALUES ('deletion_audit', NEW.id, ${stamp})
        ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;
    END;
    INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      SELECT 'deletion_audit', id, ${stamp} FROM deletion_audit WHERE action IN ('delete', 'undo');

    CREATE TRIGGER patient_pk_settings_outbox_insert AFTER INSERT ON patient_pk_settings WHEN ${notApplying} BEGIN
      INSERT INTO sync_outbox (entity, local_id, enqueued_at) VALUES ('patient_pk_settings', NEW.patient_id, ${stamp})
        ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;
    END;
    CREATE TRIGGER patient_pk_settings_outbox_update AFTER UPDATE ON patient_pk_settings WHEN ${notApplying} BEGIN
      INSERT INTO sync_outbox (entity, local_id, enqueued_at) VALUES ('patient_pk_settings', NEW.patient_id, ${stamp})
        ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;
    END;
    INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      SELECT 'patient_pk_settings', patient_id, ${stamp} FROM patient_pk_settings WHERE true
      ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;

    INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      SELECT 'sessions', id, ${stamp} FROM sessions
       WHERE status <> 'recording' AND workstation_id = ${myWorkstation}
      ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;
  `,
};
