import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { decodeCapture } from '../../../src/devices/capture-format.js';
import { CaptureWriter, createReplayDriver, readCapture } from '../../../src/devices/capture.node.js';
import { cytonUvPerCount } from '../../../src/devices/codecs/cyton.js';
import type { SampleBlock } from '../../../src/shared/samples.js';
import { SerialDeviceEmulator } from '../../emulators/serial-device-emulator.js';
import { SocatPair } from '../../emulators/socat-pair.js';

const FIXTURE = join(import.meta.dirname, '../../../fixtures/captures/cyton-emulator.bin');

async function replayAll(path: string): Promise<SampleBlock[]> {
  const driver = await createReplayDriver(path);
  await driver.connect();
  const blocks: SampleBlock[] = [];
  await driver.start((b) => blocks.push(b));
  await driver.ended();
  await driver.disconnect();
  return blocks;
}

describe('byte captures', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('replays the committed Cyton capture through the real codec: every packet, no loss, the emulator signal', async () => {
    const { sidecar, records } = await readCapture(FIXTURE);
    expect(records).toHaveLength(sidecar.chunks);
    expect(records.reduce((n, r) => n + r.bytes.length, 0)).toBe(sidecar.bytes);
    const blocks = await replayAll(FIXTURE);
    const exg = blocks.filter((b) => b.streamId === 'exg');
    const n = exg.reduce((k, b) => k + b.timestampsMs.length, 0);
    expect(n).toBe(sidecar.bytes / 33);
    const ch2 = exg.flatMap((b) => Array.from(b.data[1] ?? []));
    ch2.forEach((v, i) =>
      expect(v).toBeCloseTo(
        Math.round(10000 * Math.sin((2 * Math.PI * 2 * i) / 250)) * cytonUvPerCount(24),
        2,
      ),
    );
    const times = exg.flatMap((b) => Array.from(b.timestampsMs));
    expect(times[0]).toBeGreaterThanOrEqual(sidecar.startedAtMs - 1000);
    expect(times.at(-1)).toBeLessThanOrEqual(sidecar.startedAtMs + sidecar.durationMs + 1);
    const accel = blocks.filter((b) => b.streamId === 'accel').flatMap((b) => Array.from(b.data[2] ?? []));
    expect(accel.every((z) => Math.abs(z - 1) < 1e-6)).toBe(true);
  });

  it('round-trips chunks with sources and times, and names the byte offset of a truncated record', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-cap-'));
    const path = join(dir, 'myo.bin');
    const w = new CaptureWriter(path, 'ble:d0d0d0000003?kind=myo');
    await w.open();
    w.add({ bytes: Uint8Array.of(1, 2, 3), receivedAtMs: 1000, source: 'aa' });
    w.add({ bytes: Uint8Array.of(), receivedAtMs: 1010 });
    w.add({ bytes: Uint8Array.of(9), receivedAtMs: 1020.5, source: 'bb' });
    const sidecar = await w.finish();
    expect(sidecar).toMatchObject({
      sources: ['aa', 'bb'],
      chunks: 3,
      bytes: 4,
      durationMs: 20.5,
      startedAtMs: 1000,
    });
    const { records } = await readCapture(path);
    expect(records).toEqual([
      { offsetMs: 0, source: 'aa', bytes: Uint8Array.of(1, 2, 3) },
      { offsetMs: 10, bytes: Uint8Array.of() },
      { offsetMs: 20.5, source: 'bb', bytes: Uint8Array.of(9) },
    ]);
    const bytes = readFileSync(path);
    expect(() => decodeCapture(bytes.subarray(0, bytes.length - 1), ['aa', 'bb'], 'x.bin')).toThrow(
      /x\.bin: record at byte 39 says 1 bytes but the file ends first/,
    );
    expect(() => decodeCapture(Uint8Array.of(1, 2, 3), [], 'y.bin')).toThrow(/y\.bin: not a Tonus capture/);
    writeFileSync(`${path}.json`, '{"format":"other"}');
    await expect(readCapture(path)).rejects.toThrow(/myo\.bin\.json: format/);
  });

  // Needs socat for a real pty pair.
  it('`tonus capture` records a serial device and its capture replays to the same samples', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-cap-'));
    const pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
    await pair.start();
    const emulator = new SerialDeviceEmulator('cyton', pair.devicePath);
    await emulator.open();
    const out = join(dir, 'cap.bin');
    let printed = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      printed += c.toString();
      return true;
    });
    let code: number;
    try {
      code = await runCli([
        'capture',
        '--device',
        `serial:${pair.hostPath}`,
        '--seconds',
        '0.6',
        '--out',
        out,
        '--json',
      ]);
    } finally {
      spy.mockRestore();
      await emulator.close();
      await pair.kill();
    }
    expect(code).toBe(0);
    const summary = JSON.parse(printed) as { samples: { exg: number }; droppedSamples: number };
    expect(summary.samples.exg).toBeGreaterThan(50);
    expect(summary.droppedSamples).toBe(0);
    const replayed = (await replayAll(out)).filter((b) => b.streamId === 'exg');
    expect(replayed.reduce((n, b) => n + b.timestampsMs.length, 0)).toBe(summary.samples.exg);
  });
});
