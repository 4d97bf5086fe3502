import type { Migration } from '../migration.js';

/**
 * Marker kind `pause`: a span in which the user paused a recording (no samples stored on purpose, not a loss).
 * SQLite cannot change a CHECK constraint in place, so the markers table is rebuilt with the wider CHECK,
 * keeping every row with its id, and its index is recreated. Nothing references `markers`, so the rebuild
 * needs no foreign-key juggling.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'pause-markers',
  up: `
    CREATE TABLE markers_0004 (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      time_ms REAL NOT NULL,
      duration_ms REAL,
      kind TEXT NOT NULL CHECK (kind IN ('marker', 'protocol-step', 'gap', 'dose', 'note', 'pause')),
      text TEXT NOT NULL
    ) STRICT;
    INSERT INTO markers_0004 (id, session_id, time_ms, duration_ms, kind, text)
      SELECT id, session_id, time_ms, duration_ms, kind, text FROM markers;
    DROP TABLE markers;
    ALTER TABLE markers_0004 RENAME TO markers;
    CREATE INDEX markers_session_time ON markers (session_id, time_ms);
  `,
};
