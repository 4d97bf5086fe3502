import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database.node.js';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on `db`, prepared once per connection and reused. */
export function statement(db: Db, sql: string): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}

/** Now as ISO 8601 text, for audit columns. */
export const isoNow = (): string => new Date().toISOString();
