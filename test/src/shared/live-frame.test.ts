import { describe, expect, it } from 'vitest';
import { decodeLiveFrame, encodeLiveFrame, type LiveFrame } from '../../../src/shared/live-frame.js';
import { decodeBinaryEvent, encodeBinaryEvent } from '../../../src/shared/event-wire.js';

const frame: LiveFrame = {
  sentAtMs: 1_700_000_000_123.5,
  streams: [
    {
      deviceId: 'synthetic',
      streamId: 'emg',
      firstColumn: 40,
      columns: 3,
      channelCount: 2,
      samplesPerColumn: 20,
      lastSampleTimeMs: 1_700_000_000_100,
      min: Float32Array.from([-1, -2, -3, -4, -5, -6]),
      max: Float32Array.from([1, 2, 3, 4, 5, 6.5]),
    },
    {
      deviceId: 'synthetic',
      streamId: 'imu',
      firstColumn: 7,
      columns: 1,
      channelCount: 1,
      samplesPerColumn: 1,
      lastSampleTimeMs: 1_700_000_000_090,
      min: Float32Array.from([0.98]),
      max: Float32Array.from([1.02]),
    },
  ],
};

describe('live frame wire format', () => {
  it('round-trips every field and every sample exactly', () => {
    const decoded = decodeLiveFrame(encodeLiveFrame(frame));
    expect(decoded).toEqual(frame);
  });

  it('decodes from an unaligned view inside a larger buffer (as WebSocket messages arrive)', () => {
    const wrapped = encodeBinaryEvent('liveFrame', encodeLiveFrame(frame));
    const { name, payload } = decodeBinaryEvent(wrapped);
    expect(name).toBe('liveFrame');
    expect(payload.byteOffset % 4).not.toBe(0);
    expect(decodeLiveFrame(payload)).toEqual(frame);
  });

  it('refuses a buffer with the wrong magic, naming the byte', () => {
    const bytes = encodeLiveFrame(frame);
    bytes[0] = 0;
    expect(() => decodeLiveFrame(bytes)).toThrow(/bad magic at byte 0/);
  });

  it('refuses a truncated buffer, naming where the samples ran out', () => {
    const bytes = encodeLiveFrame(frame);
    expect(() => decodeLiveFrame(bytes.subarray(0, bytes.length - 4))).toThrow(
      /run past the end at byte \d+/,
    );
  });
});
