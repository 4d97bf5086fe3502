import type { DeviceSpec } from '../devices/descriptors.js';
import { deviceKinds, parseDeviceSpec } from '../devices/descriptors.js';
import type {
  BlockSink,
  DeviceDescriptor,
  DeviceDriver,
  DeviceDisconnectedError,
  DriverEvents,
  DriverStats,
} from '../devices/driver.js';
import type { DeviceEntry } from '../devices/registry.js';
import type { DeviceMessage } from '../devices/codecs/codec.js';
import type { SampleBlock } from '../shared/samples.js';
import { waitForDeviceReturn } from './device-return.js';

/** A connected device that sends nothing for this long is shown as `no-data`. */
export const WATCHDOG_TIMEOUT_MS = 2000;
const WATCHDOG_TICK_MS = 250;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000] as const;
/** Longest wait for a watched device's return before trying again anyway. */
const RETURN_WAIT_MAX_MS = 5000;

export type ManagedState = 'connecting' | 'streaming' | 'no-data' | 'reconnecting' | 'disconnected' | 'error';

/** What a UI shows about one device of the session. */
export interface DeviceStatusSnapshot {
  deviceId: string;
  name: string;
  state: ManagedState;
  message?: string;
  /** Host time of the last block, ms since epoch (0 before the first). */
  lastDataAtMs: number;
  reconnects: number;
  droppedSamples: number;
  garbageBytes: number;
  batteryPercent?: number;
  streams: { streamId: string; nominalRateHz: number; effectiveRateHz: number }[];
}

/** A span without data between a disconnection and the first block after reconnecting. */
export interface DataGap {
  deviceId: string;
  startMs: number;
  endMs: number;
  reason: string;
}

/** A device found by discovery. */
export interface DiscoveredDevice {
  /** Device spec to connect with (`serial:…?kind=…`, `ble:…?kind=…`, or a builtin id). */
  spec: string;
  id: string;
  name: string;
  transport: 'builtin' | 'serial' | 'ble';
  kind?: string;
  rssi?: number;
  vendorId?: string;
  productId?: string;
}

export interface DiscoveryResult {
  devices: DiscoveredDevice[];
  /** Adapter state and a sentence for the user, when BLE was scanned. */
  ble: { state: string; message: string };
}

/** The sources discovery and connection use; injected so the manager can be tested with real fakes. */
export interface DeviceManagerDeps {
  builtin: () => readonly DeviceEntry[];
  /** Serial ports and BLE advertisements; each must resolve (never throw) with what it found. */
  discover: (timeoutMs: number) => Promise<DiscoveryResult>;
  createDriver: (spec: DeviceSpec) => Promise<DeviceDriver>;
  nowMs?: () => number;
}

export interface DeviceManagerEvents {
  onBlock?(deviceId: string, block: SampleBlock): void;
  onStatus?(status: DeviceStatusSnapshot): void;
  onGap?(gap: DataGap): void;
  onMessage?(deviceId: string, message: DeviceMessage): void;
}

interface Managed {
  spec: DeviceSpec;
  driver: DeviceDriver;
  state: ManagedState;
  message?: string;
  lastDataAtMs: number;
  reconnects: number;
  gapStartMs?: number;
  gapReason?: string;
  isRemoved: boolean;
  /** Counters of previous connections (a reconnection resets the driver's). */
  carriedDropped: number;
  carriedGarbage: number;
}

/**
 * Several devices in one session: discovery across builtin, serial and BLE; connection by device spec; a
 * watchdog turning "connected but silent for 2 s" into `no-data`; automatic reconnection after a
 * disconnection, reported as a {@link DataGap}; per-device loss and rate counters. All block timestamps are
 * host epoch ms from each stream's fitted clock, so devices share one time axis.
 */
export class DeviceManager {
  private readonly devices = new Map<string, Managed>();
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly nowMs: () => number;
  private lastDiscovery: DiscoveredDevice[] = [];

  constructor(
    private readonly deps: DeviceManagerDeps,
    private readonly events: DeviceManagerEvents = {},
  ) {
    this.nowMs = deps.nowMs ?? Date.now;
  }

  /** Builtin devices, then serial ports, then BLE advertisements (with RSSI), and the BLE adapter state. */
  async scan(timeoutMs = 4000): Promise<DiscoveryResult> {
    const builtin: DiscoveredDevice[] = this.deps.builtin().map(({ descriptor: d }) => ({
      spec: d.id,
      id: d.id,
      name: d.name,
      transport: 'builtin',
    }));
    const found = await this.deps.discover(timeoutMs);
    this.lastDiscovery = [...builtin, ...found.devices];
    return { devices: this.lastDiscovery, ble: found.ble };
  }

