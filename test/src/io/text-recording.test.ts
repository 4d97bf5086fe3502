import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';

const EXT = externalDataDir();

function temp(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tonus-text-')), name);
  writeFileSync(file, text);
  return file;
}

describe('BioSPPy Simple Text Format', () => {
  it('reads emg_1.txt: one EMG channel of 12-bit counts at 1000 Hz', async () => {
    const r = await readTextRecording(`${EXT}/biosppy/emg_1.txt`);
    expect(r.format).toBe('biosppy-txt');
    expect(r.streams).toHaveLength(1);
    const s = r.streams[0];
    expect(s?.descriptor.sampleRateHz).toBe(1000);
    expect(s?.descriptor.channels[0]).toMatchObject({
      kind: 'emg',
      unit: 'counts',
      rangeMin: 0,
      rangeMax: 4095,
    });
    expect((s?.data[0]?.length ?? 0) / 1000).toBeCloseTo(63.9, 1);
    expect(s?.data[0]?.[0]).toBe(2034);
  });

  it('reads acc.txt as g (the header says m/s^2 but the static magnitude is ≈ 1.03)', async () => {
    const r = await readTextRecording(`${EXT}/biosppy/acc.txt`);
    const s = r.streams[0];
    expect(s?.descriptor.sampleRateHz).toBe(100);
    expect(s?.descriptor.channels.map((c) => [c.id, c.kind, c.unit])).toEqual([
      ['acc_x', 'accel', 'g'],
      ['acc_y', 'accel', 'g'],
      ['acc_z', 'accel', 'g'],
    ]);
    expect(r.meta.unitNote).toMatch(/read as g/);
  });

  it('refuses a file without a sampling rate, and a bad value, naming file and line', async () => {
    await expect(
      readTextRecording(temp('a.txt', '# Simple Text Format\n# Resolution:= 12\n1\n2\n')),
    ).rejects.toThrow(/a\.txt: header has no "Sampling Rate.*\(at line 1\)/);
    await expect(readTextRecording(temp('b.txt', '# Sampling Rate (Hz):= 100\n1\n2\nabc\n'))).rejects.toThrow(
      /b\.txt: not a number: "abc".*\(at line 4\)/,
    );
    await expect(readTextRecording(temp('c.txt', '# Sampling Rate (Hz):= 100\n1\t2\n3\n'))).rejects.toThrow(
      /c\.txt: expected 2 values, found 1.*\(at line 3\)/,
    );
  });
});

describe('CSV with units in the column names', () => {
  it('reads the UCI lower-limb CSV: 4 EMG channels in mV and the knee angle in degrees at 1000 Hz', async () => {
    const r = await readTextRecording(`${EXT}/uci-lower-limb/3Asen.csv`);
    expect(r.format).toBe('csv');
    const emg = r.streams.find((s) => s.descriptor.id === 'emg');
    const angle = r.streams.find((s) => s.descriptor.id === 'angle');
    expect(emg?.descriptor.channels.map((c) => c.unit)).toEqual(['mV', 'mV', 'mV', 'mV']);
    expect(emg?.descriptor.channels[0]?.id).toBe('rectus_femoris_mV');
    expect(angle?.descriptor.channels[0]).toMatchObject({
      id: 'knee_flexion_deg',
      kind: 'angle',
      unit: 'deg',
    });
    expect(emg?.descriptor.sampleRateHz).toBeCloseTo(1000, 6);
    expect(angle?.data[0]?.[0]).toBeCloseTo(87.1, 4);
  });

  it('reads the mhealthtools CSV: accelerometer in g, gyroscope in rad/s at ≈ 92.8 Hz', async () => {
    const r = await readTextRecording(`${EXT}/mhealthtools/rest_tremor_data.csv`);
    const imu = r.streams.find((s) => s.descriptor.id === 'imu');
    expect(imu?.descriptor.sampleRateHz).toBeCloseTo(92.77, 1);
    expect(imu?.descriptor.channels.map((c) => `${c.kind}:${c.unit}`)).toEqual([
      'accel:g',
      'accel:g',
      'accel:g',
      'gyro:rad/s',
      'gyro:rad/s',
      'gyro:rad/s',
    ]);
    const other = r.streams.find((s) => s.descriptor.id === 'other');
    expect(other?.descriptor.channels.map((c) => c.id)).toContain('gravity_x_g');
  });

  it('refuses a CSV without a time column, a short row and a time going backwards', async () => {
    await expect(readTextRecording(temp('d.csv', 'a_mV,b_mV\n1,2\n'))).rejects.toThrow(
      /d\.csv: CSV header has no time column.*\(at line 1\)/,
    );
    await expect(readTextRecording(temp('e.csv', 'time_s,a_mV\n0,1\n0.001\n'))).rejects.toThrow(
      /e\.csv: expected 2 values, found 1.*\(at line 3\)/,
    );
    await expect(readTextRecording(temp('f.csv', 'time_s,a_mV\n0,1\n0.002,1\n0.001,2\n'))).rejects.toThrow(
      /f\.csv: time does not increase.*\(at line 4\)/,
    );
  });
});
