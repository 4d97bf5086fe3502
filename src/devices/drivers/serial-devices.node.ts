import { readFile } from 'node:fs/promises';
import type { DeviceDescriptor } from '../driver.js';
import type { BitalinoChannel, BitalinoRateHz } from '../codecs/bitalino.js';
import { BitalinoCodec } from '../codecs/bitalino.js';
import { CytonCodec } from '../codecs/cyton.js';
import type { LineProfile } from '../codecs/line-protocol.js';
import { LineProtocolCodec, parseLineProfile } from '../codecs/line-protocol.js';
import { SerialTransport } from '../transports/serial.node.js';
import type { BitalinoInfo, CytonInfo } from './serial-protocols.js';
import { bitalinoProtocol, cytonProtocol, lineProtocol } from './serial-protocols.js';
import { StreamingDriver } from './streaming-driver.js';

export const CYTON_BAUD = 115200;
export const BITALINO_BAUD = 115200;

export interface CytonDriverOptions {
  isDaisy?: boolean;
  replyTimeoutMs?: number;
}

/** An OpenBCI Cyton (or Cyton + Daisy) on a serial port; `info` fills in at connect. */
export function createCytonDriver(
  path: string,
  options: CytonDriverOptions = {},
): StreamingDriver & { info: Partial<CytonInfo> } {
  const codec = new CytonCodec({ isDaisy: options.isDaisy ?? false });
  const descriptor: DeviceDescriptor = {
    id: `serial:${path}`,
    name: options.isDaisy ? 'OpenBCI Cyton + Daisy' : 'OpenBCI Cyton',
    transport: 'serial',
    streams: codec.streams,
  };
  const info: Partial<CytonInfo> = {};
  const opts = options.replyTimeoutMs === undefined ? {} : { replyTimeoutMs: options.replyTimeoutMs };
  const driver = new StreamingDriver(
    descriptor,
    new SerialTransport(path, { baudRate: CYTON_BAUD }),
    codec,
    cytonProtocol(opts, info),
  );
  return Object.assign(driver, { info });
}

export interface BitalinoDriverOptions {
  channels: readonly BitalinoChannel[];
  sampleRateHz: BitalinoRateHz;
  commandGapMs?: number;
}

/** A BITalino on a serial port (USB or BT-SPP); `info` fills in at connect. */
export function createBitalinoDriver(
  path: string,
  options: BitalinoDriverOptions,
): StreamingDriver & { info: Partial<BitalinoInfo> } {
  const codec = new BitalinoCodec({ channels: options.channels, sampleRateHz: options.sampleRateHz });
  const descriptor: DeviceDescriptor = {
    id: `serial:${path}`,
    name: 'BITalino',
    transport: 'serial',
    streams: codec.streams,
  };
  const info: Partial<BitalinoInfo> = {};
  const driver = new StreamingDriver(
    descriptor,
    new SerialTransport(path, { baudRate: BITALINO_BAUD }),
    codec,
    bitalinoProtocol(options, info),
  );
  return Object.assign(driver, { info });
}

/** A line-protocol device (Arduino sketch) described by a profile. */
export function createLineDriver(path: string, profile: LineProfile, baudRate = 115200): StreamingDriver {
  const codec = new LineProtocolCodec(profile);
  const descriptor: DeviceDescriptor = {
    id: `serial:${path}`,
    name: profile.name,
    transport: 'serial',
    streams: codec.streams,
  };
  return new StreamingDriver(
    descriptor,
    new SerialTransport(path, { baudRate }),
    codec,
    lineProtocol(profile),
  );
}

/** Reads and validates a line-protocol profile file; errors name the file. */
export async function loadLineProfile(file: string): Promise<LineProfile> {
  return parseLineProfile(await readFile(file, 'utf8'), file);
}
