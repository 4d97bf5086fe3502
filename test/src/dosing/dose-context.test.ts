import { describe, expect, it } from 'vitest';
import type { DoseEvent } from '../../../src/dosing/dose-event.js';
import { doseEventProblems } from '../../../src/dosing/dose-event.js';
import { computeDoseContext, cRelCurve } from '../../../src/dosing/dose-context.js';
import { defaultPkParams } from '../../../src/dosing/pk-model.js';
import {
  expandRegimen,
  expandRegimens,
  matchExpectedDoses,
  parseRegimenText,
} from '../../../src/dosing/regimen.js';
import { parseTimeInZone } from '../../../src/dosing/time-zone.js';
import { withdrawalFlags } from '../../../src/dosing/withdrawal.js';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;
const at = (local: string): number => parseTimeInZone(local, AMS) as number;
const oral = (local: string, amount = 5, status: DoseEvent['status'] = 'taken'): DoseEvent => ({
  timeMs: at(local),
  route: 'oral',
  kind: 'scheduled',
  amount,
  unit: 'mg',
  status,
});
const tid = { ...parseRegimenText('5 mg TID'), startMs: at('2026-01-01T00:00') };

describe('regimens', () => {
  it('parses "5 mg TID" and explicit clock times, and names bad text', () => {
    expect(parseRegimenText('5 mg TID')).toEqual({ amountMg: 5, timesLocal: ['08:00', '14:00', '20:00'] });
    expect(parseRegimenText('2.5mg at 20:00, 07:30')).toEqual({
      amountMg: 2.5,
      timesLocal: ['07:30', '20:00'],
    });
    expect(() => parseRegimenText('five mg')).toThrow(/"five mg" is not a regimen/);
    expect(() => parseRegimenText('5 mg at 25:00')).toThrow(/"25:00" is not a clock time/);
  });

  it('keeps 08:00 local across spring-forward and fall-back, so real intervals become 11 h and 13 h', () => {
    const spring = expandRegimen(tid, at('2026-03-28T00:00'), at('2026-03-30T00:00'), AMS);
    expect(spring.map((d) => d.timeMs)).toEqual(
      [
        '2026-03-28T08:00',
        '2026-03-28T14:00',
        '2026-03-28T20:00',
        '2026-03-29T08:00',
        '2026-03-29T14:00',
        '2026-03-29T20:00',
      ].map(at),
    );
    expect(((spring[3]?.timeMs ?? 0) - (spring[2]?.timeMs ?? 0)) / H).toBe(11);
    const fall = expandRegimen(tid, at('2026-10-24T00:00'), at('2026-10-26T00:00'), AMS);
    expect(((fall[3]?.timeMs ?? 0) - (fall[2]?.timeMs ?? 0)) / H).toBe(13);
    expect(((fall[4]?.timeMs ?? 0) - (fall[3]?.timeMs ?? 0)) / H).toBe(6);
  });

  it('lets a later regimen supersede the earlier one without doubling expected doses', () => {
    const step = { ...parseRegimenText('7.5 mg TID'), startMs: at('2026-01-12T12:00') };
    const doses = expandRegimens([step, tid], at('2026-01-12T00:00'), at('2026-01-13T00:00'), AMS);
    expect(doses.map((d) => [d.timeMs, d.amountMg])).toEqual([
      [at('2026-01-12T08:00'), 5],
      [at('2026-01-12T14:00'), 7.5],
      [at('2026-01-12T20:00'), 7.5],
    ]);
  });

  it('marks expected doses taken, missed or pending against the log', () => {
    const expected = expandRegimen(tid, at('2026-01-12T00:00'), at('2026-01-13T00:00'), AMS);
    const log = [
      { ...oral('2026-01-12T08:20'), id: 1 },
      { ...oral('2026-01-12T14:00', 5, 'missed'), id: 2 },
    ];
    const status = matchExpectedDoses(expected, log, at('2026-01-12T19:00'));
    expect(status.map((s) => [s.status, s.doseId])).toEqual([
      ['taken', 1],
      ['missed', 2],
      ['pending', undefined],
    ]);
    const later = matchExpectedDoses(expected, log, at('2026-01-13T06:00'));
    expect(later[2]?.status).toBe('missed');
  });
});

