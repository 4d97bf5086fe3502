import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalDataDir } from '../../support/external-data.js';
import { encodeRecording } from '../../../src/io/edf/edf-encoder.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { demoFixtures, demoRecording, uciRecording } from '../../../scripts/fixtures/demo-fixtures.js';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures');
const readme = readFileSync(join(fixtures, 'README.md'), 'utf8');
const external = join(externalDataDir(), 'uci-lower-limb');

describe('fixtures/', () => {
  it('lists every recording in its README, keeps the UCI licence beside it and stays under 2 MB', () => {
    const files = readdirSync(fixtures).filter(
      (f) => f !== 'README.md' && statSync(join(fixtures, f)).isFile(),
    );
    for (const f of files.filter((x) => x.endsWith('.bdf'))) expect(readme).toContain(`\`${f}\``);
    expect(files).toContain('uci-lower-limb-LICENSE.txt');
    const total = files.reduce((n, f) => n + readFileSync(join(fixtures, f)).length, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it.each(demoFixtures.map((f) => [f.file, f] as const))(
    '%s is what the demo device plays, byte for byte',
    (file, f) => {
      const bytes = readFileSync(join(fixtures, file));
      const chunks = encodeRecording(demoRecording(f), 'bdf');
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      const rec = readRecordingFile(join(fixtures, file));
      expect(rec.streams.map((s) => [s.descriptor.id, s.descriptor.sampleRateHz])).toEqual([
        ['emg', 2000],
        ['imu', 100],
      ]);
      expect(rec.annotations[0]?.text).toBe(`Protocol: ${f.protocol}`);
    },
  );

  it('the UCI fixture holds the CSV samples within BDF quantisation', () => {
    const rec = readRecordingFile(join(fixtures, 'uci-lower-limb-3Asen.bdf'));
    const source = uciRecording(join(external, '3Asen.csv'), '3Asen', 'x');
    expect(rec.streams[0]!.descriptor.channels.map((c) => c.label)).toEqual(
      source.streams[0]!.descriptor.channels.map((c) => c.label),
    );
    source.streams.forEach((s, si) =>
      s.data.forEach((c, ci) => {
        const back = rec.streams[si]!.data[ci]!;
        const ch = s.descriptor.channels[ci]!;
        const step = (ch.rangeMax - ch.rangeMin) / (2 ** 24 - 1);
        expect(back.length).toBe(c.length);
        for (let i = 0; i < c.length; i += 97) expect(Math.abs(back[i]! - c[i]!)).toBeLessThanOrEqual(step);
      }),
    );
  });
});
