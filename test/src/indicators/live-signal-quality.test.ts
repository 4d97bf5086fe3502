import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/devices/random.js';
import { readTextRecording } from '../../../src/io/text-recording.node.js';
import { LiveSignalQuality, type LiveChannelQuality } from '../../../src/indicators/live-signal-quality.js';
import type { SampleBlock, StreamDescriptor } from '../../../src/shared/samples.js';
import { externalDataDir } from '../../support/external-data.js';

const FS = 2000;
const emgChannel = (i: number) => ({
  id: `emg${i}`,
  label: `EMG ${i}`,
  kind: 'emg' as const,
  unit: 'uV' as const,
  rangeMin: -1000,
  rangeMax: 1000,
});
const emgStream: StreamDescriptor = {
  id: 'emg',
  label: 'EMG',
  sampleRateHz: FS,
  channels: [1, 2, 3, 4, 5, 6].map(emgChannel),
};
const imuStream: StreamDescriptor = {
  id: 'imu',
  label: 'IMU',
  sampleRateHz: 100,
  channels: [
    { id: 'accX', label: 'Accel X', kind: 'accel', unit: 'g', rangeMin: -8, rangeMax: 8 },
    { id: 'gyroZ', label: 'Gyro Z', kind: 'gyro', unit: 'deg/s', rangeMin: -2000, rangeMax: 2000 },
  ],
};

/** Pushes `seconds` of `stream`, sample value `f(channel, n)`, in 20 ms blocks with consecutive seqs. */
function feed(
  q: LiveSignalQuality,
  stream: StreamDescriptor,
  seconds: number,
  f: (channel: number, n: number) => number,
): void {
  const block = Math.round(0.02 * stream.sampleRateHz);
  const total = Math.round(seconds * stream.sampleRateHz);
  for (let first = 0; first < total; first += block) {
    const len = Math.min(block, total - first);
    const data = stream.channels.map((_, c) => Float32Array.from({ length: len }, (_, i) => f(c, first + i)));
    const timestampsMs = Float64Array.from(
      { length: len },
      (_, i) => ((first + i) * 1000) / stream.sampleRateHz,
    );
    q.push({ streamId: stream.id, firstSeq: first, timestampsMs, data } satisfies SampleBlock);
  }
}

const byId = (rows: LiveChannelQuality[], id: string): LiveChannelQuality => {
  const row = rows.find((r) => r.channelId === id);
  if (!row) throw new Error(`no channel ${id}`);
  return row;
};

describe('LiveSignalQuality on constructed signals', () => {
  const rnd = new SeededRandom(7);
  const noise = Array.from({ length: 6 }, () => Float64Array.from({ length: 3 * FS }, () => rnd.gaussian()));
  const hum = (n: number, amplitudeUv: number) => amplitudeUv * Math.sin((2 * Math.PI * 50 * n) / FS);
  const q = new LiveSignalQuality([emgStream, imuStream], { mainsHz: 50 });
  feed(q, emgStream, 3, (c, n) => {
    const white = 5 * (noise[c]?.[n] ?? 0);
    switch (c) {
      case 0: // clean: 5 µV white noise
        return white;
      case 1: // clean with mains hum
        return white + hum(n, 15);
      case 2: // a few peaks beyond the range: clipped at the ADC limit
        return Math.max(-1000, Math.min(1000, white * 80));
      case 3: // disconnected input: a flat line
        return 12.5;
      case 4: // loose electrode: the amplifier picks up mains at hundreds of µV
        return white + hum(n, 400);
      default: // railed
        return 1000;
    }
  });
  const irnd = new SeededRandom(9);
  feed(q, imuStream, 3, (c) => (c === 0 ? 1 + 0.01 * irnd.gaussian() : 0));
  const rows = q.evaluate();

  it('reads clean noise as good, with the band-passed noise level in µV and no line noise', () => {
    const clean = byId(rows, 'emg1');
    expect(clean.verdict).toBe('good');
    expect(clean.reasons).toEqual([]);
    // 5 µV white noise keeps ≈ (450 − 20) / 1000 of its power after the band-pass: ≈ 3.3 µV RMS.
    expect(clean.noiseUv).toBeGreaterThan(2.5);
    expect(clean.noiseUv).toBeLessThan(4);
    expect(clean.lineNoiseDb).toBeLessThan(5);
    expect(clean.clippedFraction).toBe(0);
    expect(clean.windowS).toBeCloseTo(2, 6);
  });

  it('flags added 50 Hz as line noise to check', () => {
    const humming = byId(rows, 'emg2');
    expect(humming.verdict).toBe('check');
    expect(humming.issues).toEqual(['lineNoise']);
    expect(humming.lineNoiseDb).toBeGreaterThan(10);
    expect(humming.reasons[0]).toMatch(/Line noise \d+ dB at 50 Hz/);
  });

  it('flags clipping at the channel range', () => {
    const clipped = byId(rows, 'emg3');
    expect(clipped.verdict).toBe('check');
    expect(clipped.issues).toContain('clipping');
    expect(clipped.clippedFraction).toBeGreaterThan(0.001);
    expect(clipped.clippedFraction).toBeLessThan(0.5);
  });

  it('calls a flat, a hum-dominated and a railed channel off, saying why', () => {
    const flat = byId(rows, 'emg4');
    expect(flat.verdict).toBe('off');
    expect(flat.issues).toEqual(['flatLine']);
    expect(flat.noiseUv).toBeLessThan(0.01);
    const loose = byId(rows, 'emg5');
    expect(loose.verdict).toBe('off');
    expect(loose.issues).toEqual(['humDominates']);
    expect(loose.reasons[0]).toMatch(/electrode off or loose/);
    const railed = byId(rows, 'emg6');
    expect(railed.verdict).toBe('off');
    expect(railed.issues).toEqual(['railed', 'flatLine']);
    expect(railed.clippedFraction).toBe(1);
  });

  it('checks IMU channels for flat lines and clipping only', () => {
    const acc = byId(rows, 'accX');
    expect(acc).toMatchObject({ verdict: 'good', noiseUv: null, lineNoiseDb: null });
    expect(byId(rows, 'gyroZ')).toMatchObject({ verdict: 'off', issues: ['flatLine'] });
  });

  it('waits for a first 250 ms before judging, and forgets a stream on reset', () => {
    const fresh = new LiveSignalQuality([emgStream]);
    expect(fresh.evaluate().every((r) => r.verdict === 'check' && r.issues[0] === 'waiting')).toBe(true);
    feed(fresh, emgStream, 0.3, (c, n) => 5 * (noise[c]?.[n] ?? 0));
    expect(byId(fresh.evaluate(), 'emg1').verdict).toBe('good');
    fresh.reset('emg');
    expect(byId(fresh.evaluate(), 'emg1').issues).toEqual(['waiting']);
  });

  it('does not depend on how the signal is split into blocks', () => {
    const whole = new LiveSignalQuality([emgStream]);
    const data = emgStream.channels.map((_, c) =>
      Float32Array.from({ length: 2 * FS }, (_, n) => 5 * (noise[c]?.[n] ?? 0) + (c === 1 ? hum(n, 15) : 0)),
    );
    whole.push({ streamId: 'emg', firstSeq: 0, timestampsMs: new Float64Array(2 * FS), data });
    const split = new LiveSignalQuality([emgStream]);
    feed(split, emgStream, 2, (c, n) => data[c]?.[n] ?? 0);
    const a = whole.evaluate();
    const b = split.evaluate();
    for (let i = 0; i < a.length; i++) {
      expect(b[i]?.verdict).toBe(a[i]?.verdict);
      expect(b[i]?.noiseUv).toBeCloseTo(a[i]?.noiseUv ?? NaN, 9);
      expect(b[i]?.lineNoiseDb).toBeCloseTo(a[i]?.lineNoiseDb ?? NaN, 9);
    }
  });
});

