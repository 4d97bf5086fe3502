import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TonusApp } from '../../../src/app/tonus-app.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { parseTimeInZone } from '../../../src/dosing/time-zone.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { seededRandom } from '../../../src/dosing/random.js';
import { TrendRepository } from '../../../src/storage/trend-repository.node.js';
import { addPatient, addSession } from '../storage/dose-fixture.js';

const AMS = 'Europe/Amsterdam';
const at = (local: string): number => parseTimeInZone(local, AMS) as number;
let app: TonusApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function start(): TonusApp {
  app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-app-')) });
  return app;
}

async function call(method: string, input: unknown): Promise<unknown> {
  const r = await dispatch((app as TonusApp).handlers, method, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message} (${r.error.where ?? ''})`);
  return r.value;
}

/** PK settings of a child on oral baclofen (half-life 4.5 h, peak after 1 h) in Amsterdam time. */
const childPk = (patient: string): Promise<unknown> =>
  call('setPkSettings', { patient, ageGroup: 'child', halfLifeH: 4.5, tmaxH: 1, timeZone: AMS });

describe('dosing service through the API contract', () => {
  it('recomputes a session dose context when a dose is added, edited and deleted, with an audit trail', async () => {
    const a = start();
    const patient = addPatient(a.db, 'CP-100', 25);
    const session = addSession(a.db, patient, at('2026-03-29T09:30'));
    await childPk('CP-100');
    expect(await call('getSessionDoseContext', { sessionId: session })).toMatchObject({
      route: 'none',
      phase: 'unknown',
    });
    const absolute = (await call('setPkSettings', {
      patient: 'CP-100',
      ageGroup: 'child',
      halfLifeH: 9,
      tmaxH: 1,
      timeZone: AMS,
      absoluteMode: true,
    })) as { warnings: string[] };
    expect(absolute.warnings).toHaveLength(2);
    expect(absolute.warnings[0]).toMatch(/renal impairment/);
    expect(absolute.warnings[1]).toMatch(/over-predicts exposure/);
    await childPk('CP-100');

    const [dose] = (await call('addDoses', {
      patient: 'CP-100',
      actor: 'nurse-a',
      doses: [{ timeMs: at('2026-03-29T08:00'), route: 'oral', kind: 'scheduled', amount: 5, unit: 'mg' }],
    })) as { id: number; time: string }[];
    expect(dose?.time).toBe('2026-03-29T08:00:00.000+02:00');
    expect(await call('getSessionDoseContext', { sessionId: session })).toMatchObject({
      route: 'oral',
      phase: 'peak',
      hoursSinceDose: 1.5,
    });

    await call('updateDose', {
      id: dose?.id,
      patch: { timeMs: at('2026-03-29T05:00') },
      actor: 'dr-b',
      reason: 'time was wrong',
    });
    expect(await call('getSessionDoseContext', { sessionId: session })).toMatchObject({
      phase: 'trough',
      hoursSinceDose: 4.5,
    });

    await call('deleteDose', { id: dose?.id, actor: 'dr-b' });
    expect(await call('getSessionDoseContext', { sessionId: session })).toMatchObject({
      route: 'none',
      phase: 'unknown',
    });
    const audit = (await call('getDoseAudit', { patient: 'CP-100' })) as {
      action: string;
      changedBy: string;
    }[];
    expect(audit.map((x) => `${x.action}:${x.changedBy}`)).toEqual([
      'create:nurse-a',
      'update:dr-b',
      'delete:dr-b',
    ]);
  });

  it('refuses bad input with a clear message saying where', async () => {
    const a = start();
    addPatient(a.db, 'CP-101');
    const wrongUnit = await dispatch(a.handlers, 'addDoses', {
      patient: 'CP-101',
      actor: 'x',
      doses: [{ timeMs: 0, route: 'oral', kind: 'scheduled', amount: 5, unit: 'ug' }],
    });
    expect(wrongUnit).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', where: 'doses[0]', message: 'oral doses are in mg' },
    });
    const unknown = await dispatch(a.handlers, 'listDoses', { patient: 'nobody' });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'patient "nobody" does not exist' },
    });
    const zone = await dispatch(a.handlers, 'setPkSettings', {
      patient: 'CP-101',
      ageGroup: 'child',
      halfLifeH: 4.5,
      tmaxH: 1,
      timeZone: 'Mars/Olympus',
    });
    expect(zone).toMatchObject({ ok: false, error: { where: 'setPkSettings.timeZone' } });
    const regimen = await dispatch(a.handlers, 'addRegimen', { patient: 'CP-101', text: 'lots', startMs: 0 });
    expect(regimen).toMatchObject({ ok: false, error: { where: 'addRegimen.text' } });
  });

  it('lists the log with expected doses and withdrawal flags, and side effects', async () => {
    const a = start();
    addPatient(a.db, 'CP-102');
    await childPk('CP-102');
    await call('addRegimen', {
      patient: 'CP-102',
      text: '5 mg TID',
      startMs: at('2026-01-12T00:00'),
      endMs: at('2026-01-13T00:00'),
    });
    await call('addDoses', {
      patient: 'CP-102',
      actor: 'parent',
      doses: [
        { timeMs: at('2026-01-12T08:05'), route: 'oral', kind: 'scheduled', amount: 5, unit: 'mg' },
        {
          timeMs: at('2026-01-12T14:00'),
          route: 'oral',
          kind: 'scheduled',
          amount: 5,
          unit: 'mg',
          status: 'missed',
        },
      ],
    });
    await call('addSideEffect', {
      patient: 'CP-102',
      timeMs: at('2026-01-12T10:00'),
      kind: 'drowsiness',
      severity: 'mild',
    });
    const missedId = (
      (await call('listDoses', { patient: 'CP-102' })) as { doses: { id: number; status: string }[] }
    ).doses.find((d) => d.status === 'missed')?.id;
    const edited = (await call('updateDose', {
      id: missedId,
      patch: { note: 'forgot at school' },
      actor: 'parent',
    })) as { status: string; note: string };
    expect(edited).toMatchObject({ status: 'missed', note: 'forgot at school' });
    const log = (await call('listDoses', { patient: 'CP-102' })) as {
      expected: { status: string }[];
      flags: { kind: string }[];
    };
    expect(log.expected.map((x) => x.status)).toEqual(['taken', 'missed', 'missed']);
    expect(log.flags.map((f) => f.kind)).toEqual(['consecutive-missed-doses']);
    expect(await call('listSideEffects', { patient: 'CP-102' })).toMatchObject([
      { kind: 'drowsiness', severity: 'mild' },
    ]);
  });

  it('answers trends and the therapy window from stored indicators and dose contexts', async () => {
    const a = start();
    const patient = addPatient(a.db, 'CP-103');
    await childPk('CP-103');
    const rng = seededRandom(3);
    const trends = new TrendRepository(a.db);
    const doses = [];
    for (let d = 1; d <= 28; d++) {
      const day = `2026-02-${String(d).padStart(2, '0')}`;
      doses.push({
        timeMs: at(`${day}T08:00`),
        route: 'oral' as const,
        kind: 'scheduled' as const,
        amount: 5,
        unit: 'mg' as const,
      });
      for (const clock of ['07:40', '09:00', '10:30', '12:30']) {
        const s = addSession(a.db, patient, at(`${day}T${clock}`));
        const h = (at(`${day}T${clock}`) - at(`${day}T08:00`)) / 3_600_000;
        const value = 40 - (h > 0 ? 15 * Math.exp(-((h - 1) ** 2)) : 0) + rng.normal();
        trends.putIndicators([
          {
            sessionId: s,
            indicatorId: 'rmsHV',
            value,
            unit: 'uV',
            n: 5,
            algorithmVersion: '1',
            muscle: 'gastrocnemius',
            side: 'left',
            protocol: 'passive-stretch',
          },
        ]);
      }
    }
    await call('addDoses', { patient: 'CP-103', actor: 'import', doses });
    await call('addSideEffect', {
      patient: 'CP-103',
      timeMs: at('2026-02-10T10:00'),
      kind: 'fatigue',
      severity: 'moderate',
    });
    await call('addSideEffect', {
      patient: 'CP-103',
      timeMs: at('2025-01-01T10:00'),
      kind: 'nausea',
      severity: 'mild',
    });
    const trend = (await call('getTrend', { patient: 'CP-103', indicator: 'rmsHV' })) as {
      lines: { key: { phase: string }; points: unknown[] }[];
      prePost: { exceedsMdc: boolean; delta: number }[];
      acrossVisits: { phase: string }[];
      sideEffects: { kind: string }[];
      baselines: { phase: string; source: string; n: number }[];
    };
    expect(trend.lines.map((l) => [l.key.phase, l.points.length])).toEqual([
      ['peak', 56],
      ['trough', 55],
      ['unknown', 1],
    ]);
    // One band per phase; no two sessions of a phase lie within the hour, so MDC95 is the published one.
    expect(trend.baselines.map((b) => [b.phase, b.source])).toEqual([
      ['peak', 'published'],
      ['trough', 'published'],
      ['unknown', 'published'],
    ]);
    expect(trend.sideEffects.map((e) => e.kind)).toEqual(['fatigue']);
    // The first visit has no dose the day before, so its 07:40 session is `unknown`, not a trough.
    expect(trend.prePost).toHaveLength(27);
    expect(trend.prePost.every((p) => p.delta < 0)).toBe(true);
    expect(trend.acrossVisits.filter((c) => c.phase === 'trough')).toHaveLength(27);
    const [vsCRel] = (await call('getDoseResponse', {
      patient: 'CP-103',
      indicator: 'rmsHV',
      covariate: 'cRel',
    })) as {
      fit?: { slope: number };
      points: unknown[];
    }[];
    expect(vsCRel?.fit?.slope).toBeLessThan(0);
    expect(vsCRel?.points).toHaveLength(111);
    const [w] = (await call('getTherapyWindow', { patient: 'CP-103', indicator: 'rmsHV' })) as {
      bestHoursSinceDose: number;
      ciLowH: number;
      ciHighH: number;
    }[];
    expect(w?.bestHoursSinceDose).toBe(1.25);
    expect(w?.ciLowH).toBeLessThanOrEqual(1.25);
    expect(w?.ciHighH).toBeGreaterThanOrEqual(1.25);
  });

  it("without own repeats or a published value, judges a same-visit trough → peak change against the phases' own MDC95, not one mixed band", async () => {
    const a = start();
    const patient = addPatient(a.db, 'CP-106');
    await childPk('CP-106');
    const trends = new TrendRepository(a.db);
    const doses = [];
    // Troughs scatter ±1 µV around 40 and peaks around 34: a steady 6 µV drop after each dose.
    const wobble = [0, 1, -1, 0.5, -0.5, 0.8, -0.8, 0.2];
    for (let d = 1; d <= 8; d++) {
      const day = `2026-02-${String(d).padStart(2, '0')}`;
      const prevDay = `2026-01-${String(31 + d - 1).padStart(2, '0')}`;
      if (d === 1)
        doses.push({
          timeMs: at(`${prevDay}T20:00`),
          route: 'oral' as const,
          kind: 'scheduled' as const,
          amount: 5,
          unit: 'mg' as const,
        });
      doses.push({
        timeMs: at(`${day}T08:00`),
        route: 'oral' as const,
        kind: 'scheduled' as const,
        amount: 5,
        unit: 'mg' as const,
      });
      const w = wobble[d - 1] as number;
      for (const [clock, value] of [
        ['07:40', 40 + w],
        ['09:00', 34 - w],
      ] as const) {
        const s = addSession(a.db, patient, at(`${day}T${clock}`));
        trends.putIndicators([
          {
            sessionId: s,
            indicatorId: 'deltaRms',
            value,
            unit: 'uV',
            n: 5,
            algorithmVersion: '1',
            muscle: 'gastrocnemius',
            side: 'left',
            protocol: 'passive-stretch',
          },
        ]);
      }
    }
    await call('addDoses', { patient: 'CP-106', actor: 'import', doses });
    const trend = (await call('getTrend', { patient: 'CP-106', indicator: 'deltaRms' })) as {
      baselines: { phase: string; source: string; mdc95: number; sem: number; n: number }[];
      prePost: { exceedsMdc: boolean; delta: number; mdc95: number }[];
      acrossVisits: { phase: string; mdc95: number }[];
      measurementErrors: { source: string; ownRepeats: number }[];
    };
    expect(trend.measurementErrors).toEqual([
      expect.objectContaining({ source: 'baseline-spread', ownRepeats: 0 }),
    ]);
    const byPhase = new Map(trend.baselines.map((b) => [b.phase, b]));
    expect([...byPhase.keys()]).toEqual(['peak', 'trough']);
    expect(byPhase.get('trough')?.n).toBe(8);
    // One band over troughs and peaks mixed would be wider than the real 6 µV change.
    const all = [...wobble.map((w) => 40 + w), ...wobble.map((w) => 34 - w)];
    const m = all.reduce((x, y) => x + y, 0) / all.length;
    const mixedSd = Math.sqrt(all.reduce((x, y) => x + (y - m) ** 2, 0) / (all.length - 1));
    expect(1.96 * Math.SQRT2 * mixedSd).toBeGreaterThan(6);
    expect(trend.prePost.map((c) => c.delta)).toEqual(wobble.map((w) => 34 - w - (40 + w)));
    const troughSem = byPhase.get('trough')?.sem as number;
    const peakSem = byPhase.get('peak')?.sem as number;
    for (const c of trend.prePost) {
      expect(c.mdc95).toBeCloseTo(1.96 * Math.sqrt(troughSem ** 2 + peakSem ** 2), 10);
      expect(c.mdc95).toBeLessThan(3);
      expect(c.exceedsMdc).toBe(true);
    }
    for (const c of trend.acrossVisits)
      expect(c.mdc95).toBeCloseTo(byPhase.get(c.phase)?.mdc95 as number, 10);
  });

  it("takes MDC95 from the patient's own same-hour repeats when there are 5, else the published value", async () => {
    const a = start();
    const patient = addPatient(a.db, 'CP-107');
    await childPk('CP-107');
    const trends = new TrendRepository(a.db);
    const put = (sessionId: number, value: number): void =>
      trends.putIndicators([
        {
          sessionId,
          indicatorId: 'rmsHV',
          value,
          unit: 'uV',
          n: 5,
          algorithmVersion: '1',
          muscle: 'gastrocnemius',
          side: 'left',
          protocol: 'passive-stretch',
        },
      ]);
    // Test–retest pairs 20 min apart before the dose: differences 2, 1, 3, 0, 2 → SEM √(9/5) µV.
    const pairs = [
      [40, 42],
      [50, 51],
      [45, 48],
      [44, 44],
      [47, 49],
    ] as const;
    const trendAfter = async (days: number) => {
      const [first, second] = pairs[days - 1] as readonly [number, number];
      const day = `2026-03-${String(days).padStart(2, '0')}`;
      put(addSession(a.db, patient, at(`${day}T07:00`)), first);
      put(addSession(a.db, patient, at(`${day}T07:20`)), second);
      return (await call('getTrend', { patient: 'CP-107', indicator: 'rmsHV' })) as {
        baselines: { source: string; mdc95: number; mean: number; lower: number }[];
        measurementErrors: {
          source: string;
          mdc95?: number;
          ciLow?: number;
          ciHigh?: number;
          ownRepeats: number;
          repeatSessions: number;
          minRepeats: number;
          citation?: string;
        }[];
        acrossVisits: { mdc95: number }[];
      };
    };
    for (let d = 1; d <= 4; d++) {
      const t = await trendAfter(d);
      expect(t.measurementErrors).toHaveLength(1);
      expect(t.measurementErrors[0]).toMatchObject({
        source: 'published',
        citation: 'Schless et al. 2015',
        ownRepeats: d,
        repeatSessions: 2 * d,
        minRepeats: 5,
      });
      // 20 % of the baseline mean as SEM.
      const values = pairs.slice(0, d).flat();
      const mean = values.reduce((x, y) => x + y, 0) / values.length;
      expect(t.measurementErrors[0]?.mdc95).toBeCloseTo(1.96 * Math.SQRT2 * 0.2 * mean, 10);
    }
    const t = await trendAfter(5);
    const own = t.measurementErrors[0];
    expect(own).toMatchObject({ source: 'own-repeats', ownRepeats: 5, repeatSessions: 10 });
    expect(own?.citation).toBeUndefined();
    expect(own?.mdc95).toBeCloseTo(1.96 * Math.SQRT2 * Math.sqrt(9 / 5), 10);
    expect(own?.ciLow).toBeLessThanOrEqual(own?.mdc95 as number);
    expect(own?.ciHigh).toBeGreaterThanOrEqual(own?.mdc95 as number);
    for (const b of t.baselines) {
      expect(b.source).toBe('own-repeats');
      expect(b.mdc95).toBeCloseTo(own?.mdc95 as number, 12);
      expect(b.lower).toBeCloseTo(b.mean - (own?.mdc95 as number), 12);
    }
    expect(t.acrossVisits.length).toBeGreaterThan(0);
    for (const c of t.acrossVisits) expect(c.mdc95).toBeCloseTo(own?.mdc95 as number, 12);
    // The trends CSV gives every value the same MDC95 and names its source.
    const { files } = (await call('writeReport', {
      patient: 'CP-107',
      outDir: mkdtempSync(join(tmpdir(), 'tonus-mdc-csv-')),
      includeRaw: false,
    })) as { files: string[] };
    const csv = readFileSync(files.find((f) => f.endsWith('-trends.csv')) as string, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/,mdc95,mdc95_source$/);
    expect(csv.slice(1)).toHaveLength(10);
    for (const row of csv.slice(1))
      expect(row).toMatch(
        new RegExp(`,${(own?.mdc95 as number).toFixed(4)},own repeated sessions \\(10\\)$`),
      );
  });

  it("lists a patient's indicators with their places, and one glance per patient", async () => {
    const a = start();
    const p1 = addPatient(a.db, 'CP-107');
    addPatient(a.db, 'CP-108');
    const trends = new TrendRepository(a.db);
    const rows: [string, string, 'left' | 'right', number, string][] = [
      ['rmsHV', 'gastrocnemius', 'left', 30, '2026-02-01T10:00'],
      ['rmsHV', 'gastrocnemius', 'left', 26, '2026-02-03T10:00'],
      ['rmsHV', 'gastrocnemius', 'right', 20, '2026-02-02T10:00'],
      ['aoc', 'gastrocnemius', 'left', 70, '2026-02-01T10:00'],
    ];
    for (const [indicatorId, muscle, side, value, time] of rows) {
      const s = addSession(a.db, p1, at(time), muscle, side);
      trends.putIndicators([
        {
          sessionId: s,
          indicatorId,
          value,
          unit: 'uV',
          n: 3,
          algorithmVersion: '1',
          muscle,
          side,
          protocol: 'passive-stretch',
        },
      ]);
    }
    expect(await call('listTrendIndicators', { patient: 'CP-107' })).toEqual([
      {
        indicator: 'aoc',
        places: [{ muscle: 'gastrocnemius', side: 'left', n: 1, lastStartTimeMs: at('2026-02-01T10:00') }],
      },
      {
        indicator: 'rmsHV',
        places: [
          { muscle: 'gastrocnemius', side: 'left', n: 2, lastStartTimeMs: at('2026-02-03T10:00') },
          { muscle: 'gastrocnemius', side: 'right', n: 1, lastStartTimeMs: at('2026-02-02T10:00') },
        ],
      },
    ]);
    expect(await call('listTrendIndicators', { patient: 'CP-108' })).toEqual([]);
    const glances = (await call('getPatientGlances', { prefer: ['tsrt', 'rmsHV'] })) as {
      patientCode: string;
      lastSessionTimeMs?: number;
      indicator?: { id: string; side: string; recent: { value: number }[]; delta?: number };
    }[];
    expect(glances).toHaveLength(2);
    expect(glances[0]).toMatchObject({
      patientCode: 'CP-107',
      lastSessionTimeMs: at('2026-02-03T10:00'),
      indicator: { id: 'rmsHV', side: 'left', recent: [{ value: 30 }, { value: 26 }], delta: -4 },
    });
    expect(glances[1]).toEqual({ patientCode: 'CP-108' });
  });

  it('gives the predicted C_rel curve with its band for the within-day view', async () => {
    const a = start();
    addPatient(a.db, 'CP-104');
    await childPk('CP-104');
    await call('addDoses', {
      patient: 'CP-104',
      actor: 'x',
      doses: [{ timeMs: at('2026-01-12T08:00'), route: 'oral', kind: 'scheduled', amount: 5, unit: 'mg' }],
    });
    const curve = (await call('getCRelCurve', {
      patient: 'CP-104',
      fromMs: at('2026-01-12T07:00'),
      toMs: at('2026-01-12T16:00'),
      stepMinutes: 30,
    })) as {
      timeMs: number;
      cRel: number;
      p10: number;
      p90: number;
    }[];
    expect(curve).toHaveLength(19);
    expect(curve[0]?.cRel).toBe(0);
    expect(curve[4]?.cRel).toBeGreaterThan(curve[18]?.cRel as number);
    const peakIndex = (c: { cRel: number }[]): number =>
      c.reduce((best, p, i, all) => (p.cRel > (all[best]?.cRel ?? -1) ? i : best), 0);
    await call('setPkSettings', {
      patient: 'CP-104',
      ageGroup: 'child',
      halfLifeH: 4.5,
      tmaxH: 1,
      timeZone: AMS,
      ke0PerH: 0.5,
    });
    const lagged = (await call('getCRelCurve', {
      patient: 'CP-104',
      fromMs: at('2026-01-12T07:00'),
      toMs: at('2026-01-12T16:00'),
      stepMinutes: 30,
    })) as { cRel: number }[];
    expect(peakIndex(lagged)).toBeGreaterThan(peakIndex(curve));
    const tooMany = await dispatch(a.handlers, 'getCRelCurve', {
      patient: 'CP-104',
      fromMs: 0,
      toMs: 365 * 86_400_000,
      stepMinutes: 1,
    });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'stepMinutes' } });
  });

  it('raises a review text for an ITB session far outside the usual range', async () => {
    const a = start();
    const patient = addPatient(a.db, 'CP-105');
    await childPk('CP-105');
    const trends = new TrendRepository(a.db);
    const values = [20, 21, 19, 20, 35];
    values.forEach((value, i) => {
      // Four baseline sessions in the first week, then one seven weeks later.
      const s = addSession(a.db, patient, at(i < 4 ? `2026-01-0${5 + i}T10:00` : '2026-02-23T10:00'));
      trends.putIndicators([
        {
          sessionId: s,
          indicatorId: 'rmsRest',
          value,
          unit: 'uV',
          n: 3,
          algorithmVersion: '1',
          protocol: 'rest',
        },
      ]);
    });
    // Logged after the sessions: the rate stays in force, so every later session is recomputed.
    await call('addDoses', {
      patient: 'CP-105',
      actor: 'x',
      doses: [
        {
          timeMs: at('2026-01-01T09:00'),
          route: 'itb_continuous',
          kind: 'rate_change',
          amount: 150,
          unit: 'ug_per_day',
        },
      ],
    });
    const trend = (await call('getTrend', { patient: 'CP-105', indicator: 'rmsRest' })) as {
      alerts: { text: string }[];
      lines: { key: { phase: string } }[];
    };
    expect(trend.lines.map((l) => l.key.phase)).toEqual(['continuous']);
    expect(trend.alerts).toHaveLength(1);
    expect(trend.alerts[0]?.text).toMatch(/^rmsRest on 2026-02-23 is outside this patient's usual range/);
    expect(trend.alerts[0]?.text).toMatch(/for clinical review\.$/);
  });
});
