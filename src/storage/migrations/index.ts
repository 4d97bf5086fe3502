import type { Migration } from '../migration.js';
import { migration0001 } from './0001-app-meta.js';
import { migration0002 } from './0002-recording-core.js';
import { migration0003 } from './0003-dosing-and-trends.js';
import { migration0004 } from './0004-pause-markers.js';
import { migration0005 } from './0005-session-end-reason.js';
import { migration0006 } from './0006-soft-delete.js';
import { migration0007 } from './0007-sync-identity.js';
import { migration0008 } from './0008-sync-deletions-and-settings.js';

/** Every migration, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
];
