import type { Migration } from '../migration.js';

/**
 * SQL for a UUID version 7 (RFC 9562): 48 bits of Unix milliseconds from `msExpr`, the version nibble 7,
 * 12 random bits, the variant bits 10, 62 random bits; lower-case hex with dashes.
 */
export function uuidV7Sql(msExpr: string): string {
  const hexMs = `printf('%012x', CAST(${msExpr} AS INTEGER))`;
  return `lower(substr(${hexMs}, 1, 8) || '-' || substr(${hexMs}, 9, 4) || '-7' ||
    substr(hex(randomblob(2)), 2, 3) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
    substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))`;
}

const nowMs = "unixepoch('subsec') * 1000";

/** Synced tables with their own identity, and the time each existing row's UUID is made from. */
const identified: ReadonlyArray<{ table: string; backfillMs: string }> = [
  { table: 'patients', backfillMs: "unixepoch(created_at, 'subsec') * 1000" },
  { table: 'sessions', backfillMs: 'start_time_ms' },
  { table: 'markers', backfillMs: 'time_ms' },
  { table: 'analyses', backfillMs: "unixepoch(created_at, 'subsec') * 1000" },
  { table: 'dose_events', backfillMs: "unixepoch(created_at, 'subsec') * 1000" },
  { table: 'dose_audit', backfillMs: "unixepoch(changed_at, 'subsec') * 1000" },
  { table: 'regimens', backfillMs: "unixepoch(created_at, 'subsec') * 1000" },
  { table: 'side_effects', backfillMs: "unixepoch(created_at, 'subsec') * 1000" },
];

const notApplying = '(SELECT applying FROM sync_identity WHERE id = 1) = 0';

function enqueue(entity: string, idExpr: string): string {
  return `INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      VALUES ('${entity}', ${idExpr}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ON CONFLICT (entity, local_id) DO UPDATE SET version = version + 1;`;
}

/** Top-level entities pushed on their own when inserted or changed. */
const ownEntities = ['patients', 'dose_events', 'dose_audit', 'regimens', 'side_effects'];

/** Tables whose rows travel with their session: a change re-queues the session. */
const sessionParts = ['markers', 'analyses', 'session_dose_context', 'session_indicators'];

/**
 * Global identity and the sync outbox (issue 17). Every synced row gets a UUID v7 and the id of the
 * workstation that made it, set by triggers at insert (existing rows are backfilled from their own times), so
 * no repository changes and recording never waits: local integer ids stay local and nothing here touches the
 * network. `sync_identity` holds this workstation's id, the pull cursor and the last sync outcome;
 * `sync_outbox` lists what changed since the last push, one row per entity with a version the pusher compares
 * before removing it; rows that exist when this migration runs are queued, so the first sync sends them. A pull sets `applying` inside its transaction so the rows it writes are not queued back.
 * Sample chunks have no trigger: they travel with their completed session.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'sync-identity',
  up: `
    CREATE TABLE sync_identity (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      workstation_id TEXT NOT NULL,
      site_id TEXT,
      applying INTEGER NOT NULL DEFAULT 0 CHECK (applying IN (0, 1)),
      pull_cursor INTEGER NOT NULL DEFAULT 0,
      last_attempt_at TEXT,
      last_success_at TEXT,
      last_error TEXT
    ) STRICT;
    INSERT INTO sync_identity (id, workstation_id) VALUES (1, ${uuidV7Sql(nowMs)});

    CREATE TABLE sync_outbox (
      entity TEXT NOT NULL,
      local_id INTEGER NOT NULL,
      version INTEGER NOT NULL DEFAULT 1,
      enqueued_at TEXT NOT NULL,
      PRIMARY KEY (entity, local_id)
    ) STRICT;

    ${identified
      .map(
        ({ table, backfillMs }) => `
    ALTER TABLE ${table} ADD COLUMN uuid TEXT;
    ALTER TABLE ${table} ADD COLUMN workstation_id TEXT;
    UPDATE ${table} SET uuid = ${uuidV7Sql(backfillMs)},
      workstation_id = (SELECT workstation_id FROM sync_identity WHERE id = 1);
    CREATE UNIQUE INDEX ${table}_uuid ON ${table} (uuid);
    CREATE TRIGGER ${table}_identity AFTER INSERT ON ${table} WHEN NEW.uuid IS NULL BEGIN
      UPDATE ${table} SET uuid = ${uuidV7Sql(nowMs)},
        workstation_id = coalesce(NEW.workstation_id, (SELECT workstation_id FROM sync_identity WHERE id = 1))
        WHERE id = NEW.id;
    END;`,
      )
      .join('\n')}

    ${ownEntities
      .map(
        (t) => `
    INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      SELECT '${t}', id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM ${t};`,
      )
      .join('\n')}
    INSERT INTO sync_outbox (entity, local_id, enqueued_at)
      SELECT 'sessions', id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM sessions WHERE status <> 'recording';

    ${ownEntities
      .map(
        (t) => `
    CREATE TRIGGER ${t}_outbox_insert AFTER INSERT ON ${t} WHEN ${notApplying} BEGIN
      ${enqueue(t, 'NEW.id')}
    END;
    CREATE TRIGGER ${t}_outbox_update AFTER UPDATE ON ${t} WHEN ${notApplying} BEGIN
      ${enqueue(t, 'NEW.id')}
    END;`,
      )
      .join('\n')}

    CREATE TRIGGER sessions_outbox_insert AFTER INSERT ON sessions
      WHEN NEW.status <> 'recording' AND ${notApplying} BEGIN
      ${enqueue('sessions', 'NEW.id')}
    END;
    CREATE TRIGGER sessions_outbox_update AFTER UPDATE ON sessions
      WHEN NEW.status <> 'recording' AND ${notApplying} BEGIN
      ${enqueue('sessions', 'NEW.id')}
    END;
    ${sessionParts
      .map(
        (t) => `
    CREATE TRIGGER ${t}_outbox_insert AFTER INSERT ON ${t} WHEN ${notApplying} BEGIN
      ${enqueue('sessions', 'NEW.session_id')}
    END;
    CREATE TRIGGER ${t}_outbox_update AFTER UPDATE ON ${t} WHEN ${notApplying} BEGIN
      ${enqueue('sessions', 'NEW.session_id')}
    END;`,
      )
      .join('\n')}
  `,
};