describe('withdrawal flags (informational only)', () => {
  it('flags missed doses, runs of missed doses, abrupt reductions and pump alarms', () => {
    const expected = expandRegimen(tid, at('2026-01-12T00:00'), at('2026-01-14T00:00'), AMS);
    const log: DoseEvent[] = [
      oral('2026-01-12T08:00', 10),
      oral('2026-01-12T14:00', 10),
      oral('2026-01-12T20:00', 10),
      oral('2026-01-13T08:00', 5),
      {
        timeMs: at('2026-01-10T09:00'),
        route: 'itb_continuous',
        kind: 'rate_change',
        amount: 200,
        unit: 'ug_per_day',
        status: 'taken',
      },
      {
        timeMs: at('2026-01-11T09:00'),
        route: 'itb_continuous',
        kind: 'rate_change',
        amount: 100,
        unit: 'ug_per_day',
        status: 'taken',
      },
      {
        timeMs: at('2026-01-11T10:00'),
        route: 'itb_continuous',
        kind: 'alarm',
        amount: 0,
        unit: 'ug_per_day',
        status: 'taken',
        note: 'low reservoir',
      },
    ];
    const flags = withdrawalFlags(log, matchExpectedDoses(expected, log, at('2026-01-14T00:00')), AMS);
    expect(flags.map((f) => f.kind)).toEqual([
      'itb-rate-reduction',
      'pump-alarm',
      'oral-reduction',
      'consecutive-missed-doses',
    ]);
    const missed = flags.find((f) => f.kind === 'consecutive-missed-doses');
    expect(missed?.text).toMatch(/^2 consecutive expected doses missed from 2026-01-13T14:00:00.000\+01:00/);
    for (const f of flags) {
      expect(f.text).toMatch(/review/);
      expect(f.text).not.toMatch(/\b(increase|take|should)\b/i);
    }
    expect(flags.find((f) => f.kind === 'oral-reduction')?.text).toMatch(/from 30 mg to 5 mg \(-83 %\)/);
  });
});

