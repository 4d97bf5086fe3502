import { describe, expect, it } from 'vitest';
import type { PlaybackClock } from '../../../src/devices/drivers/playback.js';
import { PlaybackDriver } from '../../../src/devices/drivers/playback.js';
import type { Recording } from '../../../src/shared/recording.js';
import type { SampleBlock } from '../../../src/shared/samples.js';

/** A clock that moves only when the test says so, running due timers in order. */
class FakeClock implements PlaybackClock {
  now = 1_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  nowMs(): number {
    return this.now;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.now + ms, fn, id });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  yieldNow(): Promise<void> {
    return Promise.resolve();
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = end;
  }
}

/** 2 s: stream `a` at 1 kHz (sample i = i), stream `b` at 10 Hz (sample i = 100 - i). */
function recording(): Recording {
  return {
    format: 'bdf',
    source: 'test.bdf',
    startTimeMs: Date.UTC(2026, 0, 1),
    streams: [
      {
        descriptor: {
          id: 'a',
          label: 'A',
          sampleRateHz: 1000,
          channels: [{ id: 'a1', label: 'A1', kind: 'emg', unit: 'uV', rangeMin: -1e4, rangeMax: 1e4 }],
        },
        data: [Float32Array.from({ length: 2000 }, (_, i) => i)],
      },
      {
        descriptor: {
          id: 'b',
          label: 'B',
          sampleRateHz: 10,
          channels: [{ id: 'b1', label: 'B1', kind: 'angle', unit: 'deg', rangeMin: -100, rangeMax: 100 }],
        },
        data: [Float32Array.from({ length: 20 }, (_, i) => 100 - i)],
      },
    ],
    annotations: [],
    meta: {},
  };
}

const samples = (blocks: SampleBlock[], id: string): number[] =>
  blocks.filter((b) => b.streamId === id).flatMap((b) => Array.from(b.data[0] ?? []));
const times = (blocks: SampleBlock[], id: string): number[] =>
  blocks.filter((b) => b.streamId === id).flatMap((b) => Array.from(b.timestampsMs));

describe('PlaybackDriver', () => {
  it('plays in real time at 1x with the file timestamps, not the host clock', async () => {
    const clock = new FakeClock();
    const rec = recording();
    const d = new PlaybackDriver(rec, { clock });
    expect(d.descriptor).toMatchObject({ id: 'replay:test.bdf', transport: 'file' });
    expect(d.durationS).toBe(2);
    const blocks: SampleBlock[] = [];
    await d.connect();
    await d.start((b) => blocks.push(b));
    clock.advance(500);
    expect(samples(blocks, 'a')).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(samples(blocks, 'b')).toEqual([100, 99, 98, 97, 96]);
    expect(times(blocks, 'a')[499]).toBe(rec.startTimeMs + 499);
    clock.advance(2000);
    expect(samples(blocks, 'a')).toHaveLength(2000);
    expect(samples(blocks, 'b')).toHaveLength(20);
    await d.ended;
  });

  it('keeps blocks of each stream in order and across streams in time order', async () => {
    const clock = new FakeClock();
    const d = new PlaybackDriver(recording(), { clock, speed: 4 });
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    clock.advance(600);
    for (const id of ['a', 'b']) {
      const own = blocks.filter((b) => b.streamId === id);
      own.forEach((b, k) => {
        if (k > 0) expect(b.firstSeq).toBe(own[k - 1]!.firstSeq + own[k - 1]!.timestampsMs.length);
      });
    }
    const starts = blocks.map((b) => b.timestampsMs[0]!);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(-20);
  });

  it.each([0.25, 8, 64])('covers speed x%s of real time', async (speed) => {
    const clock = new FakeClock();
    const d = new PlaybackDriver(recording(), { clock, speed });
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    clock.advance(100);
    expect(samples(blocks, 'a')).toHaveLength(Math.min(2000, 100 * speed));
  });

  it('plays everything as fast as possible and resolves ended', async () => {
    const d = new PlaybackDriver(recording(), { speed: 'max' });
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    await d.ended;
    expect(samples(blocks, 'a')).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(samples(blocks, 'b')).toHaveLength(20);
  });

  it('loops with increasing firstSeq and timestamps, and stops delivering after stop()', async () => {
    const clock = new FakeClock();
    const rec = recording();
    const d = new PlaybackDriver(rec, { clock, loop: true, speed: 2 });
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    clock.advance(1500);
    const a = blocks.filter((b) => b.streamId === 'a');
    expect(samples(blocks, 'a')).toHaveLength(3000);
    expect(samples(blocks, 'a')[2500]).toBe(500);
    expect(a.at(-1)!.firstSeq + a.at(-1)!.timestampsMs.length).toBe(3000);
    expect(times(blocks, 'a')[2500]).toBe(rec.startTimeMs + 2000 + 500);
    await d.stop();
    const n = blocks.length;
    clock.advance(1000);
    expect(blocks.length).toBe(n);
  });

  it('seeks forward as a jump and backward as a new pass', async () => {
    const clock = new FakeClock();
    const rec = recording();
    const d = new PlaybackDriver(rec, { clock });
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    clock.advance(100);
    d.seek(1.5);
    clock.advance(100);
    const a = blocks.filter((b) => b.streamId === 'a');
    const after = a.find((b) => b.firstSeq >= 1500)!;
    expect(after.firstSeq).toBe(1500);
    expect(after.data[0]![0]).toBe(1500);
    d.seek(0.25);
    clock.advance(20);
    const back = blocks.filter((b) => b.streamId === 'a').at(-1)!;
    expect(back.firstSeq).toBe(2000 + 250);
    expect(back.data[0]![0]).toBe(250);
    expect(back.timestampsMs[0]).toBe(rec.startTimeMs + 2000 + 250);
  });

  it('keeps explicit sample times of a stream with gaps', async () => {
    const rec = recording();
    rec.streams[1]!.timestampsMs = Float64Array.from(
      { length: 20 },
      (_, i) => rec.startTimeMs + i * 100 + (i >= 10 ? 5000 : 0),
    );
    const d = new PlaybackDriver(rec, { speed: 'max' });
    expect(d.durationS).toBeCloseTo(7, 9);
    const blocks: SampleBlock[] = [];
    await d.start((b) => blocks.push(b));
    await d.ended;
    expect(times(blocks, 'b')).toEqual(Array.from(rec.streams[1]!.timestampsMs!));
  });

  it('refuses speeds outside 0.25x to 64x', () => {
    expect(() => new PlaybackDriver(recording(), { speed: 100 })).toThrow(/outside 0.25x to 64x/);
    expect(() => new PlaybackDriver(recording(), { speed: 0.1 })).toThrow(RangeError);
  });
});
