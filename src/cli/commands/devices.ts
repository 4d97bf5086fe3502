import type { Command } from 'commander';
import { builtinDevices } from '../../devices/registry.js';
import { emit } from '../output.js';

export function registerDevices(program: Command): void {
  program
    .command('devices')
    .description('list the devices Tonus can record from')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const devices = builtinDevices.map(({ descriptor: d }) => ({
        id: d.id,
        name: d.name,
        transport: d.transport,
        streams: d.streams.map((s) => ({
          id: s.id,
          sampleRateHz: s.sampleRateHz,
          channels: s.channels.length,
        })),
      }));
      emit(opts.json, devices, () => {
        for (const d of devices) {
          const streams = d.streams.map((s) => `${s.id} ${s.channels} ch @ ${s.sampleRateHz} Hz`).join(', ');
          console.log(`${d.id.padEnd(12)} ${d.name} [${d.transport}] ${streams}`);
        }
      });
    });
}
