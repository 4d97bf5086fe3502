import type { Command } from 'commander';
import { registerDevices } from './devices.js';
import { registerDoses } from './doses.js';
import { registerReport } from './report.js';
import { registerTrends } from './trends.js';
import { registerServe } from './serve.js';

/** Every `tonus` subcommand, one line each. */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerDevices,
  registerDoses,
  registerTrends,
  registerReport,
];
