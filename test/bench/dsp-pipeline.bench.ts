import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { butterworthSos } from '../../src/dsp/butterworth.js';
import { centeredRms } from '../../src/dsp/envelope.js';
import { detectLineNoise, lineNotchSos } from '../../src/dsp/notch.js';
import { detectOnsets } from '../../src/dsp/onset.js';
import { SosFilter, sosfiltfilt } from '../../src/dsp/sos-filter.js';
import { SlidingRms } from '../../src/dsp/envelope.js';
import { syntheticEmg } from './dsp-synthetic-emg.js';
import type { Bench, BenchResult } from './harness.js';
import { timeIt } from './harness.js';

const CHANNELS = 8;
const FS = 2000;
const SECONDS = 60;

/** scipy's sosfiltfilt (4th-order 20–450 Hz) + 50 ms sliding RMS per channel, timed inside Python; samples/s. */
function scipyBaseline(data: Float32Array[]): { perSecond: number } | { skipped: string } {
  if (!existsSync('/usr/bin/python3')) return { skipped: '/usr/bin/python3 missing' };
  const dir = mkdtempSync(join(tmpdir(), 'tonus-bench-'));
  const file = join(dir, 'emg.f32');
  const all = new Float32Array(data.length * (data[0]?.length ?? 0));
  data.forEach((x, k) => all.set(x, k * x.length));
  writeFileSync(file, all);
  const script = `
import sys, time
import numpy as np
from scipy import signal
x = np.fromfile(sys.argv[1], dtype=np.float32).reshape(${data.length}, -1).astype(np.float64)
sos = signal.butter(4, [20, 450], 'bandpass', fs=${FS}, output='sos')
w = int(0.05 * ${FS})
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    y = signal.sosfiltfilt(sos, x, axis=1)
    k = np.ones(w) / w
    r = np.sqrt(np.apply_along_axis(lambda v: np.convolve(v, k, mode='same'), 1, y * y))
    best = min(best, time.perf_counter() - t)
print(x.size / best)
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) return { skipped: `scipy not available (${r.stderr.trim().split('\n').at(-1) ?? ''})` };
  return { perSecond: Number(r.stdout.trim()) };
}

/** Offline pipeline of domain.md §1.3 on one channel: band-pass, notch if hum, rectified 50 ms RMS, TKEO onsets. */
function offlineChannel(
  x: Float32Array,
  bandpass: Float64Array,
  notch: Float64Array,
  forceNotch: boolean,
): number {
  let y = sosfiltfilt(bandpass, x);
  if (forceNotch || detectLineNoise(x, FS, 50).detected) y = sosfiltfilt(notch, y);
  // RMS of the rectified signal equals the RMS of the signal: rectification is implicit in the squares.
  const env = centeredRms(y, Math.round(0.05 * FS));
  return detectOnsets(y, FS).bursts.length + (env[0] ?? 0);
}

export const bench: Bench = {
  name: 'EMG pipeline, 8 channels at 2 kHz',
  async run() {
    const data = syntheticEmg(CHANNELS, FS, SECONDS);
    const samples = CHANNELS * FS * SECONDS;
    const realTime = CHANNELS * FS;
    const bandpass = butterworthSos(4, [20, 450], 'bandpass', FS);
    const notch = lineNotchSos(50, FS);
    const offline = timeIt(() => {
      for (const x of data) offlineChannel(x, bandpass, notch, false);
    }, 2000);
    const forced = timeIt(() => {
      for (const x of data) offlineChannel(x, bandpass, notch, true);
    }, 2000);
    const live = timeIt(() => {
      for (const x of data) {
        const f = new SosFilter(bandpass);
        const r = new SlidingRms(Math.round(0.05 * FS));
        // Work buffers reused across blocks, as LiveIndicators does per channel.
        const y = new Float64Array(40);
        const env = new Float64Array(40);
        for (let i = 0; i < x.length; i += 40) r.process(f.process(x.subarray(i, i + 40), y), env);
      }
    }, 2000);
    const plain = timeIt(() => {
      for (const x of data) centeredRms(sosfiltfilt(bandpass, x), Math.round(0.05 * FS));
    }, 2000);
    const scipy = scipyBaseline(data);
    const results: BenchResult[] = [
      {
        name: 'offline: band-pass, notch test, rectified 50 ms RMS, TKEO onsets',
        throughput: offline.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
        note: `${SECONDS} s of signal; no hum, so the notch is tested but not applied`,
      },
      {
        name: 'offline, notch forced (50 Hz + 18 harmonics, zero-phase)',
        throughput: forced.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
      },
      {
        name: 'live: causal band-pass + 50 ms RMS in 20 ms blocks',
        throughput: live.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'real time',
        baselineThroughput: realTime,
      },
    ];
    if ('perSecond' in scipy) {
      results.push({
        name: 'sosfiltfilt + 50 ms RMS (same work as scipy)',
        throughput: plain.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'scipy',
        baselineThroughput: scipy.perSecond,
      });
      results.push({
        name: 'full offline pipeline vs scipy sosfiltfilt + RMS',
        throughput: offline.perSecond * samples,
        unit: ' samples/s',
        baselineName: 'scipy',
        baselineThroughput: scipy.perSecond,
      });
    } else console.log(`  note: scipy baseline skipped: ${scipy.skipped}`);
    return results;
  },
};
