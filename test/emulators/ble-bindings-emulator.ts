/**
 * Emulated noble bindings: the object `new Noble(bindings)` drives (noble's real core on top). Peripherals
 * advertise, expose GATT services and characteristics, answer reads, record writes (with the
 * write-without-response flag) and send notifications carrying real protocol bytes once their start command
 * arrives. `linkLoss(id)` drops a connection as going out of range does.
 */

import { EventEmitter } from 'node:events';
import {
  encodeGanglionPacket,
  ganglionFw2Field,
  ganglionFw3Field,
} from '../../src/devices/codecs/ganglion.js';
import { MYO_EMG_CHARS, MYO_IMU_CHAR, myoUuid } from '../../src/devices/codecs/myo.js';

export interface EmulatedCharacteristic {
  uuid: string;
  properties: string[];
  value?: Uint8Array;
}

export interface EmulatedService {
  uuid: string;
  characteristics: EmulatedCharacteristic[];
}

export interface WriteRecord {
  characteristic: string;
  bytes: number[];
  withoutResponse: boolean;
}

/** Behaviour of one emulated peripheral. */
export abstract class EmulatedPeripheral {
  readonly writes: WriteRecord[] = [];
  notifications = 0;
  protected timers: ReturnType<typeof setInterval>[] = [];
  /** Set by the bindings: sends a notification if the characteristic is subscribed. */
  notify: (characteristic: string, bytes: Uint8Array) => void = () => undefined;

  abstract readonly id: string;
  abstract readonly name: string;
  abstract readonly advertisedServices: string[];
  abstract readonly services: EmulatedService[];
  rssi = -60;

  abstract onWrite(characteristic: string, bytes: Uint8Array): void;

  get isStreaming(): boolean {
    return this.timers.length > 0;
  }

  stopStreaming(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  protected every(ms: number, fn: () => void): void {
    this.timers.push(setInterval(fn, ms));
  }
}

const GANGLION_RECEIVE = '2d30c082f39f4ce6923f3484ea480596';
const GANGLION_SEND = '2d30c083f39f4ce6923f3484ea480596';

/** An OpenBCI Ganglion: 100 notifications/s of 2 samples once it receives `b`. */
export class EmulatedGanglion extends EmulatedPeripheral {
  readonly name = 'Ganglion-1a2b';
  readonly advertisedServices = ['fe84'];
  readonly services: EmulatedService[];
  private packet = 0;
  private last = [0, 0, 0, 0];
  private isAccelOn = true;

  constructor(
    readonly id: string,
    readonly firmware: 2 | 3,
  ) {
    super();
    this.services = [
      {
        uuid: 'fe84',
        characteristics: [
          { uuid: GANGLION_RECEIVE, properties: ['notify'] },
          { uuid: GANGLION_SEND, properties: ['writeWithoutResponse'] },
          { uuid: '2d30c084f39f4ce6923f3484ea480596', properties: ['write'] },
        ],
      },
      {
        uuid: '180a',
        characteristics: [
          {
            uuid: '2a28',
            properties: ['read'],
            value: new TextEncoder().encode(firmware === 3 ? '3.0.2' : '2.0.0'),
          },
        ],
      },
    ];
  }

  onWrite(_c: string, bytes: Uint8Array): void {
    const cmd = String.fromCharCode(...bytes);
    if (cmd === 'n') this.isAccelOn = true;
    else if (cmd === 'N') this.isAccelOn = false;
    else if (cmd === 'b') {
      this.stopStreaming();
      this.packet = 0;
      this.every(10, () => this.notify(GANGLION_RECEIVE, this.nextPacket()));
    } else if (cmd === 's' || cmd === 'Z') this.stopStreaming();
    else if (cmd === 'z') {
      this.stopStreaming();
      let k = 0;
      this.every(20, () => {
        const id = 201 + (k % 5);
        this.notify(
          GANGLION_RECEIVE,
          Uint8Array.from([id, ...new TextEncoder().encode(String(1000 + 7 * (k % 5))), 0x5a]),
        );
        k++;
      });
    }
  }

  private sample(n: number): number[] {
    return [0, 1, 2, 3].map((c) => 2 * Math.round(20000 * Math.sin((2 * Math.PI * (c + 1) * n) / 200)));
  }

