import type { Db } from './database.node.js';
import type { ServerConnection } from './server-connection.node.js';
import { connectServer } from './server-connection.node.js';
import { describeSyncError } from './sync-errors.js';
import { pullChunks } from './sync-chunks-pull.node.js';
import { pullChanges } from './sync-pull.node.js';
import { sessionsWithoutSignals } from './remote-signals.node.js';
import type { SyncPeer } from './sync-push.node.js';
import { outboxEntries, pushEntries } from './sync-push.node.js';

/** Where this workstation stands with the server, from the local store alone (no network). */
export interface SyncStatus {
  workstationId: string;
  /** The site this workstation syncs as, once a sync has reached the server. */
  siteId: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  /** The last sync's failure in words; null after a success. */
  lastError: string | null;
  /** Changes recorded here and not yet on the server. */
  pending: number;
  /** Sessions recorded on other workstations whose signals are not (all) on this one. */
  sessionsWithoutSignals: number;
}

/** The outcome of one sync run. */
export interface SyncReport {
  pushed: number;
  pulled: number;
  pending: number;
  /** Local ids of patients whose dose log changed in the pull: recompute their sessions' dose context. */
  doseLogPatients: number[];
  /** Raw sample chunks of sessions recorded elsewhere downloaded by this run (sites that sync raw data). */
  chunksPulled: number;
  /** In words; absent when the run succeeded. */
  error?: string;
}

/** This workstation's sync status. Cheap: two local queries. */
export function syncStatus(db: Db): SyncStatus {
  const r = db
    .prepare(
      'SELECT workstation_id, site_id, last_attempt_at, last_success_at, last_error FROM sync_identity WHERE id = 1',
    )
    .get() as Record<string, string | null>;
  return {
    workstationId: String(r.workstation_id),
    siteId: r.site_id ?? null,
    lastAttemptAt: r.last_attempt_at ?? null,
    lastSuccessAt: r.last_success_at ?? null,
    lastError: r.last_error ?? null,
    pending: db.prepare('SELECT count(*) FROM sync_outbox').pluck().get() as number,
    sessionsWithoutSignals: sessionsWithoutSignals(db),
  };
}

const countWords = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Options of {@link runSync}. */
export interface RunSyncOptions {
  /** Called after each pushed change, e.g. for a progress bar. */
  onPushed?: (done: number, total: number) => void;
}

/**
 * One sync: connect (TLS verify-full) as the site's role, register this workstation, push every queued change
 * in dependency order (in server transactions, removed from the outbox only after they commit),
 * then pull what other workstations of the site changed, then (sites that sync raw data) the signals of
 * sessions recorded elsewhere. Never throws for a server problem: the failure is
 * returned and stored in words, and the outbox keeps whatever was not sent, so the next run resumes.
 */
export async function runSync(
  db: Db,
  connection: ServerConnection,
  options: RunSyncOptions = {},
): Promise<SyncReport> {
  const stamp = (): string => new Date().toISOString();
  db.prepare('UPDATE sync_identity SET last_attempt_at = ? WHERE id = 1').run(stamp());
  let pushed = 0;
  let pulled = 0;
  let doseLogPatients: number[] = [];
  let chunksPulled = 0;
  let client: Awaited<ReturnType<typeof connectServer>> | undefined;
  try {
    client = await connectServer(connection);
    const site = (
      await client.query('SELECT site_id, sync_chunks FROM tonus.sites WHERE site_id = tonus.current_site()')
    ).rows[0] as { site_id: string; sync_chunks: boolean } | undefined;
    if (!site)
      throw new Error(
        `the role "${connection.user}" is not a site's role on this server (see docs/server.md)`,
      );
    const local = syncStatus(db);
    if (local.siteId && local.siteId !== site.site_id)
      throw new Error(
        `this workstation belongs to site "${local.siteId}", but the role "${connection.user}" is site "${site.site_id}"`,
      );
    db.prepare('UPDATE sync_identity SET site_id = ?, site_sync_chunks = ? WHERE id = 1').run(
      site.site_id,
      site.sync_chunks ? 1 : 0,
    );
    await client.query(
      `INSERT INTO tonus.workstations (workstation_id, site_id, last_push_at) VALUES ($1, $2, now())
       ON CONFLICT (workstation_id) DO UPDATE SET last_push_at = now()`,
      [local.workstationId, site.site_id],
    );
    const peer: SyncPeer = {
      db,
      client,
      siteId: site.site_id,
      workstationId: local.workstationId,
      syncChunks: site.sync_chunks,
    };
    const entries = outboxEntries(db);
    pushed = await pushEntries(peer, entries, (done) => {
      pushed = done;
      options.onPushed?.(done, entries.length);
    });
    const pull = await pullChanges(peer);
    pulled = pull.count;
    doseLogPatients = pull.doseLogPatients;
    const chunks = await pullChunks(peer);
    chunksPulled = chunks.chunks;
    if (chunks.refused.length > 0)
      throw new Error(
        `${countWords(chunks.refused.length, 'piece')} of the signals arrived damaged and ${chunks.refused.length === 1 ? 'was' : 'were'} not stored (${chunks.refused.slice(0, 3).join('; ')}); ${chunks.refused.length === 1 ? 'it is' : 'they are'} downloaded again at the next sync`,
      );
    db.prepare('UPDATE sync_identity SET last_success_at = ?, last_error = NULL WHERE id = 1').run(stamp());
    return { pushed, pulled, pending: syncStatus(db).pending, doseLogPatients, chunksPulled };
  } catch (err) {
    const error = describeSyncError(err, `${connection.host}:${connection.port}`, connection.user);
    db.prepare('UPDATE sync_identity SET last_error = ? WHERE id = 1').run(error);
    return { pushed, pulled, pending: syncStatus(db).pending, doseLogPatients, chunksPulled, error };
  } finally {
    await client?.end().catch(() => undefined);
  }
}
