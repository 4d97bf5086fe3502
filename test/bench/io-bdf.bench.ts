import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaybackDriver } from '../../src/devices/drivers/playback.js';
import { SyntheticSignal } from '../../src/devices/drivers/synthetic-signal.js';
import { EdfFileWriter, readEdfFile } from '../../src/io/edf/edf-file.node.js';
import type { Recording } from '../../src/shared/recording.js';
import type { Bench } from './harness.js';

const HOUR_S = 3600;
const TILE_S = 60;

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/**
 * One hour of the demo device (8 EMG @ 2 kHz + 6 IMU @ 100 Hz) written as BDF+ through the streaming
 * writer, read back whole, and replayed as fast as possible. The hour is a 60 s synthetic tile repeated,
 * so that generating the signal does not dominate. Baseline: real time (16,600 samples/s).
 */
export const bench: Bench = {
  name: 'BDF+ write, read and replay of a 1-hour recording',
  async run() {
    const signal = new SyntheticSignal();
    const tile = [signal.next('emg', TILE_S * 2000), signal.next('imu', TILE_S * 100)];
    const streams = signal.streams;
    const perSecond = streams.reduce((n, s) => n + s.sampleRateHz * s.channels.length, 0);
    const samples = perSecond * HOUR_S;
    const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-bdf-'));
    const path = join(dir, 'hour.bdf');
    try {
      const template: Recording = {
        format: 'bdf',
        source: path,
        startTimeMs: Date.UTC(2026, 10, 24, 9),
        streams: streams.map((d) => ({ descriptor: d, data: [] })),
        annotations: [],
        meta: {},
      };
      const writeStart = performance.now();
      const writer = EdfFileWriter.forRecording(path, template, 'bdf');
      for (let s = 0; s < HOUR_S; s++) {
        const at = s % TILE_S;
        tile.forEach((block, si) => {
          const rate = streams[si]?.sampleRateHz ?? 1;
          writer.append(
            si,
            block.data.map((c) => c.subarray(at * rate, (at + 1) * rate)),
          );
        });
        if (s % 600 === 0) writer.annotate({ onsetS: s, text: `Marker ${s}` });
      }
      writer.close();
      const writeS = (performance.now() - writeStart) / 1000;
      const size = statSync(path).size;

      const rssBefore = process.memoryUsage().rss;
      const readStart = performance.now();
      const recording = readEdfFile(path);
      const readS = (performance.now() - readStart) / 1000;

      const rssReplayStart = process.memoryUsage().rss;
      let delivered = 0;
      let blocks = 0;
      const driver = new PlaybackDriver(recording, { speed: 'max' });
      const replayStart = performance.now();
      await driver.start((b) => {
        delivered += b.timestampsMs.length * b.data.length;
        blocks++;
      });
      await driver.ended;
      const replayS = (performance.now() - replayStart) / 1000;
      const rssReplayEnd = process.memoryUsage().rss;
      if (delivered !== samples) throw new Error(`replay delivered ${delivered} of ${samples} samples`);
      return [
        {
          name: 'BDF+ streaming write, 1 h of 8 EMG @ 2 kHz + 6 IMU @ 100 Hz',
          throughput: samples / writeS,
          unit: ' samples/s',
          baselineName: 'real time',
          baselineThroughput: perSecond,
          note: `${writeS.toFixed(2)} s for ${mb(size)}`,
        },
        {
          name: 'BDF+ read whole (decode to Float32), same hour',
          throughput: samples / readS,
          unit: ' samples/s',
          baselineName: 'real time',
          baselineThroughput: perSecond,
          note: `${readS.toFixed(2)} s; RSS ${mb(rssBefore)} before, ${mb(rssReplayStart)} after`,
        },
        {
          name: 'replay device as fast as possible, same hour (target < 15 s)',
          throughput: samples / replayS,
          unit: ' samples/s',
          baselineName: 'real time',
          baselineThroughput: perSecond,
          note: `${replayS.toFixed(2)} s, ${blocks} blocks; RSS ${mb(rssReplayStart)} at start, ${mb(rssReplayEnd)} at end`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