  private nextPacket(): Uint8Array {
    const k = this.packet++;
    const bits = this.isAccelOn ? 18 : 19;
    if (this.firmware === 3) {
      const id = (k % 100) + (bits === 19 ? 100 : 0);
      const fields = [...this.sample(2 * k), ...this.sample(2 * k + 1)].map((v) =>
        ganglionFw3Field(v * 64, bits),
      );
      return encodeGanglionPacket(id, fields, bits, k % 10 === 3 ? 63 : 5);
    }
    const pos = k % 101;
    if (pos === 0) {
      this.last = this.sample(0);
      const p = new Uint8Array(20);
      this.last.forEach((v, c) => {
        const u = v & 0xffffff;
        p.set([(u >> 16) & 0xff, (u >> 8) & 0xff, u & 0xff], 1 + 3 * c);
      });
      return p;
    }
    const s1 = this.sample(2 * pos - 1);
    const s2 = this.sample(2 * pos);
    const d = [...s1.map((v, c) => (this.last[c] ?? 0) - v), ...s2.map((v, c) => (s1[c] ?? 0) - v)];
    this.last = s2;
    return encodeGanglionPacket(
      pos + (bits === 19 ? 100 : 0),
      d.map((x) => ganglionFw2Field(x, bits)),
      bits,
      5,
    );
  }
}

/** A Myo armband: EMG on four characteristics in rotation (200 Hz) and IMU at 50 Hz after `set_mode`. */
export class EmulatedMyo extends EmulatedPeripheral {
  readonly name = 'Myo';
  readonly advertisedServices = [myoUuid('0001')];
  readonly services: EmulatedService[] = [
    {
      uuid: myoUuid('0001'),
      characteristics: [
        { uuid: myoUuid('0401'), properties: ['write'] },
        { uuid: myoUuid('0201'), properties: ['read'], value: Uint8Array.of(1, 0, 5, 0, 0x6c, 0x07, 2, 0) },
      ],
    },
    { uuid: myoUuid('0002'), characteristics: [{ uuid: MYO_IMU_CHAR, properties: ['notify'] }] },
    {
      uuid: myoUuid('0005'),
      characteristics: MYO_EMG_CHARS.map((uuid) => ({ uuid, properties: ['notify'] })),
    },
    {
      uuid: '180f',
      characteristics: [{ uuid: '2a19', properties: ['read', 'notify'], value: Uint8Array.of(87) }],
    },
  ];
  private n = 0;

  constructor(readonly id: string) {
    super();
  }

  onWrite(_c: string, bytes: Uint8Array): void {
    if (bytes[0] !== 0x01) return;
    this.stopStreaming();
    if (bytes[2] === 0x00) return;
    this.n = 0;
    this.every(10, () => {
      const note = new Uint8Array(16);
      for (let i = 0; i < 16; i++) note[i] = (this.n * 16 + i) & 0xff;
      this.notify(MYO_EMG_CHARS[this.n % 4] ?? '', note);
      this.n++;
    });
    this.every(20, () => {
      const imu = new Uint8Array(20);
      new DataView(imu.buffer).setInt16(0, 16384, true);
      new DataView(imu.buffer).setInt16(12, 2048, true);
      this.notify(MYO_IMU_CHAR, imu);
    });
  }
}

const METAWEAR_NOTIFY = '326a900685cb9195d9dd464cfbbae75a';

/** A MetaWear board: BMI160 accelerometer data notifications at 100 Hz once `03 01 01` arrives. */
export class EmulatedMetawear extends EmulatedPeripheral {
  readonly name = 'MetaWear';
  readonly advertisedServices = ['326a900085cb9195d9dd464cfbbae75a'];
  readonly services: EmulatedService[] = [
    {
      uuid: '326a900085cb9195d9dd464cfbbae75a',
      characteristics: [
        { uuid: '326a900185cb9195d9dd464cfbbae75a', properties: ['write', 'writeWithoutResponse'] },
        { uuid: METAWEAR_NOTIFY, properties: ['notify'] },
      ],
    },
  ];

  constructor(readonly id: string) {
    super();
  }

