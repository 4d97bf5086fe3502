import type { Migration } from './migration.js';

/** A numbered change of the server schema. */
export interface ServerMigration extends Migration {
  /**
   * SQL that PostgreSQL refuses inside a transaction (VACUUM), run once right after the migration has
   * committed. It may only make the server faster, never change what it holds: if it is interrupted, the
   * migration stays applied and the statement can be run by hand.
   */
  afterCommit?: string;
}
