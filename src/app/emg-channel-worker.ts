/**
 * Entry of an EMG analysis worker thread (started by `EmgWorkerPool`): analyses each channel it is sent
 * with `analyzeEmgChannel`, keeping one set of work buffers for all of them (and for as long as the pool
 * keeps this thread), and posts the result back with the channel's raw samples (both moved, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { WorkBuffers } from '../dsp/work-buffers.js';
import { analyzeEmgChannel, KEPT_FILTERED_BUFFER } from '../indicators/emg-channel-analysis.js';
import {
  answerBuffers,
  type EmgGiveMessage,
  type EmgTaskMessage,
  type EmgWorkerMessage,
} from './emg-channel-tasks.js';

const port = parentPort;
if (!port) throw new Error('emg-channel-worker.js runs only as a worker thread.');
const work = new WorkBuffers();

port.on('message', (task: EmgTaskMessage | EmgGiveMessage) => {
  if ('give' in task) return work.give(KEPT_FILTERED_BUFFER, new Float64Array(task.give));
  let reply: EmgWorkerMessage;
  try {
    const result = analyzeEmgChannel(
      task.descriptor,
      task.channel,
      task.raw,
      task.options,
      task.keepFiltered,
      work,
    );
    reply = { id: task.id, raw: task.raw, result };
  } catch (err) {
    reply = { id: task.id, raw: task.raw, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply, answerBuffers(task.raw, 'result' in reply ? reply.result : undefined));
});
