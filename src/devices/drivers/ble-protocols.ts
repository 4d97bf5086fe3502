/**
 * Command sequences of the BLE devices (spec ../shared/spec/devices.md §2.1–2.2, §3.2, §5.1, §5.2).
 *
 * Ganglion: firmware from 2a28 (first character '3' → 3, else 2) · accelerometer `n` / `N` · start `b` (or `z`
 *           for impedance) · stop `s` (or `Z`); every command is a write without response to 2d30c083-….
 * Myo:      start `01 03 03 01 00` (raw EMG, IMU, no classifier) then `09 01 01` (never sleep) · stop
 *           `01 03 00 00 00` then `09 01 00`; writes with response to d5060401-….
 * MyoWare:  no commands (it notifies as soon as someone subscribes).
 * MetaWear: `03 03 <conf> <range>`, `03 04 01`, `03 02 01 00`, `03 01 01` · stop `03 01 00`, `03 02 00 01`,
 *           `03 04 00`; writes to 326a9001-….
 */

import type { GanglionCodec } from '../codecs/ganglion.js';
import { GANGLION_SEND_CHAR, GANGLION_SOFTWARE_REVISION_CHAR } from '../codecs/ganglion.js';
import type { MetawearOptions } from '../codecs/metawear.js';
import { METAWEAR_COMMAND_CHAR, metawearStartCommands, metawearStopCommands } from '../codecs/metawear.js';
import {
  MYO_COMMAND_CHAR,
  MYO_NEVER_SLEEP,
  MYO_NORMAL_SLEEP,
  MYO_START_FILTERED,
  MYO_START_RAW,
  MYO_STOP,
} from '../codecs/myo.js';
import type { Transport } from '../transport.js';
import type { DeviceProtocol } from './streaming-driver.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Reads a value the transport fetched at connect (BLE transports expose `readValues`). */
type WithReadValues = Transport & { readValues?: Map<string, Uint8Array> };

export interface GanglionOptions {
  /** Accelerometer on (18-bit packets, `n`) or off (19-bit, `N`). Default on. */
  hasAccelerometer?: boolean;
  /** Stream impedance instead of EXG (`z` / `Z`). */
  isImpedanceMode?: boolean;
}

/** Firmware generation from the 2a28 software revision string. */
export const ganglionFirmwareFrom = (revision: Uint8Array | undefined): 2 | 3 =>
  revision && revision[0] === '3'.charCodeAt(0) ? 3 : 2;

export function ganglionProtocol(codec: GanglionCodec, options: GanglionOptions = {}): DeviceProtocol {
  const send = (t: Transport, cmd: string): Promise<void> => t.write(ascii(cmd), GANGLION_SEND_CHAR, true);
  return {
    async handshake(t: WithReadValues) {
      codec.setFirmware(ganglionFirmwareFrom(t.readValues?.get(GANGLION_SOFTWARE_REVISION_CHAR)));
    },
    async start(t) {
      if (options.isImpedanceMode) return send(t, 'z');
      await send(t, options.hasAccelerometer === false ? 'N' : 'n');
      await send(t, 'b');
    },
    async stop(t) {
      await send(t, options.isImpedanceMode ? 'Z' : 's');
    },
  };
}

export function myoProtocol(options: { isFiltered?: boolean } = {}): DeviceProtocol {
  const send = (t: Transport, bytes: Uint8Array): Promise<void> => t.write(bytes, MYO_COMMAND_CHAR, false);
  return {
    async handshake() {},
    async start(t) {
      await send(t, options.isFiltered ? MYO_START_FILTERED : MYO_START_RAW);
      await send(t, MYO_NEVER_SLEEP);
    },
    async stop(t) {
      await send(t, MYO_STOP);
      await send(t, MYO_NORMAL_SLEEP);
    },
  };
}

export const myowareProtocol = (): DeviceProtocol => ({
  async handshake() {},
  async start() {},
  async stop() {},
});

export function metawearProtocol(options: MetawearOptions = {}): DeviceProtocol {
  return {
    async handshake() {},
    async start(t) {
      for (const c of metawearStartCommands(options)) await t.write(c, METAWEAR_COMMAND_CHAR, false);
    },
    async stop(t) {
      for (const c of metawearStopCommands()) await t.write(c, METAWEAR_COMMAND_CHAR, false);
    },
  };
}
