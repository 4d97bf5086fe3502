/**
 * The real EMG analysis worker (src/app/emg-channel-worker.ts), except that its thread dies when it is sent
 * a channel labelled `crash` (see emg-worker-exit-hook.ts): how a pool test makes a worker crash. Both are
 * imported statically, in this order, so that no task reaches the thread before both listen.
 */
import './emg-worker-exit-hook.js';
import '../../src/app/emg-channel-worker.js';