  /**
   * Registry entries for the non-builtin devices of the last scan: `create()` gives a driver that builds the
   * real one at `connect`, so code that starts one device by id (the single-device acquisition) can start a
   * discovered device with `start("serial:/dev/ttyUSB0")` unchanged.
   */
  discoveredEntries(): DeviceEntry[] {
    return this.lastDiscovery
      .filter((d) => d.transport !== 'builtin')
      .map((d) => specDeviceEntry(d.spec, d.name, this.deps.createDriver));
  }

  /** The spec discovery proposed for `id` (with its kind), or `id` itself. */
  specFor(id: string): string {
    return this.lastDiscovery.find((d) => d.id === id)?.spec ?? id;
  }

  /** Connects a device by spec and starts streaming it; resolves with its status. Errors name the device. */
  async connect(specText: string, signal?: AbortSignal): Promise<DeviceStatusSnapshot> {
    const spec = parseDeviceSpec(this.specFor(specText));
    const existing = this.devices.get(spec.id);
    if (existing && !existing.isRemoved) return this.snapshot(existing);
    const driver = await this.createDriver(spec);
    const m: Managed = {
      spec,
      driver,
      state: 'connecting',
      lastDataAtMs: 0,
      reconnects: 0,
      isRemoved: false,
      carriedDropped: 0,
      carriedGarbage: 0,
    };
    this.devices.set(spec.id, m);
    this.publish(m);
    try {
      await driver.connect(signal);
      await this.startStreaming(m);
    } catch (err) {
      this.devices.delete(spec.id);
      m.state = 'error';
      m.message = err instanceof Error ? err.message : String(err);
      this.publish(m);
      throw err;
    }
    this.ensureWatchdog();
    return this.snapshot(m);
  }

  /** Stops and disconnects one device (no reconnection follows). */
  async disconnect(deviceId: string): Promise<void> {
    const m = this.devices.get(deviceId);
    if (!m) return;
    m.isRemoved = true;
    this.devices.delete(deviceId);
    await m.driver.disconnect().catch(() => undefined);
    m.state = 'disconnected';
    this.publish(m);
    if (this.devices.size === 0) this.stopWatchdog();
  }

  /** Disconnects everything. */
  async close(): Promise<void> {
    await Promise.all([...this.devices.keys()].map((id) => this.disconnect(id)));
    this.stopWatchdog();
  }

  statuses(): DeviceStatusSnapshot[] {
    return [...this.devices.values()].map((m) => this.snapshot(m));
  }

  private async createDriver(spec: DeviceSpec): Promise<DeviceDriver> {
    if (spec.transport === 'builtin') {
      const entry = this.deps.builtin().find((e) => e.descriptor.id === spec.id);
      if (!entry) throw new Error(`No builtin device with id "${spec.id}".`);
      return entry.create();
    }
    return this.deps.createDriver(spec);
  }

  private async startStreaming(m: Managed): Promise<void> {
    await m.driver.start((block) => this.onBlock(m, block), {
      onDisconnected: (err) => void this.onDisconnected(m, err),
      onMessage: (msg) => this.events.onMessage?.(m.spec.id, msg),
    });
    m.state = 'streaming';
    m.message = undefined;
    this.watchdogBaseline.set(m, this.nowMs());
    this.publish(m);
  }

  private readonly watchdogBaseline = new WeakMap<Managed, number>();

  private onBlock(m: Managed, block: SampleBlock): void {
    if (m.isRemoved) return;
    const now = this.nowMs();
    if (m.gapStartMs !== undefined) {
      this.events.onGap?.({
        deviceId: m.spec.id,
        startMs: m.gapStartMs,
        endMs: block.timestampsMs[0] ?? now,
        reason: m.gapReason ?? 'disconnected',
      });
      m.gapStartMs = undefined;
      m.gapReason = undefined;
    }
    m.lastDataAtMs = now;
    if (m.state === 'no-data') {
      m.state = 'streaming';
      m.message = undefined;
      this.publish(m);
    }
    this.events.onBlock?.(m.spec.id, block);
  }

  private async onDisconnected(m: Managed, err: DeviceDisconnectedError): Promise<void> {
    if (m.isRemoved) return;
    const stats = m.driver.stats?.();
    m.carriedDropped += stats?.codec.droppedSamples ?? 0;
    m.carriedGarbage += stats?.codec.garbageBytes ?? 0;
    m.gapStartMs ??= m.lastDataAtMs || this.nowMs();
    m.gapReason = err.message;
    m.state = 'reconnecting';
    m.message = `${err.message} Reconnecting…`;
    this.publish(m);
    for (let attempt = 0; !m.isRemoved; attempt++) {
      await waitForDeviceReturn(m.driver, attempt, RECONNECT_DELAYS_MS, RETURN_WAIT_MAX_MS);
      if (m.isRemoved) return;
      try {
        await m.driver.connect();
        if (m.isRemoved) {
          await m.driver.disconnect().catch(() => undefined);
          return;
        }
        m.reconnects++;
        await this.startStreaming(m);
        return;
      } catch (e) {
        m.message = `${e instanceof Error ? e.message : String(e)} Retrying…`;
        this.publish(m);
      }
    }
  }

