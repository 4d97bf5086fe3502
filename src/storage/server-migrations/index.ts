import type { ServerMigration } from '../server-migration.js';
import { serverMigration0001 } from './0001-sync-core.js';
import { serverMigration0002 } from './0002-site-security.js';
import { serverMigration0003 } from './0003-study-and-cohort.js';
import { serverMigration0004 } from './0004-cohort-fast-path.js';
import { serverMigration0005 } from './0005-sync-deletions-and-settings.js';
import { serverMigration0006 } from './0006-cohort-without-deleted.js';

/** Every server migration, in order. Append; never edit one that has shipped. */
export const serverMigrations: readonly ServerMigration[] = [
  serverMigration0001,
  serverMigration0002,
  serverMigration0003,
  serverMigration0004,
  serverMigration0005,
  serverMigration0006,
];
