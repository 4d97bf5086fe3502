import type { StreamDescriptor, SampleBlock } from '../shared/samples.js';

/** How a device reaches the host. */
export type TransportKind = 'builtin' | 'file' | 'serial' | 'ble';

/** A device described as data: what it is and what it streams. */
export interface DeviceDescriptor {
  /** Stable id, e.g. `synthetic` or `serial:/dev/ttyUSB0`. */
  id: string;
  name: string;
  transport: TransportKind;
  streams: readonly StreamDescriptor[];
}

/** Receives decoded sample blocks, in order per stream. */
export type BlockSink = (block: SampleBlock) => void;

/** The driver was cancelled by its caller (AbortSignal or stop()). */
export class CanceledError extends Error {
  constructor(message = 'Cancelled.') {
    super(message);
    this.name = 'CanceledError';
  }
}

/** The device went away (unplugged, out of range, powered off). */
export class DeviceDisconnectedError extends Error {
  constructor(
    readonly deviceId: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceDisconnectedError';
  }
}

/**
 * Lifecycle of one device. Guarantees: `start` delivers blocks to `sink` until `stop` or `disconnect`
 * resolves, and never after; blocks of each stream arrive in sample order with `firstSeq` counting
 * samples since `start`.
 */
export interface DeviceDriver {
  readonly descriptor: DeviceDescriptor;
  connect(signal?: AbortSignal): Promise<void>;
  start(sink: BlockSink): Promise<void>;
  stop(): Promise<void>;
  disconnect(): Promise<void>;
}
