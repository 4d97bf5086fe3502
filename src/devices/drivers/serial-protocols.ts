/**
 * Command sequences of the serial devices (spec ../shared/spec/devices.md §1.1, §1.4, §4.2).
 *
 * Cyton:    `v` → read until `$$$` (banner; none = "board not ready") → `d` → read until `$$$` (a reply starting
 *           `Failure` = dongle present, board off) · start `b` · stop `s`.
 * BITalino: `0x07` → read the version line (`…_vX.Y\n`) → rate `(code << 6) | 0x03` · start `(mask << 2) | 0x01`
 *           · stop `0x00`. The Python API waits 100 ms before each command byte; so do we.
 * Line:     the profile's optional start / stop strings.
 */

import type { BitalinoChannel, BitalinoRateHz } from '../codecs/bitalino.js';
import {
  BITALINO_STOP_COMMAND,
  BITALINO_VERSION_COMMAND,
  bitalinoRateCommand,
  bitalinoStartCommand,
} from '../codecs/bitalino.js';
import type { LineProfile } from '../codecs/line-protocol.js';
import type { Transport } from '../transport.js';
import { readTextUntil } from '../transport.js';
import { CanceledError } from '../driver.js';
import type { DeviceProtocol } from './streaming-driver.js';
import { delay } from './streaming-driver.js';

/** A Cyton "v" that gets no byte back within this long is sent again (see the handshake). */
export const CYTON_RESEND_V_MS = 250;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export interface CytonProtocolOptions {
  /** How long to wait for each `$$$`-terminated reply. Default 3000 ms. */
  replyTimeoutMs?: number;
}

/** What the Cyton said at connect. */
export interface CytonInfo {
  banner: string;
  firmware?: string;
}

export function cytonProtocol(
  options: CytonProtocolOptions = {},
  info: Partial<CytonInfo> = {},
): DeviceProtocol {
  const timeoutMs = options.replyTimeoutMs ?? 3000;
  const hasDollars = (t: string): boolean => t.includes('$$$');
  return {
    async handshake(t: Transport, signal?: AbortSignal) {
      t.chunks.clear();
      const notReady = `Cyton on ${t.id} (board not ready, no $$$ after "v")`;
      const deadlineMs = Date.now() + timeoutMs;
      // A port that has just come back can drop the first "v" (its far end opened after we wrote):
      // while not a byte has come back, "v" is sent again every CYTON_RESEND_V_MS.
      let head = '';
      for (;;) {
        await t.write(ascii('v'));
        const leftMs = deadlineMs - Date.now();
        const chunk = await t.chunks.next(Math.max(0, Math.min(CYTON_RESEND_V_MS, leftMs)), signal);
        if (signal?.aborted) throw new CanceledError();
        if (chunk) {
          head = String.fromCharCode(...chunk.bytes);
          break;
        }
        if (Date.now() >= deadlineMs)
          throw new Error(`${notReady}: no reply within ${timeoutMs} ms (received "")`);
      }
      const banner = hasDollars(head)
        ? head
        : head +
          (await readTextUntil(
            t.chunks,
            (rest) => hasDollars(head + rest),
            Math.max(1, deadlineMs - Date.now()),
            notReady,
            signal,
          ));
      info.banner = banner.slice(0, banner.indexOf('$$$')).trim();
      const fw = /Firmware:\s*(v[\d.]+)/.exec(banner);
      if (fw?.[1]) info.firmware = fw[1];
      await t.write(ascii('d'));
      const reply = await readTextUntil(
        t.chunks,
        hasDollars,
        timeoutMs,
        `Cyton on ${t.id} (reply to "d")`,
        signal,
      );
      if (reply.trimStart().startsWith('Failure'))
        throw new Error(
          `Cyton on ${t.id}: the dongle answered but the board is off (${reply.trim().slice(0, 80)})`,
        );
    },
    async start(t: Transport) {
      await t.write(ascii('b'));
    },
    async stop(t: Transport) {
      await t.write(ascii('s'));
    },
  };
}

export interface BitalinoProtocolOptions {
  channels: readonly BitalinoChannel[];
  sampleRateHz: BitalinoRateHz;
  /** Pause before each command byte. Default 100 ms (as the official Python API). */
  commandGapMs?: number;
  replyTimeoutMs?: number;
}

/** What the BITalino said at connect. */
export interface BitalinoInfo {
  version: string;
  /** Version ≥ 4.2 means (r)evolution. */
  isRevolution: boolean;
}

export function bitalinoProtocol(
  options: BitalinoProtocolOptions,
  info: Partial<BitalinoInfo> = {},
): DeviceProtocol {
  const gapMs = options.commandGapMs ?? 100;
  const send = async (t: Transport, byte: number): Promise<void> => {
    await delay(gapMs);
    await t.write(Uint8Array.of(byte));
  };
  return {
    async handshake(t: Transport, signal?: AbortSignal) {
      t.chunks.clear();
      await send(t, BITALINO_VERSION_COMMAND);
      const line = await readTextUntil(
        t.chunks,
        (s) => s.includes('\n'),
        options.replyTimeoutMs ?? 3000,
        `BITalino on ${t.id} (version)`,
        signal,
      );
      const version = line.slice(0, line.indexOf('\n')).trim();
      const m = /_v(\d+)\.(\d+)/i.exec(version);
      if (!version.includes('BITalino') || !m)
        throw new Error(
          `BITalino on ${t.id}: unexpected version reply ${JSON.stringify(version.slice(0, 60))}`,
        );
      info.version = version;
      info.isRevolution = Number(m[1]) * 100 + Number(m[2]) >= 402;
      await send(t, bitalinoRateCommand(options.sampleRateHz));
    },
    async start(t: Transport) {
      await send(t, bitalinoStartCommand(options.channels.map((c) => c.input)));
    },
    async stop(t: Transport) {
      await send(t, BITALINO_STOP_COMMAND);
    },
  };
}

export function lineProtocol(profile: LineProfile): DeviceProtocol {
  return {
    async handshake() {},
    async start(t: Transport) {
      if (profile.startCommand) await t.write(ascii(profile.startCommand));
    },
    async stop(t: Transport) {
      if (profile.stopCommand) await t.write(ascii(profile.stopCommand));
    },
  };
}
