import type pg from 'pg';
import type { ServerMigration } from './server-migration.js';
import { serverMigrations } from './server-migrations/index.js';

/** Serialises concurrent `tonus server migrate` runs (any 64-bit constant unique to this purpose). */
const migrateLockKey = 7_201_700_001;

/** The server's schema version: the highest applied migration, 0 for a database Tonus never touched. */
export async function serverSchemaVersion(client: pg.Client): Promise<number> {
  const exists = await client.query("SELECT to_regclass('tonus.schema_migrations') IS NOT NULL AS e");
  if (!exists.rows[0].e) return 0;
  const r = await client.query('SELECT coalesce(max(version), 0)::int AS v FROM tonus.schema_migrations');
  return r.rows[0].v as number;
}

/**
 * Applies the server migrations newer than the database's version, each in its own transaction together with
 * its row in `tonus.schema_migrations` (then its `afterCommit` maintenance, outside the transaction), under an
 * advisory lock so two administrators cannot race. Refuses a database at a newer version than this Tonus
 * knows. Returns the versions applied.
 */
export async function migrateServer(
  client: pg.Client,
  migrations: readonly ServerMigration[] = serverMigrations,
): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [migrateLockKey]);
  try {
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS tonus;
      CREATE TABLE IF NOT EXISTS tonus.schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const current = await serverSchemaVersion(client);
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest)
      throw new Error(
        `The server is at schema version ${current}, newer than this Tonus knows (${latest}). Update Tonus.`,
      );
    const applied: number[] = [];
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.up);
        await client.query('INSERT INTO tonus.schema_migrations (version, name) VALUES ($1, $2)', [
          m.version,
          m.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Server migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      applied.push(m.version);
      if (m.afterCommit) await client.query(m.afterCommit);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrateLockKey]);
  }
}

/** Adds (or updates) a site and its login role; the role's password is set separately by the administrator. */
export async function addSite(
  client: pg.Client,
  site: { siteId: string; name: string; role: string; syncChunks: boolean },
): Promise<void> {
  await client.query('SELECT tonus.add_site($1, $2, $3, $4)', [
    site.siteId,
    site.name,
    site.role,
    site.syncChunks,
  ]);
}
