import type { ApiHandlers } from '../shared/api-contract.js';
import { Acquisition } from './acquisition.js';
import { AnalysisQueue } from './analysis-queue.js';
import { jobRunnerFor } from './job-runner.js';
import { closeProcessEmgPool } from './emg-worker-pool.js';
import { analysisService } from './services/analysis-service.js';
import { signalService } from './services/signal-service.js';
import { replayService } from './services/replay-service.js';
import { DownloadStore, downloadService } from './services/download-service.js';
import { realDeviceManagerDeps } from './device-manager-deps.js';
import { createDeviceResolver } from './device-resolver.js';
import { withDeviceGroups } from './device-manager-group.js';
import type { AppContext } from './app-context.js';
import { openDataFolder, type DataFolderKeyOptions } from './data-folder.js';
import { EventHub } from './event-hub.js';
import { closeDeviceManager, deviceService } from './services/device-service.js';
import { settingsService } from './services/settings-service.js';
import { fileService } from './services/file-service.js';
import { dosingService } from './services/dosing-service.js';
import { patientService } from './services/patient-service.js';
import { endRecordingForShutdown, sessionService } from './services/session-service.js';
import { signalQualityService, storedMainsHz } from './services/signal-quality-service.js';
import { importedDoseService } from './services/imported-dose-service.js';
import { bidsService } from './services/bids-service.js';
import { deletionService } from './services/deletion-service.js';
import { recoverInterruptedSessions } from './session-lock.js';
import { markClosed, markOpen } from './clean-shutdown.js';
import type { BleCentral } from '../devices/transports/ble.node.js';
import type { CredentialStore } from './credentials.js';
import { SyncService, syncService } from './services/sync-service.js';

/** The composition root both shells wire to. It never imports electron. */
export interface TonusApp extends AppContext {
  readonly handlers: ApiHandlers;
  /** Exports waiting to be fetched by the browser shell (see `prepareDownload`). */
  readonly downloads: DownloadStore;
  close(): Promise<void>;
}

export interface TonusAppOptions extends DataFolderKeyOptions {
  dataDir: string;
  /** The Bluetooth LE central to use (default: the system's, created on first use). */
  central?: BleCentral;
  /** The OS keychain, where the shell has one (desktop): keeps the sync server's password. */
  credentials?: CredentialStore;
}

/**
 * Opens the database in `dataDir` (encrypted for a new folder, see `openDataFolder`) and builds the services that implement the API contract: one factory per
 * domain in `services/`, spread together below.
 */
export function createTonusApp(options: TonusAppOptions): TonusApp {
  const { db } = openDataFolder(options.dataDir, options);
  const { wasUnclean } = markOpen(options.dataDir);
  recoverInterruptedSessions(db, options.dataDir, { check: wasUnclean });
  const events = new EventHub();
  const deviceDeps = realDeviceManagerDeps(options.central);
  const resolveDevice = withDeviceGroups(createDeviceResolver(deviceDeps.central, db));
  const acquisition = new Acquisition(resolveDevice, events, Date.now, { mainsHz: () => storedMainsHz(db) });
  const jobs = jobRunnerFor(db);
  const analyses = new AnalysisQueue(db, events, jobs);
  const ctx: AppContext = {
    dataDir: options.dataDir,
    db,
    events,
    acquisition,
    resolveDevice,
    deviceDeps,
    analyses,
    jobs,
  };

  const downloads = new DownloadStore();
  const sync = new SyncService(ctx, options.credentials);
  sync.startBackground();
  const handlers: ApiHandlers = {
    ...deviceService(ctx),
    ...settingsService(ctx),
    ...fileService(ctx),
    ...analysisService(ctx),
    ...signalService(ctx),
    ...replayService(ctx),
    ...downloadService(downloads, fileService(ctx).exportSession),
    ...dosingService(ctx),
    ...patientService(ctx),
    ...sessionService(ctx),
    ...signalQualityService(ctx),
    ...importedDoseService(ctx),
    ...bidsService(ctx),
    ...deletionService(ctx),
    ...syncService(sync),
  };

  return {
    ...ctx,
    handlers,
    downloads,
    async close() {
      downloads.close();
      endRecordingForShutdown(ctx);
      await acquisition.stop();
      await closeDeviceManager(ctx);
      await analyses.idle();
      await jobs.close();
      // An in-memory database's analyses ran on this thread's EMG pool: stop its threads too.
      await closeProcessEmgPool();
      await sync.close();
      db.close();
      markClosed(options.dataDir);
    },
  };
}
