import type { ApiHandlers } from '../../shared/api-contract.js';
import type { SyncServer, syncMethods, SyncStatusView } from '../../shared/api/sync-api.js';
import { SyncServerSchema } from '../../shared/api/sync-api.js';
import { ApiFailure } from '../../shared/result.js';
import { cohortOf, type CohortGroup } from '../../storage/cohort.node.js';
import {
  connectionFromEnvironment,
  connectServer,
  type ServerConnection,
} from '../../storage/server-connection.node.js';
import { describeSyncError } from '../../storage/sync-errors.js';
import { SettingsRepository } from '../../storage/settings-repository.node.js';
import { runSync, syncStatus } from '../../storage/sync-run.node.js';
import type { Db } from '../../storage/database.node.js';
import type { AppContext } from '../app-context.js';
import { DosingCore } from './dosing-service.js';
import { SYNC_PASSWORD_KEY, type CredentialStore } from '../credentials.js';

/** Settings key of the server this workstation syncs to. */
const SETTINGS_KEY = 'syncServer';

/** Seconds between background syncs while the app runs. */
export const BACKGROUND_SYNC_S = 60;

/**
 * Sync for the app: the server from Settings (password from the keychain) or else from libpq's environment
 * (password from `PGPASSWORD` or `.pgpass`). Syncs run one at a time in the background on the event loop;
 * recording and every other method go on meanwhile, since the local store is only touched in short steps.
 */
export class SyncService {
  private running: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: Pick<AppContext, 'db'>,
    private readonly credentials: CredentialStore | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private stored(): SyncServer | undefined {
    const parsed = SyncServerSchema.safeParse(new SettingsRepository(this.ctx.db).read()[SETTINGS_KEY]);
    return parsed.success ? parsed.data : undefined;
  }

  /** The connection to use, or undefined when none is set up. */
  connection(): ServerConnection | undefined {
    const s = this.stored();
    if (s) {
      const password = this.credentials?.get(SYNC_PASSWORD_KEY);
      return {
        host: s.host,
        port: s.port,
        database: s.database,
        user: s.user,
        ...(s.caFile ? { sslRootCertFile: s.caFile } : {}),
        ...(password ? { password } : {}),
      };
    }
    if (!this.env.PGHOST) return undefined;
    try {
      return connectionFromEnvironment(this.env);
    } catch {
      return undefined;
    }
  }

  status(): SyncStatusView {
    const c = this.connection();
    const s = syncStatus(this.ctx.db);
    return {
      server: c ? `${c.host}:${c.port}, database ${c.database}, as ${c.user}` : null,
      site: s.siteId,
      lastAttemptAt: s.lastAttemptAt,
      lastSuccessAt: s.lastSuccessAt,
      pending: s.pending,
      sessionsWithoutSignals: s.sessionsWithoutSignals,
      error: s.lastError,
      syncing: this.running !== undefined,
      keychain: this.credentials !== undefined,
    };
  }

  /** Runs one sync unless one is running (then waits for that one); a no-op when no server is set up. */
  async syncNow(): Promise<SyncStatusView> {
    const c = this.connection();
    if (!c) return this.status();
    this.running ??= runSync(this.ctx.db, c)
      .then((report) => refreshDoseContexts(this.ctx.db, report.doseLogPatients))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    return this.status();
  }

  setServer(server: SyncServer & { password?: string }): SyncStatusView {
    const { password, ...rest } = server;
    if (password !== undefined) {
      if (!this.credentials)
        throw new ApiFailure(
          'invalid-input',
          'This app has no keychain to keep a password in: put it in ~/.pgpass (see docs/server.md).',
          'password',
        );
      try {
        this.credentials.set(SYNC_PASSWORD_KEY, password);
      } catch (err) {
        throw new ApiFailure('invalid-input', (err as Error).message, 'password');
      }
    }
    new SettingsRepository(this.ctx.db).write({ [SETTINGS_KEY]: rest });
    return this.status();
  }

  /** The server's cohort aggregate of `indicator`; fails in words when no server is set up or reachable. */
  async cohort(indicator: string): Promise<CohortGroup[]> {
    const c = this.connection();
    if (!c)
      throw new ApiFailure('invalid-input', 'No clinic or study server is set up (Settings, Clinic server).');
    let client: Awaited<ReturnType<typeof connectServer>> | undefined;
    try {
      client = await connectServer(c);
      return await cohortOf(client, indicator);
    } catch (err) {
      throw new ApiFailure(
        'invalid-input',
        describeSyncError(err, `${c.host}:${c.port}`, c.user).replace(
          / Nothing recorded here is lost.*$/,
          '',
        ),
      );
    } finally {
      await client?.end().catch(() => undefined);
    }
  }

  /** Syncs every `everyS` seconds in the background (the timer does not keep the process alive). */
  startBackground(everyS = BACKGROUND_SYNC_S): void {
    this.timer ??= setInterval(() => void this.syncNow(), everyS * 1000);
    this.timer.unref();
  }

  /** Stops the background timer and waits for a sync under way. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * Recomputes the stored dose context of every session of `patientIds` (after a pull brought dose-log or
 * regimen changes from another workstation); the refreshed contexts are queued and sent at the next sync.
 */
export function refreshDoseContexts(db: Db, patientIds: readonly number[]): void {
  if (patientIds.length === 0) return;
  const core = new DosingCore(db);
  for (const id of patientIds) core.recompute(id, -8.64e15, 8.64e15);
}

/** Handlers of the sync methods. */
export function syncService(sync: SyncService): Pick<ApiHandlers, keyof typeof syncMethods> {
  return {
    getSyncStatus: async () => sync.status(),
    syncNow: async () => sync.syncNow(),
    setSyncServer: async (input) => sync.setServer(input),
    getCohort: async ({ indicator }) => ({ indicator, groups: await sync.cohort(indicator) }),
  };
}
