import { describe, expect, it } from 'vitest';
import {
  guidanceStep,
  judgeVelocity,
  PROTOCOL_TARGETS,
  ProtocolGuide,
  protocolTargetOf,
  type GuideLive,
} from '../../../src/shared/protocol-guidance.js';

/** Drives a guide through a script of live states, one observation per step (100 ms apart). */
class Script {
  nowMs = 0;
  recordedS = 0;
  paused = false;
  live: GuideLive = { velocityDegS: 0, stretchesCompleted: 0, dropsStarted: 0, stretch: null };
  constructor(
    readonly guide: ProtocolGuide,
    readonly formatVelocityDegS?: (speedDegS: number) => string,
  ) {}
  step(change: Partial<GuideLive> = {}, ms = 100): string {
    this.nowMs += ms;
    if (!this.paused) this.recordedS += ms / 1000;
    this.live = { ...this.live, ...change };
    return this.guide.update({
      nowMs: this.nowMs,
      recordedS: this.recordedS,
      paused: this.paused,
      live: this.live,
      ...(this.formatVelocityDegS ? { formatVelocityDegS: this.formatVelocityDegS } : {}),
    }).text;
  }
  /** A stretch that peaks at `peakDegS` and completes, then `waitMs` of stillness. */
  stretch(peakDegS: number, waitMs = 6000): string[] {
    const seen = [
      this.step({ velocityDegS: peakDegS / 2, stretch: { inProgress: true, peakVelDegS: peakDegS / 2 } }),
      this.step({ velocityDegS: peakDegS, stretch: { inProgress: true, peakVelDegS: peakDegS } }),
      this.step({
        velocityDegS: 0,
        stretchesCompleted: this.live.stretchesCompleted + 1,
        stretch: { inProgress: false, peakVelDegS: peakDegS },
      }),
    ];
    seen.push(this.step({}, waitMs));
    return seen;
  }
}

describe('protocol targets (domain.md §2.2, §3.2)', () => {
  it('ask for 3 slow stretches ≤ 30 °/s, 3 fast ones, 30 s rest, 3–6 pendulum drops', () => {
    expect(PROTOCOL_TARGETS['passive-stretch-slow']).toMatchObject({
      repetitions: 3,
      band: { goodMaxDegS: 30 },
    });
    expect(PROTOCOL_TARGETS['passive-stretch-fast']).toMatchObject({ repetitions: 3, intervalS: 5 });
    expect(protocolTargetOf('rest')).toEqual({ kind: 'rest', restS: 30 });
    expect(protocolTargetOf('pendulum')).toMatchObject({ minDrops: 3, maxDrops: 6 });
    expect(protocolTargetOf('something-else')).toEqual({ kind: 'free' });
  });

  it('judge slow stretches above 30 °/s too fast, and stop counting them above 60 °/s', () => {
    const slow = PROTOCOL_TARGETS['passive-stretch-slow'];
    if (slow?.kind !== 'stretches') throw new Error('no slow stretch target');
    expect(judgeVelocity(slow.band, 25)).toEqual({ verdict: 'good', counts: true });
    expect(judgeVelocity(slow.band, 45)).toEqual({ verdict: 'too-fast', counts: true });
    expect(judgeVelocity(slow.band, -61)).toEqual({ verdict: 'too-fast', counts: false });
  });
});

