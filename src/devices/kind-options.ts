import type { DeviceKindInfo } from '../shared/api/device-api.js';
import { BITALINO_RATES_HZ } from './codecs/bitalino.js';
import { deviceKinds, type DeviceKindId } from './descriptors.js';

type KindOption = DeviceKindInfo['options'][number];

/** The `?key=value` options each kind reads from its spec (codec-factory.ts, device-factory.node.ts). */
const OPTIONS: Readonly<Partial<Record<DeviceKindId, readonly KindOption[]>>> = {
  bitalino: [
    {
      key: 'channels',
      label: 'Analog inputs with EMG',
      hint: 'The A inputs the EMG sensors are plugged into, separated by commas.',
      defaultValue: '1,2',
      required: false,
    },
    {
      key: 'rate',
      label: 'Sampling rate',
      hint: 'EMG needs 1000 Hz.',
      choices: BITALINO_RATES_HZ.map((hz) => ({ value: String(hz), label: `${hz} Hz` })),
      defaultValue: '1000',
      required: false,
    },
  ],
  line: [
    {
      key: 'profile',
      label: 'Profile file',
      hint: 'The file describing what the sketch prints: channels, units and rate.',
      required: true,
    },
    {
      key: 'baud',
      label: 'Baud rate',
      hint: 'As set in the sketch (Serial.begin).',
      defaultValue: '115200',
      required: false,
    },
  ],
  ganglion: [
    {
      key: 'firmware',
      label: 'Firmware',
      hint: 'Printed on the board’s update tool; most boards run version 2.',
      choices: [
        { value: '2', label: 'Version 2' },
        { value: '3', label: 'Version 3' },
      ],
      defaultValue: '2',
      required: false,
    },
  ],
};

/** Every kind of real device, from the device descriptors, with the options its spec takes. */
export function deviceKindInfos(): DeviceKindInfo[] {
  return deviceKinds.map((k) => ({
    kind: k.kind,
    name: k.name,
    transport: k.transport,
    options: [...(OPTIONS[k.kind] ?? [])],
  }));
}
