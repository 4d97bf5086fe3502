import { describe, expect, it } from 'vitest';
import {
  concentrationAt,
  ProtocolScript,
  severityAt,
  syntheticProtocols,
} from '../../../src/devices/drivers/synthetic-protocols.js';
import type { SyntheticParams } from '../../../src/devices/drivers/synthetic-signal.js';
import {
  defaultSyntheticParams,
  scriptedMotion,
  SyntheticSignal,
} from '../../../src/devices/drivers/synthetic-signal.js';
import {
  DEMO_HUM_CHANNEL,
  demoSyntheticParams,
  SyntheticDriver,
} from '../../../src/devices/drivers/synthetic.js';
import type { SampleBlock } from '../../../src/shared/samples.js';

const concat = (blocks: SampleBlock[], channel: number): number[] =>
  blocks.flatMap((b) => Array.from(b.data[channel] ?? []));

describe('synthetic demo signal', () => {
  it('describes 8 EMG channels at 2 kHz in µV and a 6-axis IMU at 100 Hz', () => {
    const s = new SyntheticSignal();
    const [emg, imu] = s.streams;
    expect(emg).toMatchObject({ id: 'emg', sampleRateHz: 2000 });
    expect(emg?.channels).toHaveLength(8);
    expect(emg?.channels.every((c) => c.unit === 'uV' && c.kind === 'emg')).toBe(true);
    expect(imu).toMatchObject({ id: 'imu', sampleRateHz: 100 });
    expect(imu?.channels.map((c) => c.unit)).toEqual(['g', 'g', 'g', 'deg/s', 'deg/s', 'deg/s']);
  });

  it('is deterministic for a seed, whatever the block sizes', () => {
    const a = new SyntheticSignal({ ...defaultSyntheticParams, seed: 7 });
    const b = new SyntheticSignal({ ...defaultSyntheticParams, seed: 7 });
    const one = [a.next('emg', 3000)];
    const many = [b.next('emg', 1), b.next('emg', 999), b.next('emg', 2000)];
    expect(concat(many, 3)).toEqual(concat(one, 3));
    expect(many.map((m) => m.firstSeq)).toEqual([0, 1, 1000]);
    const c = new SyntheticSignal({ ...defaultSyntheticParams, seed: 8 });
    expect(concat([c.next('emg', 3000)], 3)).not.toEqual(concat(one, 3));
  });

  it('stamps samples on the nominal clock from the start time', () => {
    const s = new SyntheticSignal({ ...defaultSyntheticParams, startTimeMs: 1000 });
    s.next('imu', 10);
    const block = s.next('imu', 3);
    expect(Array.from(block.timestampsMs)).toEqual([1100, 1110, 1120]);
  });

  it('has a noise floor near its set RMS at rest and a reflex burst during the fast stretch', () => {
    const p = { ...defaultSyntheticParams, restToneUv: 0, mainsUv: 0 };
    const s = new SyntheticSignal(p);
    const block = s.next('emg', p.emgRateHz * p.cycleS);
    const rms = (from: number, to: number): number => {
      const x = (block.data[0] as Float32Array).subarray(from * p.emgRateHz, to * p.emgRateHz);
      return Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    };
    expect(rms(0, 2)).toBeGreaterThan(p.emgNoiseUv * 0.9);
    expect(rms(0, 2)).toBeLessThan(p.emgNoiseUv * 1.1);
    const burstStart = p.cycleS * 0.4 + 0.1;
    expect(rms(burstStart, burstStart + 0.2)).toBeGreaterThan(5 * rms(0, 2));
  });

  it('keeps gravity at 1 g when still and integrates gyro Z to the stretch range', () => {
    const p = defaultSyntheticParams;
    const s = new SyntheticSignal();
    const block = s.next('imu', p.imuRateHz * p.cycleS);
    const [ax, ay, , , , gz] = block.data as Float32Array[];
    let still = 0;
    for (let i = 0; i < block.timestampsMs.length; i++) {
      if (Math.abs(scriptedMotion(p, i / p.imuRateHz).velocityDegS) > 1) continue;
      still++;
      expect(Math.hypot(ax?.[i] ?? 0, ay?.[i] ?? 0)).toBeCloseTo(1, 1);
    }
    expect(still).toBeGreaterThan(block.timestampsMs.length / 2);
    const stretchStart = p.cycleS * 0.4;
    let angle = 0;
    for (let i = stretchStart * p.imuRateHz; i < (stretchStart + p.stretchS) * p.imuRateHz; i++)
      angle += (gz?.[i] ?? 0) / p.imuRateHz;
    expect(angle).toBeGreaterThan(p.stretchRangeDeg * 0.9);
    expect(angle).toBeLessThan(p.stretchRangeDeg * 1.1);
    expect(scriptedMotion(p, stretchStart + p.stretchS + 0.5).angleDeg).toBeCloseTo(p.stretchRangeDeg, 9);
  });

  it('is deterministic for every protocol and any block split, with a concentration profile', () => {
    for (const protocol of syntheticProtocols) {
      const params: SyntheticParams = {
        ...defaultSyntheticParams,
        protocol,
        seed: 11,
        startTimeMs: 1000,
        concentrationProfile: [
          { timeMs: 1000, cRel: 0 },
          { timeMs: 3000, cRel: 1 },
        ],
      };
      const a = new SyntheticSignal(params);
      const b = new SyntheticSignal(params);
      const whole = [a.next('emg', 6001), a.next('imu', 301)];
      const split = [
        b.next('emg', 7),
        b.next('emg', 2994),
        b.next('emg', 3000),
        b.next('imu', 1),
        b.next('imu', 300),
      ];
      for (const ch of [0, 5]) {
        expect(concat(split.slice(0, 3), ch)).toEqual(concat(whole.slice(0, 1), ch));
        expect(concat(split.slice(3), ch)).toEqual(concat(whole.slice(1), ch));
      }
    }
  });
});

