import type { Command } from 'commander';
import { CaptureWriter } from '../../devices/capture.node.js';
import { parseDeviceSpec } from '../../devices/descriptors.js';
import { createDriverForSpec } from '../../devices/drivers/device-factory.node.js';
import { BleCentral } from '../../devices/transports/ble.node.js';
import { emit } from '../output.js';

interface CaptureOptions {
  device: string;
  seconds: number;
  out: string;
  note?: string;
  json?: boolean;
}

/**
 * `tonus capture`: records the raw bytes a device sends while streaming (with receive times) to FILE and its
 * sidecar FILE.json (format in src/devices/capture-format.ts), decoding them on the way to report losses.
 */
export function registerCapture(program: Command): void {
  program
    .command('capture')
    .description('record raw device bytes with timestamps (a regression fixture for the codecs)')
    .requiredOption(
      '--device <spec>',
      'serial:PATH[?kind=cyton|cyton-daisy|bitalino|line&…] or ble:ID?kind=…',
    )
    .requiredOption('--seconds <n>', 'how long to record', (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 3600)) throw new Error(`--seconds must be between 0 and 3600, got "${v}"`);
      return n;
    })
    .requiredOption('--out <file>', 'capture file to write (the sidecar goes to FILE.json)')
    .option('--note <text>', 'free text stored in the sidecar (device, firmware, setup)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: CaptureOptions) => {
      const spec = parseDeviceSpec(opts.device);
      let central: BleCentral | undefined;
      const driver = await createDriverForSpec(spec, () => (central ??= new BleCentral()));
      const writer = new CaptureWriter(opts.out, opts.device, opts.note);
      const samples = new Map<string, number>();
      let disconnected: string | undefined;
      await driver.connect();
      await writer.open();
      await driver.start(
        (b) => samples.set(b.streamId, (samples.get(b.streamId) ?? 0) + b.timestampsMs.length),
        { onChunk: (c) => writer.add(c), onDisconnected: (e) => void (disconnected = e.message) },
      );
      await new Promise((r) => setTimeout(r, opts.seconds * 1000));
      const stats = driver.stats?.();
      await driver.disconnect();
      const sidecar = await writer.finish();
      const summary = {
        out: opts.out,
        sidecar: `${opts.out}.json`,
        chunks: sidecar.chunks,
        bytes: sidecar.bytes,
        samples: Object.fromEntries(samples),
        droppedSamples: stats?.codec.droppedSamples ?? 0,
        garbageBytes: stats?.codec.garbageBytes ?? 0,
        ...(disconnected ? { disconnected } : {}),
      };
      emit(opts.json, summary, () => {
        console.log(`Captured ${summary.chunks} chunks (${summary.bytes} bytes) to ${summary.out}`);
        console.log(
          `Decoded: ${[...samples].map(([s, n]) => `${s} ${n} samples`).join(', ') || 'nothing'}; dropped ${summary.droppedSamples}, garbage ${summary.garbageBytes} bytes`,
        );
        if (disconnected) console.log(`The device disconnected during the capture: ${disconnected}`);
      });
    });
}