describe('dose context', () => {
  const pk = defaultPkParams.child;
  const day = ['2026-01-12T08:00', '2026-01-12T14:00', '2026-01-12T20:00'].map((t) => oral(t, 5));

  it('T5 through the context: trough at 13:30 (5.5 h after), peak at 15:30 (1.5 h after)', () => {
    const a = computeDoseContext({
      timeMs: at('2026-01-12T13:30'),
      log: day,
      regimens: [],
      pk,
      timeZone: AMS,
      weightKg: 20,
    });
    expect(a.route).toBe('oral');
    expect(a.phase).toBe('trough');
    expect(a.hoursSinceDose).toBeCloseTo(5.5, 9);
    expect(a.hoursToNextDose).toBeCloseTo(0.5, 9);
    const b = computeDoseContext({
      timeMs: at('2026-01-12T15:30'),
      log: day,
      regimens: [],
      pk,
      timeZone: AMS,
      weightKg: 20,
    });
    expect(b.phase).toBe('peak');
    expect(b.hoursSinceDose).toBeCloseTo(1.5, 9);
    expect((b.cRel ?? 0) / (a.cRel ?? 1)).toBeCloseTo(1.156 / 0.45, 2);
    expect(b.dailyDoseMg).toBe(10);
    expect(b.dailyDoseSource).toBe('log-24h');
  });

  it('relates C_rel to the regimen: at steady state the peak is ≈ 1 and the band brackets it', () => {
    const log: DoseEvent[] = [];
    for (let d = 5; d <= 12; d++)
      for (const h of ['08:00', '14:00', '20:00'])
        log.push(oral(`2026-01-${String(d).padStart(2, '0')}T${h}`));
    const peak = computeDoseContext({
      timeMs: at('2026-01-12T20:55'),
      log,
      regimens: [tid],
      pk,
      timeZone: AMS,
      weightKg: 20,
      band: true,
    });
    expect(peak.cRel).toBeGreaterThan(0.99);
    expect(peak.cRel).toBeLessThanOrEqual(1.000001);
    expect(peak.cRelP10).toBeLessThan(peak.cRel as number);
    expect(peak.cRelP90).toBeGreaterThan(peak.cRel as number);
    expect(peak.dailyDoseMg).toBe(15);
    expect(peak.dailyDoseMgPerKg).toBeCloseTo(0.75, 12);
    expect(peak.hoursToNextDose).toBeCloseTo(11 + 5 / 60, 9);
  });

  it('lowers C_rel after a missed dose and does not count the missed dose', () => {
    const log = [oral('2026-01-12T08:00'), oral('2026-01-12T14:00', 5, 'missed')];
    const withMissed = computeDoseContext({
      timeMs: at('2026-01-12T15:00'),
      log,
      regimens: [tid],
      pk,
      timeZone: AMS,
    });
    expect(withMissed.hoursSinceDose).toBeCloseTo(7, 9);
    expect(withMissed.phase).toBe('trough');
    const taken = computeDoseContext({
      timeMs: at('2026-01-12T15:00'),
      log: [log[0] as DoseEvent, oral('2026-01-12T14:00')],
      regimens: [tid],
      pk,
      timeZone: AMS,
    });
    expect(taken.phase).toBe('peak');
    expect(withMissed.cRel).toBeLessThan((taken.cRel as number) / 2);
  });

  it('keeps hours since dose exact across the spring-forward night', () => {
    const ctx = computeDoseContext({
      timeMs: at('2026-03-29T09:00'),
      log: [oral('2026-03-28T20:00')],
      regimens: [tid],
      pk,
      timeZone: AMS,
    });
    expect(ctx.hoursSinceDose).toBe(12);
    expect(ctx.hoursToNextDose).toBe(5);
    const fall = computeDoseContext({
      timeMs: at('2026-10-25T07:30'),
      log: [oral('2026-10-24T20:00')],
      regimens: [tid],
      pk,
      timeZone: AMS,
    });
    expect(fall.hoursSinceDose).toBe(12.5);
    expect(fall.phase).toBe('trough');
  });

  it('gives absolute concentration only when asked (T6 scale)', () => {
    const one = [oral('2026-01-12T08:00', 10)];
    const ctx = computeDoseContext({
      timeMs: at('2026-01-12T09:00'),
      log: one,
      regimens: [],
      pk,
      timeZone: AMS,
      weightKg: 20,
      absolute: true,
    });
    expect(ctx.cNgPerMl).toBeCloseTo(370, -1);
    expect(
      computeDoseContext({
        timeMs: at('2026-01-12T09:00'),
        log: one,
        regimens: [],
        pk,
        timeZone: AMS,
        weightKg: 20,
      }).cNgPerMl,
    ).toBeUndefined();
  });

  it('follows pump rate changes: µg/day, hours since change and equilibrating < 48 h', () => {
    const pump: DoseEvent[] = [
      {
        timeMs: at('2026-01-01T10:00'),
        route: 'itb_continuous',
        kind: 'rate_change',
        amount: 150,
        unit: 'ug_per_day',
        status: 'taken',
      },
      {
        timeMs: at('2026-01-10T10:00'),
        route: 'itb_continuous',
        kind: 'rate_change',
        amount: 180,
        unit: 'ug_per_day',
        status: 'taken',
      },
      {
        timeMs: at('2026-01-11T08:00'),
        route: 'itb_continuous',
        kind: 'refill',
        amount: 0,
        unit: 'ug_per_day',
        status: 'taken',
      },
    ];
    const before = computeDoseContext({
      timeMs: at('2026-01-09T10:00'),
      log: pump,
      regimens: [],
      pk,
      timeZone: AMS,
    });
    expect(before).toMatchObject({
      route: 'itb_continuous',
      phase: 'continuous',
      itbDailyUg: 150,
      hoursSinceRateChange: 192,
      isEquilibrating: false,
    });
    const after = computeDoseContext({
      timeMs: at('2026-01-11T10:00'),
      log: pump,
      regimens: [],
      pk,
      timeZone: AMS,
    });
    expect(after).toMatchObject({ itbDailyUg: 180, hoursSinceRateChange: 24, isEquilibrating: true });
    expect(after.pumpEvents).toEqual([{ timeMs: at('2026-01-11T08:00'), kind: 'refill' }]);
    const settled = computeDoseContext({
      timeMs: at('2026-01-12T10:00'),
      log: pump,
      regimens: [],
      pk,
      timeZone: AMS,
    });
    expect(settled.isEquilibrating).toBe(false);
  });

  it('labels a flex bolus on a pump with bolus phases, and a screening bolus baseline before it', () => {
    const log: DoseEvent[] = [
      {
        timeMs: at('2026-01-01T10:00'),
        route: 'itb_continuous',
        kind: 'rate_change',
        amount: 150,
        unit: 'ug_per_day',
        status: 'taken',
      },
      {
        timeMs: at('2026-01-12T10:00'),
        route: 'itb_continuous',
        kind: 'flex_bolus',
        amount: 50,
        unit: 'ug',
        status: 'taken',
      },
    ];
    const peak = computeDoseContext({ timeMs: at('2026-01-12T14:00'), log, regimens: [], pk, timeZone: AMS });
    expect(peak).toMatchObject({
      route: 'itb_bolus',
      phase: 'peak',
      hoursSinceBolus: 4,
      lastBolusUg: 50,
      itbDailyUg: 150,
    });
    const screening: DoseEvent[] = [
      {
        timeMs: at('2026-01-12T10:00'),
        route: 'itb_bolus',
        kind: 'scheduled',
        amount: 50,
        unit: 'ug',
        status: 'taken',
      },
    ];
    const pre = computeDoseContext({
      timeMs: at('2026-01-12T09:30'),
      log: screening,
      regimens: [],
      pk,
      timeZone: AMS,
    });
    expect(pre).toMatchObject({ route: 'itb_bolus', phase: 'baseline', hoursSinceBolus: -0.5 });
  });

  it('says unknown without a dose in the last 24 h', () => {
    const ctx = computeDoseContext({
      timeMs: at('2026-01-14T10:00'),
      log: day,
      regimens: [],
      pk,
      timeZone: AMS,
    });
    expect(ctx).toMatchObject({ route: 'none', phase: 'unknown' });
  });

  it('checks that units fit the route', () => {
    expect(doseEventProblems({ timeMs: 0, route: 'oral', kind: 'scheduled', amount: 5, unit: 'mg' })).toEqual(
      [],
    );
    expect(
      doseEventProblems({ timeMs: 0, route: 'oral', kind: 'scheduled', amount: 5, unit: 'ug' }),
    ).toContain('oral doses are in mg');
    expect(doseEventProblems({ timeMs: 0, route: 'oral', kind: 'refill', amount: 0, unit: 'mg' })[0]).toMatch(
      /itb_continuous route only/,
    );
  });
});

