import { describe, expect, it } from 'vitest';
import { LineProtocolCodec, parseLineProfile } from '../../../../src/devices/codecs/line-protocol.js';
import {
  myowareUartProfile,
  MYOWARE_ENV_MV_PER_COUNT,
  MYOWARE_RAW_MV_PER_COUNT,
} from '../../../../src/devices/codecs/myoware.js';
import { pushSplit, rows, streamCodecContract } from './codec-harness.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const PROFILE = JSON.stringify({
  name: 'Arduino + MyoWare on A0, counter first',
  sampleRateHz: 500,
  counterField: 0,
  counterModulus: 256,
  channels: [
    {
      field: 1,
      id: 'env',
      label: 'Envelope',
      kind: 'emg',
      unit: 'mV',
      scale: 2,
      offset: -1,
      rangeMin: 0,
      rangeMax: 5000,
    },
    { field: 2, id: 'raw', label: 'Raw', kind: 'emg', unit: 'counts', rangeMin: 0, rangeMax: 1023 },
  ],
});

const WIDE_COUNTER_PROFILE = JSON.stringify({
  name: 'Sketch with a 32-bit counter',
  sampleRateHz: 10,
  counterField: 0,
  channels: [{ field: 1, id: 'v', label: 'Value', kind: 'emg', unit: 'mV', rangeMin: 0, rangeMax: 5 }],
});

const sketchOutput = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `${(from + i) % 256},${i}.5,${1000 - i}\r\n`).join('');

describe('line protocol codec', () => {
  it('decodes CSV lines by profile: fields, scale/offset, counter', () => {
    const c = new LineProtocolCodec(parseLineProfile(PROFILE));
    const r = rows(c.push(text('0,10,512\r\n1,11.5,-3\n')));
    expect(r.emg).toEqual([
      { seq: 0, values: [19, 512] },
      { seq: 1, values: [22, -3] },
    ]);
    expect(c.streams[0]).toMatchObject({ id: 'emg', sampleRateHz: 500 });
  });

  it('counts counter gaps across the wrap as dropped samples', () => {
    const c = new LineProtocolCodec(parseLineProfile(PROFILE));
    const r = rows(c.push(text('254,1,1\n255,1,1\n2,1,1\n3,1,1\n')));
    expect(r.emg?.map((x) => x.seq)).toEqual([0, 1, 4, 5]);
    expect(c.stats().droppedSamples).toBe(2);
  });

  it('skips header and half lines with their line numbers, and resyncs after an over-long line', () => {
    const c = new LineProtocolCodec(parseLineProfile(PROFILE));
    const junk = 'x'.repeat(2000);
    const r = rows(c.push(text(`counter,env,raw\n,5,6\n0,1,1\n${junk}\n1,1,1\n2,1,abc\n3,1,1\n`)));
    expect(r.emg?.map((x) => x.seq)).toEqual([0, 1, 3]);
    expect(c.stats()).toMatchObject({ malformed: 3, resyncs: 1 });
    expect(c.stats().garbageBytes).toBe(2000);
    expect(c.recentErrors.map((e) => e.line)).toEqual([1, 2, 6]);
    expect(c.recentErrors[2]?.reason).toMatch(/field 2 is not a number/);
  });

  it('rejects bad profiles naming the field', () => {
    expect(() => parseLineProfile('{', 'arduino.json')).toThrow(/arduino\.json: not valid JSON/);
    expect(() =>
      parseLineProfile(JSON.stringify({ name: 'x', sampleRateHz: -1, channels: [] }), 'p.json'),
    ).toThrow(/p\.json: sampleRateHz/);
  });

  it('decodes the MyoWare UART example lines ("<env>,<raw>\\n") into mV', () => {
    const c = new LineProtocolCodec(myowareUartProfile());
    const r = rows(c.push(text('100,2048\n')));
    expect(r.emg?.[0]?.values[0]).toBeCloseTo(100 * MYOWARE_ENV_MV_PER_COUNT, 9);
    expect(r.emg?.[0]?.values[1]).toBeCloseTo(2048 * MYOWARE_RAW_MV_PER_COUNT, 5);
  });

  it('refuses a line whose number overflows (1e999 in double, 1e300 in a float32 sample) and counts it as malformed', () => {
    const c = new LineProtocolCodec(myowareUartProfile());
    const bytes = text('10,5\n1e999,5\n5,-1e999\n1e300,5\n11,6\n');
    const r = rows(
      pushSplit(
        c,
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    );
    expect(r.emg).toHaveLength(2);
    expect(r.emg?.flatMap((x) => x.values).every(Number.isFinite)).toBe(true);
    expect(c.stats().malformed).toBe(3);
  });

  it('refuses a counter that lost a digit instead of jumping 2^32 samples, and resyncs after a real restart', () => {
    const c = new LineProtocolCodec(parseLineProfile(WIDE_COUNTER_PROFILE));
    const bytes = text('1234,1\n1235,2\n124,3\n1237,4\n100000,5\n0,6\n1,7\n2,8\n');
    const r = rows(
      pushSplit(
        c,
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    );
    // 124 (1236 without a digit) is refused, 1237 counts 1236 as lost; 100000 (more than 10 s at 10 Hz) and the
    // restarted 0 are refused; 1 follows 0, which confirms the restart: the stream resyncs there.
    expect(r.emg?.map((x) => x.seq)).toEqual([0, 1, 3, 4, 5]);
    expect(c.stats()).toMatchObject({ malformed: 3, resyncs: 1, packets: 5, droppedSamples: 1 });
    expect(c.recentErrors[0]?.reason).toMatch(/counter jumps by 4294966184 samples/);
  });

  describe('chunk boundaries with corrupted counters and overflowing numbers', () => {
    streamCodecContract(
      () => new LineProtocolCodec(parseLineProfile(WIDE_COUNTER_PROFILE)),
      () => text('5,1\n6,1e999\n7,2\n8,3\n9\n,4\n10,5\n1,6\n2,7\n3,8\ngarbage\n4,9\n'),
    );
  });

  describe('chunk boundaries and fuzzing', () => {
    streamCodecContract(
      () => new LineProtocolCodec(parseLineProfile(PROFILE)),
      () => text(sketchOutput(250, 20) + 'garbage\n' + sketchOutput(10, 20)),
    );
  });
});
