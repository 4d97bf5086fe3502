import { describe, expect, it } from 'vitest';
import { decodeMyoImu, MYO_EMG_CHARS, MYO_IMU_CHAR, MyoCodec } from '../../../../src/devices/codecs/myo.js';
import {
  MetawearCodec,
  metawearStartCommands,
  metawearStopCommands,
} from '../../../../src/devices/codecs/metawear.js';
import {
  MYOWARE_ENV_MV_PER_COUNT,
  MYOWARE_RAW_MV_PER_COUNT,
  MyowarePeripheralCodec,
} from '../../../../src/devices/codecs/myoware.js';
import { messageCodecContract, rows } from './codec-harness.js';

const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .split(/\s+/)
      .filter((x) => x && x !== '|')
      .map((x) => parseInt(x, 16)),
  );
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Myo codec', () => {
  it('decodes the §3.3 EMG example: two samples of 8 int8 channels', () => {
    const c = new MyoCodec();
    const r = rows(c.push(hex('00 01 ff 80 7f 05 fb 10 | 02 fe 03 fd 00 00 64 9c'), MYO_EMG_CHARS[2]));
    expect(r.emg?.map((x) => x.values)).toEqual([
      [0, 1, -1, -128, 127, 5, -5, 16],
      [2, -2, 3, -3, 0, 0, 100, -100],
    ]);
  });

  it('decodes the §3.4 IMU example little-endian', () => {
    const v = decodeMyoImu(hex('00 40 00 00 00 00 00 00 | 00 08 00 fc 00 00 | a0 00 f0 ff 00 00'));
    expect(v).toEqual([1, 0, 0, 0, 1, -0.5, 0, 10, -1, 0]);
    const c = new MyoCodec();
    expect(
      rows(c.push(hex('00 40 00 00 00 00 00 00 00 08 00 fc 00 00 a0 00 f0 ff 00 00'), MYO_IMU_CHAR)).imu,
    ).toHaveLength(1);
  });

  it('counts a skipped characteristic in the rotation as two lost samples when asked to', () => {
    const c = new MyoCodec({ detectRotationGaps: true });
    const note = new Uint8Array(16);
    const out = [0, 1, 3, 0].flatMap((i) => c.push(note, MYO_EMG_CHARS[i]));
    expect(rows(out).emg?.map((x) => x.seq)).toEqual([0, 1, 2, 3, 6, 7, 8, 9]);
    expect(c.stats().droppedSamples).toBe(2);
  });

  it('counts wrong-length and unknown-source notifications as malformed', () => {
    const c = new MyoCodec();
    c.push(new Uint8Array(15), MYO_EMG_CHARS[0]);
    c.push(new Uint8Array(16), 'ffff');
    expect(rows(c.push(new Uint8Array(16), MYO_EMG_CHARS[1])).emg).toHaveLength(2);
    expect(c.stats().malformed).toBe(2);
  });

  describe('fuzzing', () =>
    messageCodecContract(() => new MyoCodec(), [...MYO_EMG_CHARS, MYO_IMU_CHAR, 'x']));
});

describe('MetaWear codec', () => {
  it('decodes the §5.2 source vector at ±4 g', () => {
    const c = new MetawearCodec({ rangeG: 4 });
    const v = rows(c.push(hex('03 04 16 c4 94 a2 2a d0'))).accel?.[0]?.values ?? [];
    expect(v[0]).toBeCloseTo(-1.872, 3);
    expect(v[1]).toBeCloseTo(-2.919, 3);
    expect(v[2]).toBeCloseTo(-1.495, 3);
  });

  it('decodes packed notifications into three samples and ignores other modules', () => {
    const c = new MetawearCodec({ rangeG: 2 });
    const packed = new Uint8Array(20);
    packed.set([0x03, 0x1c, 0x00, 0x40]);
    expect(rows(c.push(packed)).accel?.map((x) => x.values[0])).toEqual([1, 0, 0]);
    expect(c.push(hex('11 0a 01'))).toEqual([]);
    expect(c.stats().malformed).toBe(0);
    c.push(hex('03 04 01'));
    expect(c.stats().malformed).toBe(1);
  });

  it('builds the §5.2 command bytes', () => {
    expect(metawearStartCommands({ rangeG: 16, sampleRateHz: 100 }).map((b) => [...b])).toEqual([
      [0x03, 0x03, 0x28, 0x0c],
      [0x03, 0x04, 0x01],
      [0x03, 0x02, 0x01, 0x00],
      [0x03, 0x01, 0x01],
    ]);
    expect(metawearStartCommands({ rangeG: 8, sampleRateHz: 200 })[0]).toEqual(hex('03 03 29 08'));
    expect(metawearStopCommands().map((b) => [...b])).toEqual([
      [0x03, 0x01, 0x00],
      [0x03, 0x02, 0x00, 0x01],
      [0x03, 0x04, 0x00],
    ]);
  });

  describe('fuzzing', () => messageCodecContract(() => new MetawearCodec(), [undefined]));
});

describe('MyoWare peripheral codec', () => {
  it('reads one ASCII number per notification and converts ENV counts to mV', () => {
    const c = new MyowarePeripheralCodec();
    const r = rows([...c.push(text('1234.00')), ...c.push(text('x!')), ...c.push(text('4095'))]);
    expect(r.emg?.map((x) => x.values[0])).toEqual([
      Math.fround(1234 * MYOWARE_ENV_MV_PER_COUNT),
      Math.fround(4095 * MYOWARE_ENV_MV_PER_COUNT),
    ]);
    expect(c.stats().malformed).toBe(1);
    expect(MYOWARE_RAW_MV_PER_COUNT).toBeCloseTo(0.0040293, 6);
  });

  describe('fuzzing', () => messageCodecContract(() => new MyowarePeripheralCodec(), [undefined]));
});
