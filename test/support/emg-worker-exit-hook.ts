/**
 * Ends this worker thread abruptly (exit code 3) when it is sent an EMG channel labelled `crash`. Imported
 * before the real worker by emg-worker-that-exits.ts, so that it hears each task first.
 */
import { parentPort } from 'node:worker_threads';
import type { EmgTaskMessage } from '../../src/app/emg-channel-tasks.js';

parentPort?.on('message', (task: EmgTaskMessage) => {
  if (task.label === 'crash') process.exit(3);
});