describe('ProtocolGuide, stretches', () => {
  it('counts fast stretches up to 3 of 3 with the wait between them, then says done', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-fast')));
    expect(s.step()).toBe('Fast stretch 1 of 3 — go');
    const first = s.stretch(320, 1000);
    expect(first[1]).toBe('Fast stretch 1 of 3: 320 °/s — good');
    expect(first[2]).toBe('Fast stretch 2 of 3 — next in 5 s');
    expect(first[3]).toBe('Fast stretch 2 of 3 — next in 4 s');
    expect(s.step({}, 4000)).toBe('Fast stretch 2 of 3 — go');
    expect(s.stretch(150)[1]).toBe('Fast stretch 2 of 3: 150 °/s — too slow, faster');
    expect(s.stretch(300).at(-1)).toBe('Fast stretch 3 of 3 done — stop when ready');
    expect(s.guide.update({ nowMs: s.nowMs, recordedS: 30, paused: false, live: s.live })).toMatchObject({
      count: 3,
      isComplete: true,
      cue: 'done',
    });
  });

  it('does not count a slow stretch that was far too fast, and says why', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-slow')));
    s.step();
    const seen = s.stretch(90, 1000);
    expect(seen[1]).toBe('Slow stretch 1 of 3: 90 °/s — too fast, slow down');
    expect(seen[3]).toBe(
      'Slow stretch 1 of 3 — the last one (90 °/s) was too fast and not counted; repeat in 4 s',
    );
    expect(s.stretch(45).at(-1)).toBe('Slow stretch 2 of 3 — go');
  });

  it('writes velocities with a given formatter (rad/s) without changing what it judges or counts', () => {
    const radS = (degS: number): string => `${((degS * Math.PI) / 180).toFixed(2)} rad/s`;
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-slow')), radS);
    s.step();
    const seen = s.stretch(90, 1000);
    expect(seen[1]).toBe('Slow stretch 1 of 3: 1.57 rad/s — too fast, slow down');
    expect(seen[3]).toBe(
      'Slow stretch 1 of 3 — the last one (1.57 rad/s) was too fast and not counted; repeat in 4 s',
    );
    expect(s.stretch(20).at(-1)).toBe('Slow stretch 2 of 3 — go');
    expect(s.step({ velocityDegS: 25, stretch: { inProgress: true, peakVelDegS: -25 } })).toBe(
      'Slow stretch 2 of 3: 0.44 rad/s — good',
    );
  });

  it('counts from its first observation: a stretch already in progress, or done before, does not count', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-fast')));
    s.live = {
      velocityDegS: 200,
      stretchesCompleted: 7,
      dropsStarted: 0,
      stretch: { inProgress: true, peakVelDegS: 200 },
    };
    s.step();
    expect(s.step({ stretchesCompleted: 8, stretch: { inProgress: false, peakVelDegS: 300 } }, 6000)).toBe(
      'Fast stretch 1 of 3 — go',
    );
    expect(s.stretch(300).at(-1)).toBe('Fast stretch 2 of 3 — go');
  });

  it('counts no stretch completed while paused, nor one that was in progress during a pause', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-fast')));
    s.step();
    s.paused = true;
    expect(s.stretch(300).at(-1)).toBe('Fast stretch 1 of 3 — paused');
    s.step({ stretch: { inProgress: true, peakVelDegS: 100 } });
    s.paused = false;
    s.step({
      stretchesCompleted: s.live.stretchesCompleted + 1,
      stretch: { inProgress: false, peakVelDegS: 300 },
    });
    expect(s.step({}, 6000)).toBe('Fast stretch 1 of 3 — go');
    expect(s.stretch(300).at(-1)).toBe('Fast stretch 2 of 3 — go');
  });

  it('stops counting at the target: a 4th, 5th or 6th stretch leaves 3 of 3, as does one while paused', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('passive-stretch-fast')));
    s.step();
    for (let i = 0; i < 6; i++) s.stretch(300);
    s.paused = true;
    s.stretch(300);
    s.paused = false;
    expect(s.step()).toBe('Fast stretch 3 of 3 done — stop when ready');
    expect(s.guide.update({ nowMs: s.nowMs, recordedS: 60, paused: false, live: s.live }).count).toBe(3);
  });
});

describe('guidance steps for announcements', () => {
  it('change when a stretch is counted, at pause and at the target, not with velocity or waiting', () => {
    const target = protocolTargetOf('passive-stretch-fast');
    const s = new Script(new ProtocolGuide(target));
    const steps: string[] = [];
    const observe = (): void => {
      const step = guidanceStep(
        target,
        s.guide.update({ nowMs: s.nowMs, recordedS: s.recordedS, paused: s.paused, live: s.live }),
      );
      if (steps.at(-1) !== step) steps.push(step);
    };
    observe();
    for (const peak of [320, 150, 300]) {
      s.step({ velocityDegS: peak, stretch: { inProgress: true, peakVelDegS: peak } });
      observe();
      s.step({
        velocityDegS: 0,
        stretchesCompleted: s.live.stretchesCompleted + 1,
        stretch: { inProgress: false, peakVelDegS: peak },
      });
      observe();
      for (let k = 0; k < 5; k++) {
        s.step({}, 1000);
        observe();
      }
      if (peak === 150) {
        s.paused = true;
        s.step();
        observe();
        s.paused = false;
        s.step();
        observe();
      }
    }
    expect(steps).toEqual([
      'Fast stretch 0 of 3 counted',
      'Fast stretch 1 of 3 counted',
      'Fast stretch 2 of 3 counted',
      'Fast stretch 2 of 3 counted, paused',
      'Fast stretch 2 of 3 counted',
      'Fast stretch 3 of 3 done, stop when ready',
    ]);
    expect(
      guidanceStep(protocolTargetOf('free'), s.guide.update({ nowMs: 0, recordedS: 0, paused: false })),
    ).toBe('');
  });
});

describe('ProtocolGuide, rest and pendulum', () => {
  it('counts recorded rest time (a pause stops it), asks for stillness, and says done at 30 s', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('rest')));
    for (let i = 0; i < 120; i++) s.step();
    expect(s.step()).toBe('Rest 12 of 30 s, keep still');
    expect(s.step({ velocityDegS: 12 })).toBe('Rest 12 of 30 s — movement seen, keep still');
    s.paused = true;
    expect(s.step({ velocityDegS: 0 }, 60_000)).toBe('Rest 12 of 30 s — paused');
    s.paused = false;
    expect(s.step({}, 18_000)).toBe('Rest 30 s done — stop when ready');
  });

  it('counts pendulum drops as 1 of 3–6, waits 30 s between them, and is complete from 3', () => {
    const s = new Script(new ProtocolGuide(protocolTargetOf('pendulum')));
    expect(s.step()).toBe('Pendulum drop 1 of 3–6 — lift, hold 1 s, release');
    expect(s.step({ dropsStarted: 1 })).toBe('Pendulum drop 2 of 3–6 — next in 30 s');
    expect(s.step({ dropsStarted: 2 }, 30_000)).toBe('Pendulum drop 3 of 3–6 — next in 30 s');
    const third = s.guide.update({
      nowMs: s.nowMs + 30_000,
      recordedS: 0,
      paused: false,
      live: { ...s.live, dropsStarted: 3 },
    });
    expect(third).toMatchObject({
      text: '3 drops done — stop when ready, or pendulum drop 4 of 3–6 in 30 s',
      isComplete: true,
      count: 3,
    });
  });
});
