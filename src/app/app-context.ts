import type { Db } from '../storage/database.node.js';
import type { Acquisition } from './acquisition.js';
import type { AnalysisQueue } from './analysis-queue.js';
import type { DeviceResolver } from './device-resolver.js';
import type { realDeviceManagerDeps } from './device-manager-deps.js';
import type { EventHub } from './event-hub.js';
import type { JobRunner } from './job-runner.js';

/** What every service of the app may use. Built once by `createTonusApp`. */
export interface AppContext {
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventHub;
  readonly acquisition: Acquisition;
  /** Finds any device by id: builtin, `replay:FILE`, `serial:PATH`, `ble:ID`. */
  readonly resolveDevice: DeviceResolver;
  /** Discovery and drivers of real devices, with the one lazily created BLE central of the app. */
  /** Background per-session analyses (after a recording ends, after an import, on demand). */
  readonly analyses: AnalysisQueue;
  /** Long jobs (import, BDF/EDF export, analysis) off the main thread, with progress. */
  readonly jobs: JobRunner;
  readonly deviceDeps: ReturnType<typeof realDeviceManagerDeps>;
}
