import type { Migration } from '../migration.js';
import { migration0001 } from './0001-app-meta.js';

/** Every migration, in order. Append; never edit one that has shipped. */
export const migrations: readonly Migration[] = [migration0001];
