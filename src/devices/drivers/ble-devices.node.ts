import type { DeviceDescriptor } from '../driver.js';
import { GANGLION_RECEIVE_CHAR, GANGLION_SOFTWARE_REVISION_CHAR, GanglionCodec } from '../codecs/ganglion.js';
import type { MetawearOptions } from '../codecs/metawear.js';
import { METAWEAR_NOTIFY_CHAR, MetawearCodec } from '../codecs/metawear.js';
import { MYO_EMG_CHARS, MYO_IMU_CHAR, MyoCodec } from '../codecs/myo.js';
import { LineProtocolCodec } from '../codecs/line-protocol.js';
import {
  MYOWARE_PERIPHERAL_CHAR,
  MyowarePeripheralCodec,
  myowareUartProfile,
  NUS_TX_CHAR,
} from '../codecs/myoware.js';
import type { BleCentral } from '../transports/ble.node.js';
import type { GanglionOptions } from './ble-protocols.js';
import { ganglionProtocol, metawearProtocol, myoProtocol, myowareProtocol } from './ble-protocols.js';
import { StreamingDriver } from './streaming-driver.js';

/** The BLE device kinds Tonus can drive, and how to recognise them in an advertisement. */
export type BleDeviceKind = 'ganglion' | 'myo' | 'myoware' | 'myoware-uart' | 'metawear';

/** Guesses the kind from the advertised name and services; undefined when it is none of ours. */
export function identifyBleDevice(
  name: string | undefined,
  serviceUuids: readonly string[],
): BleDeviceKind | undefined {
  const n = name ?? '';
  if (n.startsWith('Ganglion') || n.startsWith('Simblee') || serviceUuids.includes('fe84')) return 'ganglion';
  if (serviceUuids.includes('d5060001a904deb947482c7f4a124842') || /^Myo\b/.test(n)) return 'myo';
  if (serviceUuids.includes('ec3af789215449f4a9fcbc6c88e9e930') || n.startsWith('MyoWare')) return 'myoware';
  if (serviceUuids.includes('326a900085cb9195d9dd464cfbbae75a') || /^Meta(Wear|Motion)/.test(n))
    return 'metawear';
  return undefined;
}

const names: Record<BleDeviceKind, string> = {
  ganglion: 'OpenBCI Ganglion',
  myo: 'Myo armband',
  myoware: 'MyoWare 2.0 Wireless Shield',
  'myoware-uart': 'MyoWare 2.0 (BLE UART)',
  metawear: 'MetaWear accelerometer',
};

export interface BleDriverOptions {
  ganglion?: GanglionOptions;
  metawear?: MetawearOptions;
  /** Expected MyoWare notification rate (the device has no counter). */
  myowareRateHz?: number;
}

/** A driver for BLE peripheral `id` of the given kind. */
export function createBleDriver(
  central: BleCentral,
  id: string,
  kind: BleDeviceKind,
  options: BleDriverOptions = {},
): StreamingDriver {
  const describe = (streams: DeviceDescriptor['streams']): DeviceDescriptor => ({
    id: `ble:${id}`,
    name: names[kind],
    transport: 'ble',
    streams,
  });
  switch (kind) {
    case 'ganglion': {
      const codec = new GanglionCodec();
      const t = central.transport(id, {
        notify: [GANGLION_RECEIVE_CHAR],
        readOnConnect: [GANGLION_SOFTWARE_REVISION_CHAR],
      });
      return new StreamingDriver(
        describe(codec.streams),
        t,
        codec,
        ganglionProtocol(codec, options.ganglion),
      );
    }
    case 'myo': {
      const codec = new MyoCodec();
      const t = central.transport(id, { notify: [...MYO_EMG_CHARS, MYO_IMU_CHAR] });
      return new StreamingDriver(describe(codec.streams), t, codec, myoProtocol());
    }
    case 'myoware': {
      const codec = new MyowarePeripheralCodec(options.myowareRateHz);
      const t = central.transport(id, { notify: [MYOWARE_PERIPHERAL_CHAR] });
      return new StreamingDriver(describe(codec.streams), t, codec, myowareProtocol());
    }
    case 'myoware-uart': {
      const codec = new LineProtocolCodec(myowareUartProfile(options.myowareRateHz));
      const t = central.transport(id, { notify: [NUS_TX_CHAR] });
      return new StreamingDriver(describe(codec.streams), t, codec, myowareProtocol());
    }
    case 'metawear': {
      const codec = new MetawearCodec(options.metawear);
      const t = central.transport(id, { notify: [METAWEAR_NOTIFY_CHAR] });
      return new StreamingDriver(describe(codec.streams), t, codec, metawearProtocol(options.metawear));
    }
  }
}
