import type { Command } from 'commander';
import { registerCapture } from './capture.js';
import { registerAnalyze } from './analyze.js';
import { registerDevices } from './devices.js';
import { registerDoses } from './doses.js';
import { registerExport, registerImport } from './import-export.js';
import { registerReport } from './report.js';
import { registerTrends } from './trends.js';
import { registerRecord } from './record.js';
import { registerReplay } from './replay.js';
import { registerServe } from './serve.js';
import { registerSessions } from './sessions.js';
import { registerShow } from './show.js';
import { registerEncryption } from './encryption.js';
import { registerServer } from './server.js';
import { registerSync } from './sync.js';
import { registerCohort } from './cohort.js';
import { registerUndo } from './undo.js';

/** Every `tonus` subcommand, one line each. */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerDevices,
  registerDoses,
  registerTrends,
  registerReport,
  registerRecord,
  registerSessions,
  registerShow,
  registerReplay,
  registerImport,
  registerExport,
  registerCapture,
  registerAnalyze,
  registerEncryption,
  registerServer,
  registerSync,
  registerCohort,
  registerUndo,
];
