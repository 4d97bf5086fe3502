import type { Command } from 'commander';
import { registerDevices } from './devices.js';
import { registerReplay } from './replay.js';
import { registerServe } from './serve.js';

/** Every `tonus` subcommand, one line each. */
export const commandRegistrations: ReadonlyArray<(program: Command) => void> = [
  registerServe,
  registerDevices,
  registerReplay,
];