describe('C_rel curve', () => {
  it('follows the doses, peaks about 0.9 h after each at steady state and agrees with the point context', () => {
    const log: DoseEvent[] = [];
    for (let d = 5; d <= 12; d++)
      for (const h of ['08:00', '14:00', '20:00'])
        log.push(oral(`2026-01-${String(d).padStart(2, '0')}T${h}`));
    const pk = defaultPkParams.child;
    const curve = cRelCurve({
      log,
      regimens: [tid],
      pk,
      timeZone: AMS,
      fromMs: at('2026-01-12T20:00'),
      toMs: at('2026-01-13T04:00'),
      stepMinutes: 5,
    });
    expect(curve).toHaveLength(8 * 12 + 1);
    const peak = curve.reduce((a, b) => (b.cRel > a.cRel ? b : a));
    // Peak ≈ 0.89 h after the dose (T4), within one 5-minute grid step.
    expect(Math.abs((peak.timeMs - at('2026-01-12T20:00')) / H - 0.89)).toBeLessThanOrEqual(5 / 60);
    for (const p of curve) {
      expect(p.p10).toBeLessThanOrEqual(p.cRel);
      expect(p.p90).toBeGreaterThanOrEqual(p.cRel);
    }
    const point = computeDoseContext({
      timeMs: curve[30]?.timeMs as number,
      log,
      regimens: [tid],
      pk,
      timeZone: AMS,
      band: true,
    });
    expect(point.cRel).toBeCloseTo(curve[30]?.cRel as number, 12);
    expect(point.cRelP10).toBeCloseTo(curve[30]?.p10 as number, 12);
    expect(
      cRelCurve({ log: [], regimens: [], pk, timeZone: AMS, fromMs: 0, toMs: H, stepMinutes: 10 }),
    ).toEqual([]);
    expect(() =>
      cRelCurve({ log, regimens: [], pk, timeZone: AMS, fromMs: 0, toMs: H, stepMinutes: 0 }),
    ).toThrow(/stepMinutes 0/);
  });
});
