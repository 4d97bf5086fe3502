import type { StreamDescriptor, SampleBlock } from '../shared/samples.js';
import type { CodecStats, DeviceMessage } from './codecs/codec.js';

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

/** Optional callbacks a driver calls while streaming. */
export interface DriverEvents {
  /** The device went away while streaming; no block follows until the caller connects and starts again. */
  onDisconnected?(error: DeviceDisconnectedError): void;
  /** In-band messages (text replies, impedance, battery). */
  onMessage?(message: DeviceMessage): void;
  /** Every raw chunk as received (byte captures). */
  onChunk?(chunk: { bytes: Uint8Array; receivedAtMs: number; source?: string }): void;
}

/** Loss and rate accounting of a driver since its last `start`. */
export interface DriverStats {
  codec: CodecStats;
  streams: { streamId: string; nominalRateHz: number; effectiveRateHz: number }[];
  /** Battery level in percent, when the device reports it. */
  batteryPercent?: number;
}

/**
 * Lifecycle of one device. Guarantees: `start` delivers blocks to `sink` until `stop` or `disconnect`
 * resolves, and never after; blocks of each stream arrive in sample order with `firstSeq` counting
 * samples since `start`.
 */
export interface DeviceDriver {
  readonly descriptor: DeviceDescriptor;
  connect(signal?: AbortSignal): Promise<void>;
  start(sink: BlockSink, events?: DriverEvents): Promise<void>;
  stop(): Promise<void>;
  disconnect(): Promise<void>;
  /** Loss and rate counters (drivers of real devices). */
  stats?(): DriverStats;
  /** Resolves once a lost device is seen again (see `Transport.waitUntilPresent`); absent when it cannot be watched. */
  waitUntilPresent?(signal: AbortSignal): Promise<void>;
}