  onWrite(_c: string, bytes: Uint8Array): void {
    if (bytes[0] !== 0x03 || bytes[1] !== 0x01) return;
    this.stopStreaming();
    if (bytes[2] !== 0x01) return;
    this.every(10, () =>
      this.notify(METAWEAR_NOTIFY, Uint8Array.of(0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20)),
    );
  }
}

const MYOWARE_CHAR = 'f3a56edf8f1e453393bf5601b2e91308';

/** A MyoWare 2.0 Wireless Shield (peripheral example): one ASCII number per notification, 50 per second. */
export class EmulatedMyoware extends EmulatedPeripheral {
  readonly name = 'MyoWareSensor1';
  readonly advertisedServices = ['ec3af789215449f4a9fcbc6c88e9e930'];
  readonly services: EmulatedService[] = [
    {
      uuid: 'ec3af789215449f4a9fcbc6c88e9e930',
      characteristics: [{ uuid: MYOWARE_CHAR, properties: ['read', 'notify'] }],
    },
  ];
  private k = 0;

  constructor(readonly id: string) {
    super();
    this.every(20, () =>
      this.notify(MYOWARE_CHAR, new TextEncoder().encode(`${(this.k++ % 4000).toFixed(2)}`)),
    );
  }

  onWrite(): void {}
}

const NUS_SERVICE = '6e400001b5a3f393e0a9e50e24dcca9e';
const NUS_TX = '6e400003b5a3f393e0a9e50e24dcca9e';

/** A MyoWare 2.0 on the BLE UART example: `<env>,<raw>` lines on the Nordic UART TX characteristic, 100/s. */
export class EmulatedMyowareUart extends EmulatedPeripheral {
  readonly name = 'MyoWareUART';
  readonly advertisedServices = [NUS_SERVICE];
  readonly services: EmulatedService[] = [
    {
      uuid: NUS_SERVICE,
      characteristics: [
        { uuid: NUS_TX, properties: ['notify'] },
        { uuid: '6e400002b5a3f393e0a9e50e24dcca9e', properties: ['write', 'writeWithoutResponse'] },
      ],
    },
  ];
  private k = 0;

  constructor(readonly id: string) {
    super();
    this.every(10, () => {
      const k = this.k++;
      this.notify(NUS_TX, new TextEncoder().encode(`${k % 300},${2048 + (k % 17)}\n`));
    });
  }

  onWrite(): void {}
}

/** noble bindings over emulated peripherals (see file header). */
export class EmulatedBindings extends EventEmitter {
  private readonly subscribed = new Map<string, Set<string>>();
  private readonly connected = new Set<string>();
  private isScanning = false;
  private scanFilter: string[] = [];
  private readonly absent = new Set<string>();

  constructor(
    readonly peripherals: EmulatedPeripheral[],
    /** The adapter state, or a sequence of states emitted one after another (as noble's HCI bindings flap). */
    private readonly adapterState: string | readonly string[] = 'poweredOn',
  ) {
    super();
    for (const p of peripherals) {
      p.notify = (characteristic, bytes) => {
        if (!this.connected.has(p.id) || !this.subscribed.get(p.id)?.has(characteristic)) return;
        p.notifications++;
        const svc = this.serviceOf(p, characteristic);
        this.later('read', p.id, svc, characteristic, Buffer.from(bytes), true);
      };
    }
  }

  /** Drops the link to `id` (device out of range or switched off). */
  linkLoss(id: string): void {
    const p = this.find(id);
    p?.stopStreaming();
    this.connected.delete(id);
    this.subscribed.delete(id);
    this.later('disconnect', id, 'connection timeout');
  }

  start(): void {
    const states = typeof this.adapterState === 'string' ? [this.adapterState] : this.adapterState;
    for (const state of states) this.later('stateChange', state);
  }
  stop(): void {}
  reset(): void {}
  setScanParameters(): void {
    this.later('scanParametersSet');
  }
  addressToId(address: string): string {
    return address.replace(/:/g, '').toLowerCase();
  }

  startScanning(serviceUuids: string[] = []): void {
    this.isScanning = true;
    this.later('scanStart', false);
    this.scanFilter = serviceUuids;
    for (const p of this.peripherals) this.advertise(p);
  }

  /** The peripheral goes out of range: the link drops and it stops advertising until {@link comeBack}. */
  goAway(id: string): void {
    this.absent.add(id);
    this.linkLoss(id);
  }