/** Angle (as % of the stretch range) at the largest deceleration of the stretch in [fromS, toS]. */
function catchAnglePct(p: SyntheticParams, fromS: number, toS: number): number {
  const script = new ProtocolScript(p);
  const dt = 0.001;
  let worst = Infinity;
  let at = 0;
  for (let t = fromS + dt; t < toS - dt; t += dt) {
    const alpha = (script.at(t + dt).velocityDegS - script.at(t - dt).velocityDegS) / (2 * dt);
    if (alpha < worst) {
      worst = alpha;
      at = script.at(t).angleDeg;
    }
  }
  return (100 * at) / p.stretchRangeDeg;
}

const rmsOf = (x: Float32Array, rateHz: number, fromS: number, toS: number): number => {
  const seg = x.subarray(Math.round(fromS * rateHz), Math.round(toS * rateHz));
  return Math.sqrt(seg.reduce((a, v) => a + v * v, 0) / seg.length);
};

describe('synthetic protocols', () => {
  const stretches: SyntheticParams = { ...defaultSyntheticParams, protocol: 'passive-stretch' };
  // passive-stretch: rest 3 s, slow stretch 3.0–6.5 s, hold, return, rest, fast stretch 12.5–12.9 s.
  const slow = [3, 6.5] as const;
  const fast = [12.5, 12.9] as const;

  it('shows a catch (max deceleration well before end range) only in fast stretches', () => {
    expect(catchAnglePct(stretches, ...fast)).toBeLessThan(50);
    expect(catchAnglePct(stretches, ...slow)).toBeGreaterThan(85);
    expect(catchAnglePct({ ...stretches, severity: 0 }, ...fast)).toBeGreaterThan(85);
    const peakSlow = Math.max(
      ...Array.from({ length: 350 }, (_, i) => scriptedMotion(stretches, 3 + i / 100).velocityDegS),
    );
    expect(peakSlow).toBeLessThan(60);
    expect(scriptedMotion(stretches, 12.5 + 0.2).velocityDegS).toBeGreaterThan(150);
  });

  it('gives a reflex burst that scales with severity, and none in slow stretches', () => {
    const burst = (severity: number): { fast: number; slow: number; rest: number } => {
      const s = new SyntheticSignal({ ...stretches, severity, restToneUv: 0 });
      const emg = s.next('emg', 16 * 2000).data[0] as Float32Array;
      return {
        fast: rmsOf(emg, 2000, 12.55, 12.8),
        slow: rmsOf(emg, 2000, 3.5, 6),
        rest: rmsOf(emg, 2000, 0, 2.5),
      };
    };
    const mild = burst(0.3);
    const severe = burst(0.9);
    const excess = (b: { fast: number; rest: number }): number => Math.sqrt(b.fast ** 2 - b.rest ** 2);
    expect(excess(severe) / excess(mild)).toBeGreaterThan(2.5);
    expect(excess(severe) / excess(mild)).toBeLessThan(4);
    expect(severe.slow / severe.rest).toBeLessThan(1.2);
  });

  it('lowers the reflex as the baclofen concentration rises', () => {
    const p: SyntheticParams = {
      ...defaultSyntheticParams,
      startTimeMs: 0,
      restToneUv: 0,
      concentrationProfile: [
        { timeMs: 0, cRel: 0 },
        { timeMs: 8000, cRel: 0 },
        { timeMs: 9000, cRel: 1 },
      ],
    };
    const emg = new SyntheticSignal(p).next('emg', 24 * 2000).data[0] as Float32Array;
    const before = rmsOf(emg, 2000, 3.25, 3.5);
    const after = rmsOf(emg, 2000, 16 + 3.25, 16 + 3.5);
    expect(severityAt(p, 1)).toBeCloseTo(0.7, 9);
    expect(severityAt(p, 20)).toBeCloseTo(0.7 * 0.4, 9);
    expect(after).toBeLessThan(before * 0.6);
    expect(concentrationAt(p.concentrationProfile, 8500)).toBeCloseTo(0.5, 9);
  });

  it('drops the pendulum into a damped swing whose relaxation index falls with severity', () => {
    const ri = (severity: number): number => {
      const p: SyntheticParams = { ...defaultSyntheticParams, protocol: 'pendulum', severity };
      const gz = new SyntheticSignal(p).next('imu', 17 * 100).data[5] as Float32Array;
      // Release at 5 s from 70° above rest; integrate gyro Z from there and find the first minimum.
      let angle = p.pendulumStartDeg;
      let min = angle;
      for (let i = 500; i < 500 + 100 / p.pendulumHz; i++) {
        angle += gz[i]! / 100;
        min = Math.min(min, angle);
      }
      return (p.pendulumStartDeg - min) / p.pendulumStartDeg;
    };
    const expected = (zeta: number): number => 1 + Math.exp((-Math.PI * zeta) / Math.sqrt(1 - zeta * zeta));
    const relaxed = ri(0);
    const severe = ri(1);
    expect(relaxed).toBeCloseTo(expected(0.1605), 1);
    expect(severe).toBeCloseTo(expected(0.5), 1);
    expect(severe).toBeLessThan(relaxed - 0.3);
  });

  it('plays clonus near 6 Hz at end range when severe, and none when mild', () => {
    const beats = (severity: number): { hz: number; peakDegS: number } => {
      const p: SyntheticParams = { ...defaultSyntheticParams, protocol: 'clonus', severity };
      const gz = new SyntheticSignal(p).next('imu', 13 * 100).data[5] as Float32Array;
      const hold = gz.subarray(260, 800);
      const crossings: number[] = [];
      for (let i = 1; i < hold.length; i++) if (hold[i - 1]! < 0 && hold[i]! >= 0) crossings.push(i);
      const peakDegS = Math.max(...Array.from(hold.subarray(0, 100), Math.abs));
      const span = (crossings.at(-1)! - crossings[0]!) / 100;
      return { hz: (crossings.length - 1) / span, peakDegS };
    };
    const severe = beats(1);
    expect(severe.hz).toBeGreaterThan(5.8);
    expect(severe.hz).toBeLessThan(6.2);
    expect(severe.peakDegS).toBeGreaterThan(30);
    expect(beats(0.2).peakDegS).toBeLessThan(3);
  });

  it('tours every protocol once per 54.3 s cycle', () => {
    const tour = new ProtocolScript({ ...defaultSyntheticParams, protocol: 'tour' });
    expect(tour.periodS).toBeCloseTo(5 + 15.9 + 17 + 16.4, 9);
    expect(tour.steps(tour.periodS).map((s) => s.text)).toEqual([
      'Slow stretch',
      'Fast stretch',
      'Pendulum drop',
      'Fast stretch',
      'Clonus hold',
    ]);
  });

  it('lists protocol steps for annotations', () => {
    const steps = new ProtocolScript(stretches).steps(20);
    expect(steps.map((s) => [Number(s.onsetS.toFixed(6)), s.text])).toEqual([
      [3, 'Slow stretch'],
      [12.5, 'Fast stretch'],
      [18.9, 'Slow stretch'],
    ]);
  });
});

