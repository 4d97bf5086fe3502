/**
 * A job worker (started by `WorkerJobRunner` in place of src/app/job-worker.ts) that sends eight EMG
 * channels of noise to the main thread's pool and dies (exit code 1) as soon as the first is answered,
 * leaving the others queued or running there: how a test shows that a dying job does not poison the pool.
 */
import { workerData } from 'node:worker_threads';
import { EmgChannelsOverPort } from '../../src/app/emg-pool-relay.js';
import type { JobWorkerData } from '../../src/app/job-runner.js';
import type { StreamDescriptor } from '../../src/shared/samples.js';

const { emgPool } = workerData as JobWorkerData;
if (!emgPool) throw new Error('job-worker-that-dies.js needs an analysis job (its EMG pool port).');
const channels = new EmgChannelsOverPort(emgPool.port, emgPool.minEmgSamples);
const rateHz = 2000;
const descriptor: StreamDescriptor = {
  id: 'emg',
  label: 'EMG',
  sampleRateHz: rateHz,
  channels: [{ id: 'e', label: 'EMG', kind: 'emg', unit: 'uV', rangeMin: -5000, rangeMax: 5000 }],
};
const noise = (): Float32Array =>
  Float32Array.from({ length: 120 * rateHz }, () => 100 * (Math.random() - 0.5));
const runs = Array.from({ length: 8 }, (_, k) =>
  channels.run({
    descriptor,
    channel: 0,
    label: `EMG ${k + 1}`,
    raw: noise(),
    options: {},
    keepFiltered: false,
  }),
);
await Promise.race(runs);
process.exit(1);