  /** The peripheral is back in range and advertises again (seen at once by a running scan). */
  comeBack(id: string): void {
    this.absent.delete(id);
    const p = this.find(id);
    if (p) this.advertise(p);
  }

  private advertise(p: EmulatedPeripheral): void {
    const filter = this.scanFilter;
    if (this.absent.has(p.id)) return;
    if (filter.length > 0 && !p.advertisedServices.some((s) => filter.includes(s))) return;
    setTimeout(() => {
      if (!this.isScanning || this.absent.has(p.id)) return;
      this.emit(
        'discover',
        p.id,
        p.id.match(/.{2}/g)?.join(':') ?? p.id,
        'random',
        true,
        {
          localName: p.name,
          serviceUuids: p.advertisedServices,
          serviceData: [],
          manufacturerData: undefined,
          txPowerLevel: undefined,
        },
        p.rssi,
        true,
      );
    }, 5);
  }

  stopScanning(): void {
    this.isScanning = false;
    this.later('scanStop');
  }

  connect(id: string): void {
    const p = this.find(id);
    if (!p) return this.later('connect', id, new Error(`no emulated peripheral ${id}`));
    if (this.absent.has(id)) return this.later('connect', id, new Error(`${id} is out of range`));
    this.connected.add(id);
    this.later('connect', id, null);
  }

  cancelConnect(): void {}

  disconnect(id: string): void {
    this.find(id)?.stopStreaming();
    this.connected.delete(id);
    this.subscribed.delete(id);
    this.later('disconnect', id, 'local');
  }

  updateRssi(id: string): void {
    this.later('rssiUpdate', id, this.find(id)?.rssi ?? 0);
  }

  discoverServices(id: string, uuids: string[] = []): void {
    const all = this.find(id)?.services.map((s) => s.uuid) ?? [];
    this.later('servicesDiscover', id, uuids.length ? all.filter((u) => uuids.includes(u)) : all);
  }

  discoverIncludedServices(id: string, serviceUuid: string): void {
    this.later('includedServicesDiscover', id, serviceUuid, []);
  }

  discoverCharacteristics(id: string, serviceUuid: string, uuids: string[] = []): void {
    const svc = this.find(id)?.services.find((s) => s.uuid === serviceUuid);
    const chars = (svc?.characteristics ?? [])
      .filter((c) => uuids.length === 0 || uuids.includes(c.uuid))
      .map((c) => ({ uuid: c.uuid, properties: c.properties }));
    this.later('characteristicsDiscover', id, serviceUuid, chars);
  }

  discoverDescriptors(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.later('descriptorsDiscover', id, serviceUuid, characteristicUuid, []);
  }

  read(id: string, serviceUuid: string, characteristicUuid: string): void {
    const c = this.find(id)
      ?.services.find((s) => s.uuid === serviceUuid)
      ?.characteristics.find((x) => x.uuid === characteristicUuid);
    this.later('read', id, serviceUuid, characteristicUuid, Buffer.from(c?.value ?? []), false);
  }

  write(
    id: string,
    serviceUuid: string,
    characteristicUuid: string,
    data: Buffer,
    withoutResponse: boolean,
  ): void {
    const p = this.find(id);
    if (!p || !this.connected.has(id)) return;
    p.writes.push({ characteristic: characteristicUuid, bytes: [...data], withoutResponse });
    p.onWrite(characteristicUuid, new Uint8Array(data));
    this.later('write', id, serviceUuid, characteristicUuid);
  }

  notify(id: string, serviceUuid: string, characteristicUuid: string, isOn: boolean): void {
    const set = this.subscribed.get(id) ?? new Set<string>();
    if (isOn) set.add(characteristicUuid);
    else set.delete(characteristicUuid);
    this.subscribed.set(id, set);
    this.later('notify', id, serviceUuid, characteristicUuid, isOn);
  }

  private find(id: string): EmulatedPeripheral | undefined {
    return this.peripherals.find((p) => p.id === id);
  }

  private serviceOf(p: EmulatedPeripheral, characteristic: string): string {
    return p.services.find((s) => s.characteristics.some((c) => c.uuid === characteristic))?.uuid ?? '';
  }

  private later(event: string, ...args: unknown[]): void {
    setImmediate(() => this.emit(event, ...args));
  }
}
