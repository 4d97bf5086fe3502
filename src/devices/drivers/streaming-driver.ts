import type { SampleBlock } from '../../shared/samples.js';
import { StreamClocks } from '../clock.js';
import type { Codec } from '../codecs/codec.js';
import type { BlockSink, DeviceDescriptor, DeviceDriver, DriverEvents, DriverStats } from '../driver.js';
import { CanceledError, DeviceDisconnectedError } from '../driver.js';
import type { Transport } from '../transport.js';

/** The device-specific part of a transport + codec driver: its command sequences. */
export interface DeviceProtocol {
  /** After the transport opens: wake the device, check it is there (reads replies from the transport). */
  handshake(transport: Transport, signal?: AbortSignal): Promise<void>;
  /** Starts streaming (write start commands). */
  start(transport: Transport): Promise<void>;
  /** Stops streaming (write stop commands). Must not throw when the device is already gone. */
  stop(transport: Transport): Promise<void>;
}

/**
 * A driver = descriptor + transport + codec + protocol. Guarantees of {@link DeviceDriver}, plus: each `start`
 * resets the codec and the clocks (a reconnected device restarts its counters); a transport failure while
 * streaming calls `events.onDisconnected` once and delivers nothing more; blocks carry host times from the
 * fitted clock of their stream.
 */
export class StreamingDriver implements DeviceDriver {
  private readonly clocks: StreamClocks;
  private isRunning = false;
  private pump: Promise<void> | undefined;
  private pumpAbort: AbortController | undefined;
  private batteryPercent: number | undefined;

  constructor(
    readonly descriptor: DeviceDescriptor,
    readonly transport: Transport,
    readonly codec: Codec,
    private readonly protocol: DeviceProtocol,
  ) {
    this.clocks = new StreamClocks(codec.streams);
    const watch = transport.waitUntilPresent?.bind(transport);
    if (watch) this.waitUntilPresent = watch;
  }

  /** Present when the transport can watch for its device's return. */
  readonly waitUntilPresent?: (signal: AbortSignal) => Promise<void>;

  async connect(signal?: AbortSignal): Promise<void> {
    await this.transport.open(signal);
    try {
      await this.protocol.handshake(this.transport, signal);
    } catch (err) {
      await this.transport.close();
      throw err;
    }
  }

  async start(sink: BlockSink, events: DriverEvents = {}): Promise<void> {
    await this.stop();
    this.codec.reset();
    this.clocks.reset();
    this.transport.chunks.clear();
    await this.protocol.start(this.transport);
    this.isRunning = true;
    this.pumpAbort = new AbortController();
    this.pump = this.run(sink, events, this.pumpAbort.signal);
  }

  /** Resolves when the stream ends on its own (a replay reached its end, the transport closed or failed). */
  async ended(): Promise<void> {
    await this.pump;
  }

  async stop(): Promise<void> {
    const wasRunning = this.isRunning;
    this.isRunning = false;
    this.pumpAbort?.abort();
    this.pumpAbort = undefined;
    await this.pump;
    this.pump = undefined;
    if (wasRunning && this.transport.chunks.isOpen)
      await this.protocol.stop(this.transport).catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    await this.stop();
    await this.transport.close();
  }

  stats(): DriverStats {
    const out: DriverStats = {
      codec: this.codec.stats(),
      streams: this.codec.streams.map((s) => ({
        streamId: s.id,
        nominalRateHz: s.sampleRateHz,
        effectiveRateHz: this.clocks.get(s.id)?.effectiveRateHz ?? s.sampleRateHz,
      })),
    };
    const battery = this.batteryPercent ?? this.transport.batteryPercent;
    if (battery !== undefined) out.batteryPercent = battery;
    return out;
  }

  private async run(sink: BlockSink, events: DriverEvents, signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        const chunk = await this.transport.chunks.next(Infinity, signal);
        if (!chunk || !this.isRunning) return;
        events.onChunk?.(chunk);
        const blocks: SampleBlock[] = this.codec.push(chunk.bytes, chunk.source);
        for (const m of this.codec.takeMessages()) {
          if (m.kind === 'battery') this.batteryPercent = m.percent;
          events.onMessage?.(m);
        }
        for (const b of this.clocks.stampAll(blocks, chunk.receivedAtMs)) {
          if (!this.isRunning) break;
          sink(b);
        }
      }
    } catch (err) {
      const wasRunning = this.isRunning;
      this.isRunning = false;
      if (err instanceof DeviceDisconnectedError) {
        if (wasRunning) events.onDisconnected?.(err);
      } else if (!(err instanceof CanceledError)) {
        events.onDisconnected?.(new DeviceDisconnectedError(this.descriptor.id, String(err)));
      }
    }
  }
}

/** Resolves after `ms` (command spacing some devices need). */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
