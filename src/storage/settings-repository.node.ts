import type { Db } from './database.node.js';

/**
 * Key/value settings stored as JSON. `read` returns only keys that are stored; callers merge defaults.
 * `write` replaces the given keys in one transaction.
 */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  read(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value_json FROM settings').all() as {
      key: string;
      value_json: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value_json) as unknown]));
  }

  write(values: Record<string, unknown>, nowIso: string = new Date().toISOString()): void {
    const upsert = this.db.prepare(
      `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    );
    this.db
      .transaction(() => {
        for (const [key, value] of Object.entries(values)) {
          if (value !== undefined) upsert.run(key, JSON.stringify(value), nowIso);
        }
      })
      .immediate();
  }
}
