import type { DeviceSpec } from './descriptors.js';
import type { BitalinoChannel, BitalinoRateHz } from './codecs/bitalino.js';
import { BITALINO_RATES_HZ, BitalinoCodec } from './codecs/bitalino.js';
import type { Codec } from './codecs/codec.js';
import { CytonCodec } from './codecs/cyton.js';
import { GanglionCodec } from './codecs/ganglion.js';
import type { LineProfile } from './codecs/line-protocol.js';
import { LineProtocolCodec } from './codecs/line-protocol.js';
import { MetawearCodec } from './codecs/metawear.js';
import { MyoCodec } from './codecs/myo.js';
import { MyowarePeripheralCodec, myowareUartProfile } from './codecs/myoware.js';

/** BITalino channel selection and rate from spec parameters (`channels=1,2&rate=1000`); errors name the spec. */
export function bitalinoParams(spec: DeviceSpec): {
  channels: BitalinoChannel[];
  sampleRateHz: BitalinoRateHz;
} {
  const rate = Number(spec.params.rate ?? 1000);
  if (!(BITALINO_RATES_HZ as readonly number[]).includes(rate))
    throw new Error(
      `${spec.id}: BITalino rate must be one of ${BITALINO_RATES_HZ.join(', ')} Hz, got ${spec.params.rate}.`,
    );
  const inputs = (spec.params.channels ?? '1,2').split(',').map(Number);
  return { channels: inputs.map((input) => ({ input, kind: 'emg' })), sampleRateHz: rate as BitalinoRateHz };
}

/**
 * The codec a device spec decodes with (serial specs without a kind are Cyton). `profile` is required for
 * `kind=line`; `firmware=3` selects Ganglion firmware 3. Errors name the spec.
 */
export function codecForSpec(spec: DeviceSpec, profile?: LineProfile): Codec {
  const kind = spec.kind ?? (spec.transport === 'serial' ? 'cyton' : undefined);
  switch (kind) {
    case 'cyton':
      return new CytonCodec();
    case 'cyton-daisy':
      return new CytonCodec({ isDaisy: true });
    case 'bitalino':
      return new BitalinoCodec(bitalinoParams(spec));
    case 'line':
      if (!profile) throw new Error(`${spec.id}: a line-protocol device needs its profile.`);
      return new LineProtocolCodec(profile);
    case 'ganglion':
      return new GanglionCodec(spec.params.firmware === '3' ? 3 : 2);
    case 'myo':
      return new MyoCodec();
    case 'myoware':
      return new MyowarePeripheralCodec();
    case 'myoware-uart':
      return new LineProtocolCodec(myowareUartProfile());
    case 'metawear':
      return new MetawearCodec();
    case undefined:
      throw new Error(`${spec.id}: no device kind; add ?kind=….`);
  }
}
