/**
 * Thalmic Myo armband BLE notifications: EMG (4 characteristics) and IMU.
 *
 * Source: ../shared/spec/devices.md §3 (thalmiclabs/myo-bluetooth myohw.h; pyomyo and dzhu/myo-raw for byte
 * order and command bytes). UUIDs are d506nnnn-a904-deb9-4748-2c7f4a124842, nnnn the 16-bit id below.
 *
 * Message-framed: each chunk is one notification; `source` is the characteristic UUID (noble form).
 * ```
 *  EmgData0..3 (0105, 0205, 0305, 0405), 16 bytes: int8 sample1[8] · int8 sample2[8]    (200 Hz total, counts)
 *  IMUData (0402), 20 bytes, int16 LE (header says big-endian; every working implementation reads LE):
 *    0,2,4,6 quaternion w,x,y,z ÷ 16384 · 8,10,12 accel x,y,z ÷ 2048 → g · 14,16,18 gyro ÷ 16 → deg/s (50 Hz)
 * ```
 * No sample counter exists. Samples are indexed by arrival; with `detectRotationGaps` the codec assumes the
 * four EMG characteristics notify in strict rotation 0 → 1 → 2 → 3 (spec §3.3 marks this unconfirmed) and
 * counts a skipped characteristic as two lost samples.
 */

import type { SampleBlock, StreamDescriptor } from '../../shared/samples.js';
import type { Codec, CodecStats, DeviceMessage } from './codec.js';
import { axes, BlockBuilder, channels, emptyStats } from './codec.js';

export const myoUuid = (short: string): string => `d506${short}a904deb947482c7f4a124842`;
export const MYO_CONTROL_SERVICE = myoUuid('0001');
export const MYO_IMU_SERVICE = myoUuid('0002');
export const MYO_EMG_SERVICE = myoUuid('0005');
export const MYO_COMMAND_CHAR = myoUuid('0401');
export const MYO_FIRMWARE_CHAR = myoUuid('0201');
export const MYO_IMU_CHAR = myoUuid('0402');
export const MYO_EMG_CHARS = ['0105', '0205', '0305', '0405'].map(myoUuid);
export const BATTERY_SERVICE = '180f';
export const BATTERY_LEVEL_CHAR = '2a19';

export const MYO_EMG_RATE_HZ = 200;
export const MYO_IMU_RATE_HZ = 50;

/** `set_mode`: raw EMG, IMU data, classifier off (spec §3.2). */
export const MYO_START_RAW = Uint8Array.of(0x01, 0x03, 0x03, 0x01, 0x00);
/** `set_mode`: filtered EMG, IMU data, classifier off. */
export const MYO_START_FILTERED = Uint8Array.of(0x01, 0x03, 0x02, 0x01, 0x00);
/** `set_mode`: everything off. */
export const MYO_STOP = Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00);
/** `set_sleep_mode` never sleep. */
export const MYO_NEVER_SLEEP = Uint8Array.of(0x09, 0x01, 0x01);
/** `set_sleep_mode` normal. */
export const MYO_NORMAL_SLEEP = Uint8Array.of(0x09, 0x01, 0x00);

export const myoStreams = (): StreamDescriptor[] => [
  {
    id: 'emg',
    label: 'EMG (Myo)',
    sampleRateHz: MYO_EMG_RATE_HZ,
    channels: channels('emg', 'EMG', 8, 'emg', 'counts', -128, 127),
  },
  {
    id: 'imu',
    label: 'IMU (Myo)',
    sampleRateHz: MYO_IMU_RATE_HZ,
    channels: [
      ...['W', 'X', 'Y', 'Z'].map((a) => ({
        id: `q${a}`,
        label: `Quaternion ${a}`,
        kind: 'angle' as const,
        unit: 'none' as const,
        rangeMin: -1,
        rangeMax: 1,
      })),
      ...axes('acc', 'Accel', 'accel', 'g', 16),
      ...axes('gyro', 'Gyro', 'gyro', 'deg/s', 2000),
    ],
  },
];

/** Decodes a 20-byte IMU notification into [qw, qx, qy, qz, ax, ay, az, gx, gy, gz]. */
export function decodeMyoImu(p: Uint8Array): number[] {
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const v = (i: number): number => view.getInt16(2 * i, true);
  return [
    v(0) / 16384,
    v(1) / 16384,
    v(2) / 16384,
    v(3) / 16384,
    v(4) / 2048,
    v(5) / 2048,
    v(6) / 2048,
    v(7) / 16,
    v(8) / 16,
    v(9) / 16,
  ];
}

export interface MyoCodecOptions {
  /** Count a skipped EMG characteristic in the 0→3 rotation as two lost samples. Default false. */
  detectRotationGaps?: boolean;
}

/** Decoder for Myo notifications; see the file header. */
export class MyoCodec implements Codec {
  readonly streams = myoStreams();
  private readonly emg = new BlockBuilder('emg', 8, MYO_EMG_RATE_HZ);
  private readonly imu = new BlockBuilder('imu', 10, MYO_IMU_RATE_HZ);
  private statsValue: CodecStats = emptyStats();
  private emgIndex = 0;
  private imuIndex = 0;
  private lastChar = -1;

  constructor(private readonly options: MyoCodecOptions = {}) {}

  push(chunk: Uint8Array, source = MYO_EMG_CHARS[0]): SampleBlock[] {
    const out: SampleBlock[] = [];
    const emgChar = MYO_EMG_CHARS.indexOf(source ?? '');
    if (emgChar >= 0) this.decodeEmg(chunk, emgChar, out);
    else if (source === MYO_IMU_CHAR) this.decodeImu(chunk, out);
    else this.statsValue.malformed++;
    this.emg.flush(out);
    this.imu.flush(out);
    this.statsValue.droppedSamples = this.emg.dropped;
    return out;
  }

  reset(): void {
    this.emg.reset();
    this.imu.reset();
    this.statsValue = emptyStats();
    this.emgIndex = 0;
    this.imuIndex = 0;
    this.lastChar = -1;
  }

  stats(): CodecStats {
    return { ...this.statsValue };
  }

  takeMessages(): DeviceMessage[] {
    return [];
  }

  private decodeEmg(p: Uint8Array, charIndex: number, out: SampleBlock[]): void {
    if (p.length !== 16) {
      this.statsValue.malformed++;
      return;
    }
    if (this.options.detectRotationGaps && this.lastChar >= 0) {
      const skipped = (charIndex - this.lastChar - 1 + 4) % 4;
      this.emgIndex += 2 * skipped;
    }
    this.lastChar = charIndex;
    this.statsValue.packets++;
    const s = new Int8Array(p.buffer, p.byteOffset, 16);
    this.emg.add(this.emgIndex++, s.subarray(0, 8), out);
    this.emg.add(this.emgIndex++, s.subarray(8, 16), out);
  }

  private decodeImu(p: Uint8Array, out: SampleBlock[]): void {
    if (p.length !== 20) {
      this.statsValue.malformed++;
      return;
    }
    this.statsValue.packets++;
    this.imu.add(this.imuIndex++, decodeMyoImu(p), out);
  }
}
