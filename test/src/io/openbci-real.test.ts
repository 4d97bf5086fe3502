/**
 * OpenBCI GUI recordings made by the GUI itself (its v6, v5 and v3 sample files, one recording in three
 * forms; fixtures/external/openbci-gui, MIT). All three must read as the same 89.96 s with no dropped samples.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { parseOpenBciTxt } from '../../../src/io/import/openbci-txt.js';
import { externalDataDir } from '../../support/external-data.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-openbci-'));
const unpack = (name: string): string => {
  const path = join(dir, name);
  writeFileSync(path, gunzipSync(readFileSync(join(externalDataDir(), 'openbci-gui', `${name}.gz`))));
  return path;
};

const files = [
  ['v6', 'OpenBCI_GUI-v6-blinks-jawClench-alpha.txt'],
  ['v5', 'OpenBCI_GUI-v5-blinks-jawClench-alpha.txt'],
  ['v3/v4', 'OpenBCI-sampleData-1-blinks-jawClench-alpha.txt'],
] as const;

describe.each(files)('OpenBCI GUI %s sample file', (version, name) => {
  const rec = readRecordingFile(unpack(name));

  it('reads as 89.96 s at 250 Hz with 0 dropped samples and the start time from the file', () => {
    expect(rec.format).toBe('openbci-txt');
    expect(rec.meta.openbciVersion).toBe(version);
    const exg = rec.streams.find((s) => s.descriptor.id === 'exg')!;
    expect(exg.descriptor.sampleRateHz).toBe(250);
    expect(exg.descriptor.channels).toHaveLength(8);
    expect(exg.data[0]!.length).toBe(22_490);
    expect(exg.data[0]!.length / 250).toBeCloseTo(89.96, 6);
    expect(exg.timestampsMs).toBeUndefined();
    expect(rec.meta.droppedSamples).toBe('0');
    expect(rec.meta.clockDisagreement).toBeUndefined();
    // 1557936053329 ms: the GUI's `12:00:53.329` in its local time (UTC−4).
    expect(new Date(rec.startTimeMs).toISOString()).toBe('2019-05-15T16:00:53.329Z');
    expect(rec.meta.firstSampleTime).toBe('12:00:53.329');
  });

  it('takes the first real row as the first sample (v5 writes an all-zero line first)', () => {
    const exg = rec.streams.find((s) => s.descriptor.id === 'exg')!;
    expect(exg.data[0]![0]).toBeCloseTo(61379.36, 2);
    expect(exg.data[7]![22_489]).toBeCloseTo(-6470.99, 2);
    const accel = rec.streams.find((s) => s.descriptor.id === 'accel')!;
    expect(accel.data.map((c) => c[0])).toEqual([0.04, 0.42, 0.238].map((v) => Math.fround(v)));
  });
});

describe('a clock that disagrees with the sample count', () => {
  it('is reported with its numbers, and does not become dropped samples', () => {
    const text = readFileSync(unpack(files[0][1]), 'utf8');
    // Make the clock run 1.5 times too fast: the 90 s of samples then span 135 s of timestamps.
    let first: number | undefined;
    const fast = text.replace(/, (\d{13}),/g, (_, ms: string) => {
      first ??= Number(ms);
      return `, ${Math.round(first + (Number(ms) - first) * 1.5)},`;
    });
    const rec = parseOpenBciTxt(fast, 'fast-clock.txt');
    expect(rec.meta.droppedSamples).toBe('0');
    expect(rec.streams[0]!.data[0]!.length).toBe(22_490);
    expect(rec.meta.clockDisagreement).toMatch(
      /spans 134\.\d+ s but its 22490 samples at 250 Hz span 89\.956 s/,
    );
    expect(rec.annotations[0]).toEqual({ onsetS: 0, text: `Clock: ${rec.meta.clockDisagreement}` });
  });
});