  private ensureWatchdog(): void {
    if (this.watchdog !== undefined) return;
    let ticks = 0;
    this.watchdog = setInterval(() => {
      ticks++;
      const now = this.nowMs();
      for (const m of this.devices.values()) {
        if (m.state === 'streaming') {
          const since = Math.max(m.lastDataAtMs, this.watchdogBaseline.get(m) ?? 0);
          if (now - since > WATCHDOG_TIMEOUT_MS) {
            m.state = 'no-data';
            m.message = `Connected but no data for ${Math.round((now - since) / 1000)} s.`;
            this.publish(m);
          }
        }
        if (ticks % 4 === 0 && (m.state === 'streaming' || m.state === 'no-data')) this.publish(m);
      }
    }, WATCHDOG_TICK_MS);
    this.watchdog.unref?.();
  }

  private stopWatchdog(): void {
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private publish(m: Managed): void {
    this.events.onStatus?.(this.snapshot(m));
  }

  private snapshot(m: Managed): DeviceStatusSnapshot {
    const stats: DriverStats | undefined = m.driver.stats?.();
    const s: DeviceStatusSnapshot = {
      deviceId: m.spec.id,
      name: m.driver.descriptor.name,
      state: m.state,
      lastDataAtMs: m.lastDataAtMs,
      reconnects: m.reconnects,
      droppedSamples: m.carriedDropped + (stats?.codec.droppedSamples ?? 0),
      garbageBytes: m.carriedGarbage + (stats?.codec.garbageBytes ?? 0),
      streams:
        stats?.streams ??
        m.driver.descriptor.streams.map((st) => ({
          streamId: st.id,
          nominalRateHz: st.sampleRateHz,
          effectiveRateHz: st.sampleRateHz,
        })),
    };
    if (m.message) s.message = m.message;
    if (stats?.batteryPercent !== undefined) s.batteryPercent = stats.batteryPercent;
    return s;
  }
}

/**
 * A registry entry for a device spec whose driver is built at `connect` (building may read files or load
 * Bluetooth). Before `connect` the descriptor has no streams; after it, the real driver's descriptor.
 */
export function specDeviceEntry(
  specText: string,
  name: string,
  createDriver: (spec: DeviceSpec) => Promise<DeviceDriver>,
): DeviceEntry {
  const spec = parseDeviceSpec(specText);
  const kindId = spec.kind ?? (spec.transport === 'serial' ? 'cyton' : undefined);
  const placeholder: DeviceDescriptor = {
    id: spec.id,
    name,
    transport: spec.transport === 'builtin' ? 'builtin' : spec.transport,
    // The kind's nominal streams until the real driver (which may refine them) has connected.
    streams: deviceKinds.find((k) => k.kind === kindId)?.streams ?? [],
  };
  return { descriptor: placeholder, create: () => new DeferredDriver(spec, placeholder, createDriver) };
}

/** A driver that creates the real one on `connect` and delegates to it. */
class DeferredDriver implements DeviceDriver {
  private inner: DeviceDriver | undefined;

  constructor(
    private readonly spec: DeviceSpec,
    private readonly placeholder: DeviceDescriptor,
    private readonly createDriver: (spec: DeviceSpec) => Promise<DeviceDriver>,
  ) {}

  get descriptor(): DeviceDescriptor {
    return this.inner?.descriptor ?? this.placeholder;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    this.inner ??= await this.createDriver(this.spec);
    await this.inner.connect(signal);
  }

  /** The connected driver's watch for its device's return, once there is one that can watch. */
  get waitUntilPresent(): ((signal: AbortSignal) => Promise<void>) | undefined {
    return this.inner?.waitUntilPresent?.bind(this.inner);
  }

  async start(sink: BlockSink, events?: DriverEvents): Promise<void> {
    if (!this.inner) throw new Error(`${this.spec.id}: start before connect.`);
    await this.inner.start(sink, events);
  }

  async stop(): Promise<void> {
    await this.inner?.stop();
  }

  async disconnect(): Promise<void> {
    await this.inner?.disconnect();
  }

  stats(): DriverStats {
    const inner = this.inner?.stats?.();
    if (inner) return inner;
    return {
      codec: { packets: 0, garbageBytes: 0, resyncs: 0, droppedSamples: 0, malformed: 0 },
      streams: this.descriptor.streams.map((s) => ({
        streamId: s.id,
        nominalRateHz: s.sampleRateHz,
        effectiveRateHz: s.sampleRateHz,
      })),
    };
  }
}
