import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { CanceledError, DeviceDisconnectedError } from '../driver.js';
import type { Transport } from '../transport.js';
import { ChunkQueue } from '../transport.js';
import type { BindingsChoice } from './ble-bindings.js';
import { selectBleBindings } from './ble-bindings.js';

/** Adapter states as noble reports them, plus `unavailable` when no bindings could be loaded at all. */
export type AdapterState =
  'unknown' | 'resetting' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'poweredOn' | 'unavailable';

/** What the user should read for each adapter state. */
export const adapterStateMessages: Record<AdapterState, string> = {
  unknown: 'Bluetooth state not known yet.',
  resetting: 'The Bluetooth adapter is resetting.',
  unsupported: 'This machine has no usable Bluetooth LE adapter.',
  unauthorized:
    'Tonus is not allowed to use Bluetooth (grant the permission, or on Linux use BlueZ D-Bus or cap_net_raw).',
  poweredOff: 'Bluetooth is turned off.',
  poweredOn: 'Bluetooth is on.',
  unavailable: 'Bluetooth LE support could not be loaded.',
};

/** One advertising device seen while scanning. */
export interface BleAdvertisement {
  /** noble's peripheral id (the spec after `ble:`). */
  id: string;
  address: string;
  name?: string;
  rssi: number;
  serviceUuids: string[];
  connectable: boolean;
}

