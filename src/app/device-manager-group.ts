import type {
  BlockSink,
  DeviceDescriptor,
  DeviceDriver,
  DriverEvents,
  DriverStats,
} from '../devices/driver.js';
import { DeviceDisconnectedError } from '../devices/driver.js';
import type { DeviceEntry } from '../devices/registry.js';
import type { StreamDescriptor } from '../shared/samples.js';

/** Prefix of a device group id: `group:SPEC|SPEC…`, e.g. `group:serial:/dev/ttyUSB0?kind=cyton|ble:ID?kind=myo`. */
export const GROUP_PREFIX = 'group:';
/** Separates the member specs of a group id. */
export const GROUP_SEPARATOR = '|';

/**
 * The stream ids of a group: member `i`'s stream keeps its id unless an earlier member already has a stream
 * with that id; then it becomes `ID.N` (N = member number from 1) and its label says which device it is.
 */
export function groupStreams(members: readonly DeviceDescriptor[]): StreamDescriptor[][] {
  const taken = new Set<string>();
  return members.map((m, i) => {
    const out = m.streams.map((s) =>
      taken.has(s.id) ? { ...s, id: `${s.id}.${i + 1}`, label: `${s.label} (device ${i + 1})` } : s,
    );
    for (const s of out) taken.add(s.id);
    return out;
  });
}

/**
 * Several devices as one driver, so that one acquisition and one recorder take EMG from one device and IMU from
 * another. Guarantees: every member's blocks reach the sink with the member's stream ids namespaced by
 * {@link groupStreams}, and with the members' own host timestamps (each driver stamps blocks from its fitted
 * clock in host epoch ms), so all streams share one time axis; when any member goes away every member stops
 * and the group reports one disconnection, after which `connect` reconnects the members that were lost and
 * `start` starts them all again (their sample counters restart, as after any reconnection).
 */
export class DeviceGroupDriver implements DeviceDriver {
  private readonly lost = new Set<number>();
  private generation = 0;

  constructor(
    private readonly id: string,
    private readonly members: readonly DeviceDriver[],
  ) {
    if (members.length < 2) throw new Error(`${id}: a device group needs at least two devices.`);
  }

  get descriptor(): DeviceDescriptor {
    const ds = this.members.map((m) => m.descriptor);
    return {
      id: this.id,
      name: ds.map((d) => d.name).join(' + '),
      transport: ds[0]?.transport ?? 'serial',
      streams: groupStreams(ds).flat(),
    };
  }

  /** Connects every member (only the lost ones after a disconnection); on failure closes those it opened. */
  async connect(signal?: AbortSignal): Promise<void> {
    const reconnecting = this.lost.size > 0;
    const opened: DeviceDriver[] = [];
    try {
      for (const [i, m] of this.members.entries()) {
        if (reconnecting && !this.lost.has(i)) continue;
        await m.disconnect().catch(() => undefined);
        await m.connect(signal);
        opened.push(m);
      }
    } catch (err) {
      if (!reconnecting) await Promise.all(opened.map((m) => m.disconnect().catch(() => undefined)));
      throw err;
    }
    this.lost.clear();
  }

  /** Present when every lost member can watch for its device: resolves once all of them are seen again. */
  get waitUntilPresent(): ((signal: AbortSignal) => Promise<void>) | undefined {
    const lost = this.members.filter((_, i) => this.lost.has(i));
    const watches = lost.map((m) => m.waitUntilPresent?.bind(m));
    if (watches.length === 0 || watches.some((w) => w === undefined)) return undefined;
    return async (signal) => {
      await Promise.all(watches.map((w) => w?.(signal)));
    };
  }

  async start(sink: BlockSink, events: DriverEvents = {}): Promise<void> {
    const generation = ++this.generation;
    const streams = groupStreams(this.members.map((m) => m.descriptor));
    for (const [i, m] of this.members.entries()) {
      const ids = new Map(m.descriptor.streams.map((s, k) => [s.id, streams[i]?.[k]?.id ?? s.id]));
      await m.start(
        (block) => {
          if (generation !== this.generation) return;
          const streamId = ids.get(block.streamId) ?? block.streamId;
          sink(streamId === block.streamId ? block : { ...block, streamId });
        },
        {
          ...(events.onMessage ? { onMessage: events.onMessage } : {}),
          onDisconnected: (err) => void this.onMemberLost(i, err, generation, events),
        },
      );
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    await Promise.all(this.members.map((m) => m.stop()));
  }

  async disconnect(): Promise<void> {
    this.generation++;
    await Promise.all(this.members.map((m) => m.disconnect().catch(() => undefined)));
  }

  /** Sums of the members' loss counters; per-stream rates under the group's stream ids. */
  stats(): DriverStats {
    const streams = groupStreams(this.members.map((m) => m.descriptor));
    const out: DriverStats = {
      codec: { packets: 0, garbageBytes: 0, resyncs: 0, droppedSamples: 0, malformed: 0 },
      streams: [],
    };
    for (const [i, m] of this.members.entries()) {
      const s = m.stats?.();
      if (!s) continue;
      for (const key of Object.keys(out.codec) as (keyof DriverStats['codec'])[])
        out.codec[key] += s.codec[key];
      const ids = new Map(m.descriptor.streams.map((d, k) => [d.id, streams[i]?.[k]?.id ?? d.id]));
      for (const r of s.streams) out.streams.push({ ...r, streamId: ids.get(r.streamId) ?? r.streamId });
      if (s.batteryPercent !== undefined)
        out.batteryPercent = Math.min(out.batteryPercent ?? 100, s.batteryPercent);
    }
    return out;
  }

  private async onMemberLost(
    index: number,
    err: DeviceDisconnectedError,
    generation: number,
    events: DriverEvents,
  ): Promise<void> {
    this.lost.add(index);
    if (generation !== this.generation) return;
    this.generation++;
    const name = this.members[index]?.descriptor.name ?? `device ${index + 1}`;
    try {
      await Promise.allSettled(this.members.map((m, i) => (i === index ? undefined : m.stop())));
    } finally {
      events.onDisconnected?.(new DeviceDisconnectedError(this.id, `${name}: ${err.message}`));
    }
  }
}

/**
 * Wraps a resolver so that it also resolves `group:SPEC|SPEC…` ids (each SPEC any id the inner resolver knows)
 * into a {@link DeviceGroupDriver}. Throws naming the member when one cannot be resolved.
 */
export function withDeviceGroups(
  resolve: (deviceId: string) => DeviceEntry | undefined,
): (deviceId: string) => DeviceEntry | undefined {
  return (deviceId) => {
    if (!deviceId.startsWith(GROUP_PREFIX)) return resolve(deviceId);
    const specs = deviceId
      .slice(GROUP_PREFIX.length)
      .split(GROUP_SEPARATOR)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (specs.length < 2)
      throw new Error(
        `${deviceId}: a device group names two or more devices separated by "${GROUP_SEPARATOR}".`,
      );
    const entries = specs.map((spec, i) => {
      const entry = resolve(spec);
      if (!entry) throw new Error(`${deviceId}: device ${i + 1} ("${spec}") is not available.`);
      return entry;
    });
    const create = (): DeviceDriver =>
      new DeviceGroupDriver(
        deviceId,
        entries.map((e) => e.create()),
      );
    const streams = groupStreams(entries.map((e) => e.descriptor)).flat();
    return {
      descriptor: {
        id: deviceId,
        name: entries.map((e) => e.descriptor.name).join(' + '),
        transport: entries[0]?.descriptor.transport ?? 'serial',
        streams,
      },
      create,
    };
  };
}