describe('LiveSignalQuality on a real recording (UCI lower limb, subject 5, seated knee extension)', () => {
  it('reads the four surface EMG channels as connected, and spots the faults put into a copy', async () => {
    const rec = await readTextRecording(`${externalDataDir()}/uci-lower-limb/5Nsen.csv`);
    const emg = rec.streams.find((s) => s.descriptor.channels.some((c) => c.kind === 'emg'));
    if (!emg) throw new Error('no EMG stream');
    expect(emg.descriptor.channels[0]?.unit).toBe('mV');
    const fs = emg.descriptor.sampleRateHz;
    const length = emg.data[0]?.length ?? 0;
    const streamFaulty: StreamDescriptor = {
      ...emg.descriptor,
      id: 'faulty',
      channels: emg.descriptor.channels.map((c) => ({ ...c, id: `${c.id}_faulty` })),
    };
    const q = new LiveSignalQuality([emg.descriptor, streamFaulty], { mainsHz: 50 });
    const verdicts: string[][] = [];
    const block = Math.round(0.05 * fs);
    for (let first = 0; first < length; first += block) {
      const end = Math.min(length, first + block);
      const data = emg.data.map((x) => x.slice(first, end));
      const timestampsMs = new Float64Array(end - first);
      q.push({ streamId: emg.descriptor.id, firstSeq: first, timestampsMs, data });
      // Faulty copy: channel 1 unplugged (flat), channel 2 with 0.4 mV of mains hum.
      const faulty = data.map((x, c) =>
        c === 0
          ? new Float32Array(x.length)
          : c === 1
            ? x.map((v, i) => v + 0.4 * Math.sin((2 * Math.PI * 50 * (first + i)) / fs))
            : x,
      );
      q.push({ streamId: 'faulty', firstSeq: first, timestampsMs, data: faulty });
      if (Math.floor(end / fs) > Math.floor(first / fs)) verdicts.push(q.evaluate().map((r) => r.verdict));
    }
    expect(verdicts.length).toBeGreaterThanOrEqual(10);
    const last = q.evaluate();
    const real = last.filter((r) => r.streamId === emg.descriptor.id);
    expect(real).toHaveLength(4);
    for (const r of real) {
      expect(r.verdict).not.toBe('off');
      expect(r.clippedFraction).toBe(0);
      // A surface EMG baseline of a few µV, read through the mV unit.
      expect(r.noiseUv).toBeGreaterThan(0.5);
      expect(r.noiseUv).toBeLessThan(20);
    }
    // Every one-second evaluation over the recording keeps the real channels connected.
    for (const v of verdicts) expect(v.slice(0, 4)).not.toContain('off');
    const faulty = last.filter((r) => r.streamId === 'faulty');
    expect(faulty[0]).toMatchObject({ verdict: 'off', issues: ['flatLine'] });
    expect(faulty[1]).toMatchObject({ verdict: 'off', issues: ['humDominates'] });
    expect(faulty[2]?.verdict).toBe(real[2]?.verdict);
  });
});