describe('SyntheticDriver', () => {
  it('streams in real time against the host clock and stops delivering after stop()', async () => {
    const driver = new SyntheticDriver();
    const blocks: SampleBlock[] = [];
    await driver.connect();
    await driver.start((b) => blocks.push(b));
    await new Promise((r) => setTimeout(r, 300));
    await driver.stop();
    const count = blocks.length;
    const emgSamples = blocks
      .filter((b) => b.streamId === 'emg')
      .reduce((n, b) => n + b.timestampsMs.length, 0);
    expect(emgSamples).toBeGreaterThan(2000 * 0.15);
    expect(emgSamples).toBeLessThanOrEqual(2000 * 0.35);
    await new Promise((r) => setTimeout(r, 100));
    expect(blocks.length).toBe(count);
  });

  it('refuses to connect when already cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new SyntheticDriver().connect(ac.signal)).rejects.toThrow(/Cancelled/);
  });
});

describe('demo hum channel', () => {
  it('adds mains hum of the given amplitude to that one EMG channel only', () => {
    const plain = new SyntheticSignal(defaultSyntheticParams).next('emg', 400);
    const demo = new SyntheticSignal({ ...defaultSyntheticParams, ...demoSyntheticParams }).next('emg', 400);
    const { index, amplitudeUv } = DEMO_HUM_CHANNEL;
    plain.data.forEach((x, c) => {
      const y = demo.data[c] as Float32Array;
      for (let i = 0; i < x.length; i++) {
        const hum = c === index ? amplitudeUv * Math.sin((2 * Math.PI * 50 * i) / 2000) : 0;
        expect((y[i] ?? 0) - (x[i] ?? 0)).toBeCloseTo(hum, 3);
      }
    });
  });
});
