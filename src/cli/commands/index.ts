import type { Command } from 'commander';
import { registerAnalyze } from './analyze.js';
import { registerDevices } from './devices.js';
import { registerServe } from './serve.js';

/** Every `tonus` subcommand, one line each. */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerDevices,
  registerAnalyze,
];
