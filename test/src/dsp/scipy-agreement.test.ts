import { describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import { butterworthSos, type FilterBand } from '../../../src/dsp/butterworth.js';
import { lineNotchSos } from '../../../src/dsp/notch.js';
import { sosfilt, sosfiltfilt } from '../../../src/dsp/sos-filter.js';
import { coherence, medianFrequencyHz, meanFrequencyHz, welch } from '../../../src/dsp/welch.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { relativeError, runScipy } from './scipy-reference.js';

const EXT = externalDataDir();

interface Case {
  file: string;
  stream: string;
  channel: number;
  order: number;
  cutoffHz: number | [number, number];
  band: FilterBand;
}

const cases: Case[] = [
  { file: 'biosppy/emg_1.txt', stream: 'emg', channel: 0, order: 4, cutoffHz: [20, 450], band: 'bandpass' },
  { file: 'biosppy/emg.txt', stream: 'emg', channel: 0, order: 4, cutoffHz: [20, 450], band: 'bandpass' },
  {
    file: 'uci-lower-limb/3Asen.csv',
    stream: 'emg',
    channel: 0,
    order: 4,
    cutoffHz: [20, 450],
    band: 'bandpass',
  },
  { file: 'uci-lower-limb/5Npie.csv', stream: 'angle', channel: 0, order: 4, cutoffHz: 20, band: 'lowpass' },
  { file: 'biosppy/acc.txt', stream: 'imu', channel: 2, order: 3, cutoffHz: 10, band: 'lowpass' },
  {
    file: 'mhealthtools/rest_tremor_data.csv',
    stream: 'imu',
    channel: 0,
    order: 2,
    cutoffHz: 3,
    band: 'highpass',
  },
  {
    file: 'mhealthtools/kinetic_tremor_data.csv',
    stream: 'imu',
    channel: 4,
    order: 5,
    cutoffHz: [3, 12],
    band: 'bandpass',
  },
];

// Reference values come from scipy itself; CI installs python3-scipy, elsewhere the test is skipped.
describe('filters agree with scipy 1.10 on the external recordings', () => {
  for (const c of cases) {
    it(`${c.file} ${c.stream}[${c.channel}]: butter(${c.order}, ${String(c.cutoffHz)}, ${c.band}) sos, sosfilt, sosfiltfilt`, async () => {
      const rec = await readTextRecording(`${EXT}/${c.file}`);
      const stream = rec.streams.find((s) => s.descriptor.id === c.stream);
      const x = stream?.data[c.channel];
      expect(x).toBeDefined();
      if (!stream || !x) return;
      const fs = stream.descriptor.sampleRateHz;
      const sos = butterworthSos(c.order, c.cutoffHz, c.band, fs);
      const ref = runScipy(
        `sos = signal.butter(inp['order'], inp['cut'], inp['band'], fs=inp['fs'], output='sos')
x = np.asarray(inp['x'], dtype=float)
out = {'sos': sos, 'filt': signal.sosfilt(sos, x), 'filtfilt': signal.sosfiltfilt(sos, x)}`,
        { order: c.order, cut: c.cutoffHz as unknown as number, band: c.band, fs, x },
      );
      expect(relativeError(sos, ref.sos ?? [])).toBeLessThan(1e-9);
      expect(relativeError(sosfilt(sos, x), ref.filt ?? [])).toBeLessThan(1e-6);
      expect(relativeError(sosfiltfilt(sos, x), ref.filtfilt ?? [])).toBeLessThan(1e-6);
    });
  }

  it('iirnotch cascade (50 Hz + harmonics, Q 30) and Welch PSD match scipy on emg_1', async () => {
    const rec = await readTextRecording(`${EXT}/biosppy/emg_1.txt`);
    const x = rec.streams[0]?.data[0] ?? new Float32Array(0);
    const notch = lineNotchSos(50, 1000);
    const ref = runScipy(
      `x = np.asarray(inp['x'], dtype=float)
sos = np.vstack([np.hstack(signal.iirnotch(f, 30, fs=1000)) for f in range(50, 500, 50)])
f, p = signal.welch(x, fs=1000)
out = {'sos': sos, 'y': signal.sosfilt(sos, x), 'f': f, 'p': p}`,
      { x },
    );
    expect(relativeError(notch, ref.sos ?? [])).toBeLessThan(1e-12);
    expect(relativeError(sosfilt(notch, x), ref.y ?? [])).toBeLessThan(1e-6);
    const s = welch(x, 1000);
    expect(relativeError(s.freqHz, ref.f ?? [])).toBeLessThan(1e-12);
    expect(relativeError(s.psd, ref.p ?? [])).toBeLessThan(1e-9);
    expect(medianFrequencyHz(s)).toBeGreaterThan(0);
    expect(meanFrequencyHz(s)).toBeGreaterThan(medianFrequencyHz(s) * 0.5);
  });
});

describe('coherence', () => {
  it('matches scipy.signal.coherence on two IMU axes of the rest-tremor recording', async () => {
    const rec = await readTextRecording(`${EXT}/mhealthtools/rest_tremor_data.csv`);
    const imu = rec.streams.find((s) => s.descriptor.id === 'imu');
    const x = imu?.data[3] ?? new Float32Array(0);
    const y = imu?.data[4] ?? new Float32Array(0);
    const fs = imu?.descriptor.sampleRateHz ?? 1;
    const ref = runScipy(
      `f, c = signal.coherence(np.asarray(inp['x']), np.asarray(inp['y']), fs=inp['fs'], nperseg=128)
out = {'f': f, 'c': c}`,
      { x, y, fs },
    );
    const c = coherence(x, y, fs, 128);
    expect(relativeError(c.freqHz, ref.f ?? [])).toBeLessThan(1e-12);
    expect(relativeError(c.cxy, ref.c ?? [])).toBeLessThan(1e-9);
  });
});

describe('Welch with a non-power-of-two segment', () => {
  it('matches scipy.signal.welch(nperseg=200) on the BioSPPy accelerometer', async () => {
    const rec = await readTextRecording(`${EXT}/biosppy/acc.txt`);
    const x = rec.streams[0]?.data[0] ?? new Float32Array(0);
    const ref = runScipy(
      `f, p = signal.welch(np.asarray(inp['x']), fs=100, nperseg=200)\nout = {'f': f, 'p': p}`,
      { x },
    );
    const s = welch(x, 100, { nperseg: 200 });
    expect(relativeError(s.freqHz, ref.f ?? [])).toBeLessThan(1e-12);
    expect(relativeError(s.psd, ref.p ?? [])).toBeLessThan(1e-9);
  });
});

describe('Welch at odd and tiny segment lengths', () => {
  // The window and the mean removal are applied in the frequency domain, where the edge bins depend on
  // whether the segment length is odd or even: each case is checked against scipy itself.
  it.each([1, 2, 3, 5, 8, 201, 256])(
    'matches scipy.signal.welch(nperseg=%i) on the BioSPPy accelerometer',
    async (nperseg) => {
      const rec = await readTextRecording(`${EXT}/biosppy/acc.txt`);
      const x = (rec.streams[0]?.data[0] ?? new Float32Array(0)).subarray(0, 2000);
      const ref = runScipy(
        `f, p = signal.welch(np.asarray(inp['x']), fs=100, nperseg=inp['n'])\nout = {'f': f, 'p': p}`,
        { x, n: nperseg },
      );
      const s = welch(x, 100, { nperseg });
      expect(relativeError(s.freqHz, ref.f ?? [])).toBeLessThan(1e-12);
      expect(relativeError(s.psd, ref.p ?? [])).toBeLessThan(1e-9);
    },
  );
});

describe('Welch of one band', () => {
  it.each([200, 256])('gives the same bins inside the band and 0 outside (nperseg %i)', async (nperseg) => {
    const rec = await readTextRecording(`${EXT}/biosppy/acc.txt`);
    const x = rec.streams[0]?.data[0] ?? new Float32Array(0);
    const all = welch(x, 100, { nperseg });
    const band = welch(x, 100, { nperseg, bandHz: [2, 13] });
    let inside = 0;
    all.freqHz.forEach((f, k) => {
      if (f >= 2 && f <= 13) {
        inside++;
        expect(band.psd[k]).toBe(all.psd[k]);
      } else expect(band.psd[k]).toBe(0);
    });
    expect(inside).toBeGreaterThan(10);
  });
});
