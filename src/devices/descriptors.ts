/**
 * Devices as data: every kind of real device Tonus drives, with its transport, nominal streams (channels,
 * units, rates) and where its protocol is specified (../shared/spec/devices.md). Drivers are built from
 * these kinds by the factories in drivers/*.node.ts.
 */

import type { StreamDescriptor } from '../shared/samples.js';
import { bitalinoStreams } from './codecs/bitalino.js';
import { cytonStreams } from './codecs/cyton.js';
import { ganglionStreams } from './codecs/ganglion.js';
import { metawearStreams } from './codecs/metawear.js';
import { myoStreams } from './codecs/myo.js';
import { lineProfileStreams } from './codecs/line-protocol.js';
import { myowarePeripheralProfile, myowareUartProfile } from './codecs/myoware.js';

export type DeviceKindId =
  | 'cyton'
  | 'cyton-daisy'
  | 'bitalino'
  | 'line'
  | 'ganglion'
  | 'myo'
  | 'myoware'
  | 'myoware-uart'
  | 'metawear';

export interface DeviceKind {
  kind: DeviceKindId;
  name: string;
  transport: 'serial' | 'ble';
  /** Nominal streams with default options (BITalino: EMG on A1, A2 at 1000 Hz; line: from its profile). */
  streams: readonly StreamDescriptor[];
  /** Section of the devices spec that defines the protocol. */
  specSection: string;
}

export const deviceKinds: readonly DeviceKind[] = [
  {
    kind: 'cyton',
    name: 'OpenBCI Cyton',
    transport: 'serial',
    streams: cytonStreams(false),
    specSection: '§1',
  },
  {
    kind: 'cyton-daisy',
    name: 'OpenBCI Cyton + Daisy',
    transport: 'serial',
    streams: cytonStreams(true),
    specSection: '§1.5',
  },
  {
    kind: 'bitalino',
    name: 'BITalino',
    transport: 'serial',
    streams: bitalinoStreams({
      channels: [
        { input: 1, kind: 'emg' },
        { input: 2, kind: 'emg' },
      ],
      sampleRateHz: 1000,
    }),
    specSection: '§4',
  },
  {
    kind: 'line',
    name: 'Line protocol (Arduino sketch, profile file)',
    transport: 'serial',
    streams: [],
    specSection: '§5.1',
  },
  {
    kind: 'ganglion',
    name: 'OpenBCI Ganglion',
    transport: 'ble',
    streams: ganglionStreams(),
    specSection: '§2',
  },
  { kind: 'myo', name: 'Myo armband', transport: 'ble', streams: myoStreams(), specSection: '§3' },
  {
    kind: 'myoware',
    name: 'MyoWare 2.0 Wireless Shield',
    transport: 'ble',
    streams: lineProfileStreams(myowarePeripheralProfile()),
    specSection: '§5.1',
  },
  {
    kind: 'myoware-uart',
    name: 'MyoWare 2.0 (BLE UART)',
    transport: 'ble',
    streams: lineProfileStreams(myowareUartProfile()),
    specSection: '§5.1',
  },
  {
    kind: 'metawear',
    name: 'MetaWear accelerometer',
    transport: 'ble',
    streams: metawearStreams(100, 4),
    specSection: '§5.2',
  },
];

export const isDeviceKindId = (s: string): s is DeviceKindId => deviceKinds.some((k) => k.kind === s);

/**
 * A device spec as users type it: `serial:PATH` or `ble:ID`, optionally followed by `?key=value&…`:
 * `kind=cyton|cyton-daisy|bitalino|line|ganglion|myo|myoware|myoware-uart|metawear`, `profile=FILE` (line),
 * `channels=1,2` and `rate=1000` (BITalino), `baud=N` (line). Builtin devices are given by id (`synthetic`).
 */
export interface DeviceSpec {
  transport: 'serial' | 'ble' | 'builtin';
  /** Path, peripheral id, or builtin id. */
  address: string;
  kind?: DeviceKindId;
  params: Record<string, string>;
  /** The canonical id: `serial:PATH`, `ble:ID` or the builtin id. */
  id: string;
}

/** Parses a device spec; errors say what is wrong with it. */
export function parseDeviceSpec(spec: string): DeviceSpec {
  const q = spec.indexOf('?');
  const head = q >= 0 ? spec.slice(0, q) : spec;
  const params: Record<string, string> = {};
  if (q >= 0)
    for (const pair of spec.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`Device spec "${spec}": parameter "${pair}" is not key=value.`);
      params[decodeURIComponent(pair.slice(0, eq))] = decodeURIComponent(pair.slice(eq + 1));
    }
  const kind = params.kind;
  if (kind !== undefined && !isDeviceKindId(kind))
    throw new Error(
      `Device spec "${spec}": unknown kind "${kind}" (known: ${deviceKinds.map((k) => k.kind).join(', ')}).`,
    );
  const m = /^(serial|ble):(.+)$/.exec(head);
  if (!m) {
    if (!/^[a-z][a-z0-9-]*$/.test(head))
      throw new Error(`Device spec "${spec}": expected serial:PATH, ble:ID or a builtin device id.`);
    return { transport: 'builtin', address: head, params, id: head };
  }
  const transport = m[1] as 'serial' | 'ble';
  const address = m[2] ?? '';
  if (transport === 'ble' && !/^[0-9a-fA-F:]+$/.test(address))
    throw new Error(`Device spec "${spec}": a BLE id is hex (noble peripheral id or MAC address).`);
  const id = `${transport}:${transport === 'ble' ? address.replace(/:/g, '').toLowerCase() : address}`;
  const out: DeviceSpec = {
    transport,
    address: transport === 'ble' ? address.replace(/:/g, '').toLowerCase() : address,
    params,
    id,
  };
  if (kind !== undefined && isDeviceKindId(kind)) {
    const k = deviceKinds.find((d) => d.kind === kind);
    if (k && k.transport !== transport)
      throw new Error(`Device spec "${spec}": a ${k.name} is reached over ${k.transport}, not ${transport}.`);
    out.kind = kind;
  }
  return out;
}
