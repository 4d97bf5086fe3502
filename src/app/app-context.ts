import type { Db } from '../storage/database.node.js';
import type { Acquisition } from './acquisition.js';
import type { EventHub } from './event-hub.js';

/** What every service of the app may use. Built once by `createTonusApp`. */
export interface AppContext {
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventHub;
  readonly acquisition: Acquisition;
}
