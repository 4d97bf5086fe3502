import type { Migration } from '../migration.js';

/** Key/value settings of the installation (mains frequency, theme, ...). */
export const migration0001: Migration = {
  version: 1,
  name: 'app-meta',
  up: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY NOT NULL,
      value_json TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
