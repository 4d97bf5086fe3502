import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplaySummary } from '../../../src/cli/commands/replay.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures');

afterEach(() => {
  process.exitCode = undefined;
});

describe('tonus replay', () => {
  it('plays a fixture as fast as possible and reports per-stream sample counts as JSON', async () => {
    const { code, out } = await capture([
      'replay',
      join(fixtures, 'demo-rest.bdf'),
      '--speed',
      'max',
      '--json',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(out) as ReplaySummary;
    expect(summary).toMatchObject({ format: 'bdf', durationS: 20, speed: 'max', playedS: 20 });
    expect(summary.streams.map((s) => [s.id, s.samples, s.channels])).toEqual([
      ['emg', 40000, 2],
      ['imu', 2000, 6],
    ]);
    expect(summary.streams[0]!.firstTimestampMs).toBe(Date.UTC(2026, 10, 24, 9, 0, 0));
    expect(summary.streams[1]!.lastTimestampMs).toBe(Date.UTC(2026, 10, 24, 9, 0, 0) + 19990);
  });

  it('loops until --seconds of recording time have played', async () => {
    const { out } = await capture([
      'replay',
      join(fixtures, 'demo-rest.bdf'),
      '--speed',
      'max',
      '--loop',
      '--seconds',
      '50',
      '--json',
    ]);
    const summary = JSON.parse(out) as ReplaySummary;
    expect(summary.playedS).toBe(50);
    const imu = summary.streams[1]!;
    expect(imu.samples).toBeGreaterThanOrEqual(5000);
    expect(imu.samples).toBeLessThan(5000 + 20);
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await capture([
      'replay',
      join(fixtures, 'demo-pendulum.bdf'),
      '--speed',
      '64',
      '--seconds',
      '2',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/demo-pendulum\.bdf \(bdf, 17\.00 s\): played 2\.\d\d s at 64x/);
    expect(out).toMatch(/emg\s+2 ch @ 2000 Hz {2}\d+ samples/);
  });

  it('refuses a bad file with exit code 4 and a message naming file and place', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'tonus-replay-')), 'broken.bdf');
    writeFileSync(bad, Buffer.from('\xffBIOSEMI truncated', 'latin1'));
    const { code, err } = await capture(['replay', bad, '--json']);
    expect(code).toBe(4);
    expect(process.exitCode).toBeUndefined();
    expect(err).toMatch(/broken\.bdf: file is truncated.*byte offset 18/);
  });

  it('rejects a speed outside 0.25x to 64x as a usage error', async () => {
    const { code, err } = await capture(['replay', join(fixtures, 'demo-rest.bdf'), '--speed', '100']);
    expect(code).toBe(2);
    expect(err).toMatch(/speed must be 0.25 to 64/);
  });
});
