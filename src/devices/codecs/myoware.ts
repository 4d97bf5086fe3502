/**
 * MyoWare 2.0 Wireless Shield (ESP32) BLE text notifications.
 *
 * Source: ../shared/spec/devices.md §5.1 (AdvancerTechnologies MyoWare-Arduino-Library @ 2c2bcb9,
 * MyoWare.cpp, examples MyoWareBLEPeripheral.ino and MyoWareBLEUART.ino).
 *
 * Two firmware examples:
 * ```
 *  peripheral  service EC3AF789-2154-49F4-A9FC-BC6C88E9E930, char F3A56EDF-8F1E-4533-93BF-5601B2E91308 (notify)
 *              each notification = one ASCII decimal number, no line end, e.g. "1234.00" (ADC counts)
 *  uart        Nordic UART 6E400001-…, TX 6E400003-… (notify): ASCII lines "<env>,<raw>\n", which may be
 *              cut anywhere across notifications
 * ```
 * Conversion (12-bit ADC at 3.3 V): V = counts × 3.3 / 4095; RAW mV = V / 200 × 1000;
 * ENV mV = V / (200 × (1 + R_pot kΩ)) × 1000 with the example's 50 kΩ (gain 10200).
 *
 * The device sends no sample counter and no timestamp: samples are indexed by arrival and the fitted clock
 * derives the rate. Decoding is the line protocol's, so the same guarantees hold; in peripheral mode each
 * notification is one line (a message-framed transport).
 */

import type { SampleBlock } from '../../shared/samples.js';
import type { LineProfile } from './line-protocol.js';
import { LineProtocolCodec, LineProfileSchema } from './line-protocol.js';

export const MYOWARE_PERIPHERAL_SERVICE = 'ec3af789215449f4a9fcbc6c88e9e930';
export const MYOWARE_PERIPHERAL_CHAR = 'f3a56edf8f1e453393bf5601b2e91308';
export const NUS_SERVICE = '6e400001b5a3f393e0a9e50e24dcca9e';
export const NUS_RX_CHAR = '6e400002b5a3f393e0a9e50e24dcca9e';
export const NUS_TX_CHAR = '6e400003b5a3f393e0a9e50e24dcca9e';

const VOLTS_PER_COUNT = 3.3 / 4095;
/** mV per ADC count on the RAW output (gain 200). */
export const MYOWARE_RAW_MV_PER_COUNT = (VOLTS_PER_COUNT / 200) * 1000;
/** mV per ADC count on the ENV output with R_pot = 50 kΩ (gain 10200). */
export const MYOWARE_ENV_MV_PER_COUNT = (VOLTS_PER_COUNT / (200 * 51)) * 1000;

/** Profile of the UART example ("<env>,<raw>\n"); `sampleRateHz` is the loop rate you expect. */
export const myowareUartProfile = (sampleRateHz = 100): LineProfile =>
  LineProfileSchema.parse({
    name: 'MyoWare 2.0 (BLE UART)',
    streamId: 'emg',
    sampleRateHz,
    channels: [
      {
        field: 0,
        id: 'env',
        label: 'EMG envelope',
        kind: 'emg',
        unit: 'mV',
        scale: MYOWARE_ENV_MV_PER_COUNT,
        rangeMin: 0,
        rangeMax: 0.33,
      },
      {
        field: 1,
        id: 'raw',
        label: 'EMG raw',
        kind: 'emg',
        unit: 'mV',
        scale: MYOWARE_RAW_MV_PER_COUNT,
        rangeMin: -8.25,
        rangeMax: 8.25,
      },
    ],
  });

/** Profile of the peripheral example (one ENV number per notification). */
export const myowarePeripheralProfile = (sampleRateHz = 50): LineProfile =>
  LineProfileSchema.parse({
    name: 'MyoWare 2.0 (BLE peripheral)',
    streamId: 'emg',
    sampleRateHz,
    channels: [
      {
        field: 0,
        id: 'env',
        label: 'EMG envelope',
        kind: 'emg',
        unit: 'mV',
        scale: MYOWARE_ENV_MV_PER_COUNT,
        rangeMin: 0,
        rangeMax: 0.33,
      },
    ],
  });

/**
 * Peripheral mode: one number per notification; every chunk is taken as one whole line (a newline inside a
 * notification does not split it, so "1\n2" is one malformed line, not two samples).
 */
export class MyowarePeripheralCodec extends LineProtocolCodec {
  constructor(sampleRateHz = 50) {
    super(myowarePeripheralProfile(sampleRateHz));
  }

  override push(chunk: Uint8Array): SampleBlock[] {
    const line = new Uint8Array(chunk.length + 1);
    for (let i = 0; i < chunk.length; i++) line[i] = chunk[i] === 0x0a ? 0x20 : (chunk[i] ?? 0);
    line[chunk.length] = 0x0a;
    return super.push(line);
  }
}
