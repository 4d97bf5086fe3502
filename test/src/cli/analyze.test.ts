import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';
import type { SessionAnalysis } from '../../../src/shared/analysis.js';

const EXT = externalDataDir();

afterEach(() => {
  process.exitCode = undefined;
});

describe('tonus analyze', () => {
  it('prints the rest-tremor peak (≈ 6.5 Hz) of the mhealthtools recording as JSON', async () => {
    const { code, out } = await capture(['analyze', `${EXT}/mhealthtools/rest_tremor_data.csv`, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(out) as SessionAnalysis;
    expect(a.algorithmVersion).toMatch(/^session-analysis\//);
    expect(
      Math.abs((a.summary.imu.find((m) => m.channel === 'rotRate_y_rad_s')?.tremorPeakHz ?? 0) - 6.5),
    ).toBeLessThan(0.3);
  });

  it('prints per-channel rmsUv, median/mean frequency and onsets for the UCI EMG', async () => {
    const { code, out } = await capture(['analyze', `${EXT}/uci-lower-limb/3Asen.csv`, '--json']);
    expect(code).toBe(0);
    const a = JSON.parse(out) as SessionAnalysis;
    expect(a.summary.emg.map((e) => e.channel)).toEqual([
      'rectus_femoris_mV',
      'biceps_femoris_mV',
      'vastus_medialis_mV',
      'semitendinosus_mV',
    ]);
    for (const e of a.summary.emg) {
      expect(e.rmsUv).toBeGreaterThan(0);
      expect(e.medianFrequencyHz).toBeGreaterThan(20);
      expect(e.meanFrequencyHz).toBeGreaterThan(20);
      expect(Array.isArray(e.onsets)).toBe(true);
    }
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await capture(['analyze', `${EXT}/biosppy/emg_1.txt`]);
    expect(code).toBe(0);
    expect(out).toMatch(/EMG EMG\s+rms [\d.]+ counts\s+median [\d.]+ Hz/);
  });

  it('answers a missing file with exit code 3 and malformed input with 4, naming the line', async () => {
    const missing = await capture(['analyze', '/nonexistent/file.csv']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/^tonus: analyze: no such file: \/nonexistent\/file\.csv/);
    const file = join(mkdtempSync(join(tmpdir(), 'tonus-analyze-')), 'bad.csv');
    writeFileSync(file, 'time_s,a_mV\n0,1\n0.001,x\n');
    const r = await capture(['analyze', file]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/bad\.csv: not a number.*\(at line 3\)/);
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses a bad --mains with the usage exit code', async () => {
    const r = await capture(['analyze', `${EXT}/biosppy/emg_1.txt`, '--mains', '55']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--mains must be 50 or 60, got 55/);
    expect(process.exitCode).toBeUndefined();
  });
});
