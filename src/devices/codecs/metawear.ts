/**
 * MbientLab MetaWear / MetaMotion accelerometer (Bosch BMI160) over BLE.
 *
 * Source: ../shared/spec/devices.md §5.2 (mbientlab/MetaWear-SDK-Cpp @ f67699e, accelerometer_bosch.cpp and
 * test_accelerometer_bmi160.py; not an official protocol document). Service 326a9000-85cb-9195-d9dd-464cfbbae75a,
 * command characteristic 326a9001-… (write), notify characteristic 326a9006-….
 *
 * Message-framed: each chunk is one notification.
 * ```
 *  03 04 xL xH yL yH zL zH                   one sample, 3 × int16 LE ÷ LSB-per-g
 *  03 1c (xL xH yL yH zL zH) × 3             packed: three samples (20 bytes)
 *  anything else                             another module's reply: ignored
 * ```
 * Range byte → LSB per g: 0x03 ±2 g 16384, 0x05 ±4 g 8192, 0x08 ±8 g 4096, 0x0C ±16 g 2048. No sample counter:
 * samples are indexed by arrival. Whether the raw commands work without the SDK's module-discovery handshake
 * is unconfirmed (spec §5.2); BMI270 boards differ.
 */

import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { axes, BlockBuilder, emptyStats } from './codec.js';

export const METAWEAR_SERVICE = '326a900085cb9195d9dd464cfbbae75a';
export const METAWEAR_COMMAND_CHAR = '326a900185cb9195d9dd464cfbbae75a';
export const METAWEAR_NOTIFY_CHAR = '326a900685cb9195d9dd464cfbbae75a';

export type MetawearRangeG = 2 | 4 | 8 | 16;
const RANGE_BYTE: Record<MetawearRangeG, number> = { 2: 0x03, 4: 0x05, 8: 0x08, 16: 0x0c };
const LSB_PER_G: Record<MetawearRangeG, number> = { 2: 16384, 4: 8192, 8: 4096, 16: 2048 };
/** BMI160 ACC_CONF bytes for the rates the SDK tests use (unconfirmed reading of the bit layout). */
const ACC_CONF: Record<100 | 200, number> = { 100: 0x28, 200: 0x29 };

export interface MetawearOptions {
  rangeG?: MetawearRangeG;
  sampleRateHz?: 100 | 200;
}

/** Commands to configure and start streaming, in order (spec §5.2 table). */
export const metawearStartCommands = ({
  rangeG = 4,
  sampleRateHz = 100,
}: MetawearOptions = {}): Uint8Array[] => [
  Uint8Array.of(0x03, 0x03, ACC_CONF[sampleRateHz], RANGE_BYTE[rangeG]),
  Uint8Array.of(0x03, 0x04, 0x01),
  Uint8Array.of(0x03, 0x02, 0x01, 0x00),
  Uint8Array.of(0x03, 0x01, 0x01),
];

/** Commands to stop, disable and unsubscribe. */
export const metawearStopCommands = (): Uint8Array[] => [
  Uint8Array.of(0x03, 0x01, 0x00),
  Uint8Array.of(0x03, 0x02, 0x00, 0x01),
  Uint8Array.of(0x03, 0x04, 0x00),
];

export const metawearStreams = (sampleRateHz: number, rangeG: MetawearRangeG): StreamDescriptor[] => [
  {
    id: 'accel',
    label: 'Accelerometer (MetaWear)',
    sampleRateHz,
    channels: axes('acc', 'Accel', 'accel', 'g', rangeG),
  },
];

/** Decoder for MetaWear accelerometer notifications; see the file header. */
export class MetawearCodec implements Codec {
  readonly streams: readonly StreamDescriptor[];
  private readonly lsbPerG: number;
  private readonly block: BlockBuilder;
  private statsValue: CodecStats = emptyStats();
  private index = 0;

  constructor({ rangeG = 4, sampleRateHz = 100 }: MetawearOptions = {}) {
    this.lsbPerG = LSB_PER_G[rangeG];
    this.streams = metawearStreams(sampleRateHz, rangeG);
    this.block = new BlockBuilder('accel', 3, sampleRateHz);
  }

  push(chunk: Uint8Array): SampleBlock[] {
    const out: SampleBlock[] = [];
    if (chunk[0] === 0x03 && (chunk[1] === 0x04 || chunk[1] === 0x1c)) {
      const count = chunk[1] === 0x04 ? 1 : 3;
      if (chunk.length !== 2 + 6 * count) this.statsValue.malformed++;
      else {
        this.statsValue.packets++;
        const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        for (let s = 0; s < count; s++) {
          const o = 2 + 6 * s;
          this.block.add(
            this.index++,
            [
              view.getInt16(o, true) / this.lsbPerG,
              view.getInt16(o + 2, true) / this.lsbPerG,
              view.getInt16(o + 4, true) / this.lsbPerG,
            ],
            out,
          );
        }
      }
    }
    this.block.flush(out);
    return out;
  }

  reset(): void {
    this.block.reset();
    this.statsValue = emptyStats();
    this.index = 0;
  }

  stats(): CodecStats {
    return { ...this.statsValue };
  }

  takeMessages(): DeviceMessage[] {
    return [];
  }
}
