import type { Migration } from '../migration.js';

/**
 * Why a live recording ended: `end_reason` is one of `user` (stopped by the user), `duration` (its set time ran
 * out), `device-lost` (the device went away and did not come back), `no-data` (nothing was stored),
 * `shutdown` (the app closed while recording) or `crash` (the process died; found at the next start).
 * `end_detail` is the human sentence behind it (the device's last error, what was refused). Both stay null for
 * sessions that ended before this migration and for imports. Adding nullable columns keeps every row as it is.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'session-end-reason',
  up: `
    ALTER TABLE sessions ADD COLUMN end_reason TEXT CHECK (
      end_reason IS NULL OR end_reason IN ('user', 'duration', 'device-lost', 'no-data', 'shutdown', 'crash')
    );
    ALTER TABLE sessions ADD COLUMN end_detail TEXT;
  `,
};