/* The part of noble's API used here (noble ships loose types; these are what our code relies on). */
interface NobleCharacteristic extends EventEmitter {
  uuid: string;
  properties: string[];
  readAsync(): Promise<Buffer>;
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>;
  subscribeAsync(): Promise<void>;
}
interface NoblePeripheral extends EventEmitter {
  id: string;
  address: string;
  rssi: number;
  state: string;
  connectable: boolean;
  advertisement: { localName?: string; serviceUuids?: string[] };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  discoverSomeServicesAndCharacteristicsAsync(
    services: string[],
    characteristics: string[],
  ): Promise<{ characteristics: NobleCharacteristic[] }>;
}
/** A noble instance: the real one, or `new Noble(bindings)` over injected bindings in tests. */
export interface NobleLike extends EventEmitter {
  readonly state: string;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

/** Normalizes a UUID to noble's form: lowercase, no dashes. */
export const nobleUuid = (uuid: string): string => uuid.replace(/-/g, '').toLowerCase();

const require = createRequire(import.meta.url);

/** Loads noble with the bindings {@link selectBleBindings} picks; never throws (failure → `unavailable`). */
function loadNoble(): { noble: NobleLike | undefined; choice: BindingsChoice; error?: string } {
  const hasDbusNext = ((): boolean => {
    try {
      require.resolve('dbus-next');
      return true;
    } catch {
      return false;
    }
  })();
  const choice = selectBleBindings({
    platform: process.platform,
    env: process.env,
    hasDbusNext,
    hasSystemBus: existsSync('/run/dbus/system_bus_socket') || existsSync('/var/run/dbus/system_bus_socket'),
  });
  if (choice.kind === 'none') return { noble: undefined, choice };
  try {
    const withBindings = require('@stoprocent/noble/lib/resolve-bindings.js') as (kind: string) => NobleLike;
    return { noble: withBindings(choice.kind), choice };
  } catch (err) {
    return { noble: undefined, choice, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The BLE side of the host: adapter state, scanning, and transports to peripherals. noble is loaded lazily on
 * first use (or injected), so a machine without Bluetooth gets a state, never a crash.
 */
/** Length of each scan while waiting for a lost peripheral's advertisement. */
export const ADVERTISEMENT_SCAN_MS = 5000;

export class BleCentral {
  private noble: NobleLike | undefined;
  private stateValue: AdapterState = 'unknown';
  private detail = '';
  private readonly peripherals = new Map<string, NoblePeripheral>();
  private readonly stateListeners = new Set<(s: AdapterState) => void>();
  private isLoaded = false;

  /** `noble` injects an instance (tests: `new Noble(emulatedBindings)`); otherwise it is loaded on first use. */
  constructor(noble?: NobleLike) {
    if (noble) this.attach(noble);
  }

  get state(): AdapterState {
    this.load();
    return this.stateValue;
  }

  /** A sentence for the user about the adapter state (and the bindings in use). */
  get stateMessage(): string {
    return `${adapterStateMessages[this.stateValue]}${this.detail ? ` ${this.detail}` : ''}`;
  }

  onStateChange(listener: (s: AdapterState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Resolves with the first settled state (anything but `unknown`/`resetting`), or the current one after `timeoutMs`. */
  async waitForState(timeoutMs = 3000): Promise<AdapterState> {
    this.load();
    if (this.stateValue !== 'unknown' && this.stateValue !== 'resetting') return this.stateValue;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(this.stateValue);
      }, timeoutMs);
      const off = this.onStateChange((s) => {
        if (s === 'unknown' || s === 'resetting') return;
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
  }

  /**
   * Scans for `timeoutMs` and returns what advertised (deduplicated by id, last RSSI). Resolves [] when the
   * adapter is not powered on (see `state`). `onDevice` sees each advertisement as it arrives.
   */
  async scan(
    options: {
      timeoutMs?: number;
      serviceUuids?: string[];
      signal?: AbortSignal;
      onDevice?: (a: BleAdvertisement) => void;
    } = {},
  ): Promise<BleAdvertisement[]> {
    if ((await this.waitForState()) !== 'poweredOn' || !this.noble) return [];
    const noble = this.noble;
    const found = new Map<string, BleAdvertisement>();
    const onDiscover = (p: NoblePeripheral): void => {
      this.peripherals.set(p.id, p);
      const ad: BleAdvertisement = {
        id: p.id,
        address: p.address,
        rssi: p.rssi,
        serviceUuids: (p.advertisement.serviceUuids ?? []).map(nobleUuid),
        connectable: p.connectable,
      };
      if (p.advertisement.localName) ad.name = p.advertisement.localName;
      found.set(p.id, ad);
      options.onDevice?.(ad);
    };
    noble.on('discover', onDiscover);
    try {
      await noble.startScanningAsync((options.serviceUuids ?? []).map(nobleUuid), true);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.timeoutMs ?? 4000);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } finally {
      noble.removeListener('discover', onDiscover);
      await noble.stopScanningAsync().catch(() => undefined);
    }
    if (options.signal?.aborted) throw new CanceledError('Scan cancelled.');
    return [...found.values()];
  }

  /**
   * Resolves as soon as peripheral `id` advertises (a scan runs until then, restarted every
   * {@link ADVERTISEMENT_SCAN_MS}; while the adapter is not powered on it is checked at that interval).
   * Rejects with `CanceledError` when `signal` aborts.
   */
  async waitForAdvertisement(id: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const seen = new AbortController();
      const stop = (): void => seen.abort();
      signal.addEventListener('abort', stop, { once: true });
      let isSeen = false;
      const isPowered = (await this.waitForState()) === 'poweredOn';
      if (isPowered)
        await this.scan({
          timeoutMs: ADVERTISEMENT_SCAN_MS,
          signal: seen.signal,
          onDevice: (a) => {
            if (a.id !== id) return;
            isSeen = true;
            seen.abort();
          },
        }).catch(() => []);
      else
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ADVERTISEMENT_SCAN_MS);
          seen.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      signal.removeEventListener('abort', stop);
      if (isSeen) return;
    }
    throw new CanceledError(`Waiting for BLE device ${id} was cancelled.`);
  }

  /** A transport to peripheral `id` (scanned first if not seen yet). */
  transport(id: string, gatt: BleGattPlan): BleTransport {
    return new BleTransport(this, id, gatt);
  }

  /** @internal The peripheral with `id`, scanning up to `timeoutMs` if it has not been seen. */
  async findPeripheral(id: string, timeoutMs: number, signal?: AbortSignal): Promise<NoblePeripheral> {
    const known = this.peripherals.get(id);
    if (known) return known;
    if ((await this.waitForState()) !== 'poweredOn')
      throw new DeviceDisconnectedError(`ble:${id}`, this.stateMessage);
    const ac = new AbortController();
    const abort = (): void => ac.abort();
    signal?.addEventListener('abort', abort, { once: true });
    await this.scan({ timeoutMs, signal: ac.signal, onDevice: (a) => a.id === id && ac.abort() }).catch(
      () => [],
    );
    signal?.removeEventListener('abort', abort);
    if (signal?.aborted) throw new CanceledError();
    const p = this.peripherals.get(id);
    if (!p)
      throw new DeviceDisconnectedError(
        `ble:${id}`,
        `BLE device ${id} was not found within ${timeoutMs} ms.`,
      );
    return p;
  }

  private load(): void {
    if (this.isLoaded) return;
    this.isLoaded = true;
    const { noble, choice, error } = loadNoble();
    if (!noble) {
      this.stateValue = 'unavailable';
      this.detail = error ?? choice.reason;
      return;
    }
    this.detail = `(bindings: ${choice.kind}, ${choice.reason})`;
    this.attach(noble);
  }

  private attach(noble: NobleLike): void {
    this.isLoaded = true;
    this.noble = noble;
    noble.on('stateChange', (s: string) => {
      const next = (s in adapterStateMessages ? s : 'unknown') as AdapterState;
      // noble's HCI bindings flap unsupported → poweredOff → unsupported on a controller without LE; an adapter
      // that cannot do LE stays `unsupported` until it reports poweredOn.
      if (this.stateValue === 'unsupported' && next !== 'poweredOn') return;
      this.stateValue = next;
      for (const l of this.stateListeners) l(this.stateValue);
    });
    this.stateValue = (noble.state in adapterStateMessages ? noble.state : 'unknown') as AdapterState;
  }
}

/** Which characteristics a device needs: notifications to subscribe, values to read once at connect. */
export interface BleGattPlan {
  /** Characteristics whose notifications become chunks (source = their UUID). Missing ones are an error. */
  notify: string[];
  /** Characteristics read at connect when present (e.g. 2a28 firmware revision); see `readValues`. */
  readOnConnect?: string[];
  /** Scan this long for a device that has not been seen yet. Default 10 s. */
  findTimeoutMs?: number;
}

const BATTERY_LEVEL = '2a19';

/**
 * A BLE peripheral as a {@link Transport}: `open` connects, discovers, reads `readOnConnect`, and subscribes to
 * `notify` (plus battery level 2a19 when the device has it). Chunks are notifications, `source` = characteristic
 * UUID. A link loss fails `chunks` with `DeviceDisconnectedError`; `open` again reconnects.
 */
export class BleTransport implements Transport {
  readonly id: string;
  readonly chunks = new ChunkQueue();
  /** Values read at connect, by characteristic UUID. */
  readonly readValues = new Map<string, Uint8Array>();
  batteryPercent: number | undefined;
  private peripheral: NoblePeripheral | undefined;
  private characteristics = new Map<string, NobleCharacteristic>();
  private isClosing = false;

  constructor(
    private readonly central: BleCentral,
    readonly peripheralId: string,
    private readonly plan: BleGattPlan,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.id = `ble:${peripheralId}`;
  }

  /** Resolves when the peripheral advertises again (see {@link BleCentral.waitForAdvertisement}). */
  waitUntilPresent(signal: AbortSignal): Promise<void> {
    return this.central.waitForAdvertisement(this.peripheralId, signal);
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CanceledError();
    await this.close();
    this.chunks.restart();
    this.isClosing = false;
    const p = await this.central.findPeripheral(this.peripheralId, this.plan.findTimeoutMs ?? 10_000, signal);
    try {
      await p.connectAsync();
      if (signal?.aborted) throw new CanceledError();
      const { characteristics } = await p.discoverSomeServicesAndCharacteristicsAsync([], []);
      this.characteristics = new Map(characteristics.map((c) => [nobleUuid(c.uuid), c]));
      const missing = this.plan.notify.map(nobleUuid).filter((u) => !this.characteristics.has(u));
      if (missing.length > 0)
        throw new Error(`BLE device ${this.peripheralId} lacks characteristic(s) ${missing.join(', ')}`);
      for (const uuid of this.plan.readOnConnect ?? []) {
        const c = this.characteristics.get(nobleUuid(uuid));
        if (c) this.readValues.set(nobleUuid(uuid), new Uint8Array(await c.readAsync()));
      }
      for (const uuid of this.plan.notify.map(nobleUuid)) {
        const c = this.characteristics.get(uuid);
        c?.on('data', (data: Buffer, isNotification: boolean) => {
          if (isNotification)
            this.chunks.push({
              bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
              receivedAtMs: this.nowMs(),
              source: uuid,
            });
        });
        await c?.subscribeAsync();
      }
      const battery = this.characteristics.get(BATTERY_LEVEL);
      if (battery) {
        battery.on('data', (data: Buffer) => {
          if (data.length > 0) this.batteryPercent = data[0];
        });
        this.batteryPercent = (await battery.readAsync())[0];
        if (battery.properties.includes('notify')) await battery.subscribeAsync();
      }
    } catch (err) {
      await p.disconnectAsync().catch(() => undefined);
      if (err instanceof CanceledError) throw err;
      throw new DeviceDisconnectedError(
        this.id,
        `Cannot connect to BLE device ${this.peripheralId}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    this.peripheral = p;
    p.once('disconnect', (reason: string) => {
      if (this.isClosing) return;
      this.peripheral = undefined;
      this.chunks.fail(
        new DeviceDisconnectedError(this.id, `BLE device ${this.peripheralId} disconnected (${reason}).`),
      );
    });
  }

  /** Reads a characteristic now. */
  async read(uuid: string): Promise<Uint8Array> {
    const c = this.characteristics.get(nobleUuid(uuid));
    if (!c || !this.peripheral)
      throw new DeviceDisconnectedError(this.id, `Characteristic ${uuid} is not available.`);
    return new Uint8Array(await c.readAsync());
  }

  async write(bytes: Uint8Array, target?: string, withoutResponse = false): Promise<void> {
    const c = target ? this.characteristics.get(nobleUuid(target)) : undefined;
    if (!c || !this.peripheral)
      throw new DeviceDisconnectedError(
        this.id,
        `Cannot write to ${target ?? '(no characteristic)'}: not connected.`,
      );
    await c.writeAsync(Buffer.from(bytes), withoutResponse);
  }

  async close(): Promise<void> {
    this.isClosing = true;
    const p = this.peripheral;
    this.peripheral = undefined;
    this.chunks.end();
    for (const c of this.characteristics.values()) c.removeAllListeners('data');
    this.characteristics = new Map();
    if (p && p.state === 'connected') await p.disconnectAsync().catch(() => undefined);
  }
}
