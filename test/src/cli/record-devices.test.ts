import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../../../src/shared/api/session-api.js';
import { SerialDeviceEmulator } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

let root: string | undefined;
let pair: SocatPair | undefined;
let emulator: SerialDeviceEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  await pair?.kill();
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
  pair = undefined;
  emulator = undefined;
});

async function plug(kind: 'bitalino' | 'line' | undefined): Promise<SocatPair> {
  root = mkdtempSync(join(tmpdir(), 'tonus-cli-dev-'));
  pair = new SocatPair(join(root, 'host'), join(root, 'device'));
  await pair.start();
  if (kind) {
    emulator = new SerialDeviceEmulator(kind, pair.devicePath);
    await emulator.open();
  }
  return pair;
}

const base = ['--seconds', '1.5', '--patient', 'P-CLI', '--protocol', 'rest', '--json'];

describe('tonus record from serial devices over socat', () => {
  it('stores a BITalino on A1–A3 at 100 Hz in three channels, complete, and exits 0', async () => {
    const p = await plug('bitalino');
    const dir = join(root ?? '', 'data');
    const spec = `serial:${p.hostPath}?kind=bitalino&channels=1,2,3&rate=100`;
    const rec = await capture(['--data-dir', dir, 'record', '--device', spec, ...base]);
    expect(rec.err).not.toMatch(/channels, descriptor has/);
    expect(rec.code).toBe(0);
    const detail = JSON.parse(rec.out) as SessionDetail;
    expect(detail).toMatchObject({ status: 'complete', endReason: 'duration' });
    expect(detail.streams[0]?.channels.map((c) => c.id)).toEqual(['A1', 'A2', 'A3']);
    expect(detail.storedSamples.analog).toBeGreaterThan(100);
  });

  it('exits 5 with the reason when a device sends nothing, and the session is interrupted, not complete', async () => {
    const p = await plug(undefined);
    const dir = join(root ?? '', 'data');
    const profile = join(root ?? '', 'profile.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'Silent sketch',
        sampleRateHz: 100,
        channels: [
          {
            field: 0,
            id: 'env',
            label: 'Envelope',
            kind: 'emg',
            unit: 'counts',
            rangeMin: 0,
            rangeMax: 1023,
          },
        ],
      }),
    );
    const spec = `serial:${p.hostPath}?kind=line&profile=${profile}`;
    const rec = await capture(['--data-dir', dir, 'record', '--device', spec, ...base]);
    expect(rec.code).toBe(5);
    expect(rec.err).toMatch(
      /Session 1 interrupted \(nothing was stored\): Nothing was stored: the device sent no samples\./,
    );
    const show = await capture(['--data-dir', dir, 'show', '1', '--json']);
    expect(JSON.parse(show.out)).toMatchObject({ status: 'interrupted', endReason: 'no-data' });
  });
});
