import { describe, expect, it } from 'vitest';
import type { DoseInput } from '../../../src/storage/dose-repository.node.js';
import { DoseRepository, NotFoundError } from '../../../src/storage/dose-repository.node.js';
import { TrendRepository } from '../../../src/storage/trend-repository.node.js';
import { addPatient, addSession, openTemp } from './dose-fixture.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 12, 7);
const oral = (timeMs: number, amount = 5): DoseInput => ({
  timeMs,
  route: 'oral',
  kind: 'scheduled',
  amount,
  unit: 'mg',
  status: 'taken',
});

describe('DoseRepository', () => {
  it('writes an audit row for every create, update and delete, with who, old and new values', () => {
    const db = openTemp();
    const patient = addPatient(db);
    let tick = 0;
    const repo = new DoseRepository(db, () => new Date(Date.UTC(2026, 0, 12, 12, 0, tick++)));
    const [dose] = repo.addDoses(patient, [oral(T0)], 'nurse-a');
    expect(dose).toBeDefined();
    const id = dose?.id as number;
    repo.updateDose(id, { amount: 7.5, note: 'half tablet extra' }, 'dr-b', 'entered wrong strength');
    repo.deleteDose(id, 'dr-b', 'duplicate');
    expect(repo.listDoses(patient)).toEqual([]);
    expect(() => repo.getDose(id)).toThrow(NotFoundError);
    const trail = repo.auditTrail(patient, id);
    expect(
      trail.map((a) => [
        a.action,
        a.changedBy,
        a.oldValue?.amount ?? null,
        a.newValue?.amount ?? null,
        a.reason ?? null,
      ]),
    ).toEqual([
      ['create', 'nurse-a', null, 5, null],
      ['update', 'dr-b', 5, 7.5, 'entered wrong strength'],
      ['delete', 'dr-b', 7.5, null, 'duplicate'],
    ]);
    expect(trail[1]?.newValue?.note).toBe('half tablet extra');
    expect(trail[2]?.changedAt).toBe('2026-01-12T12:00:05.000Z');
    db.close();
  });

  it('rolls back the edit and its audit row when recomputing the contexts fails', () => {
    const db = openTemp();
    const patient = addPatient(db);
    const repo = new DoseRepository(db);
    const [dose] = repo.addDoses(patient, [oral(T0)], 'nurse-a');
    const spans: [number, number][] = [];
    expect(() =>
      repo.updateDose(dose?.id as number, { timeMs: T0 + H }, 'dr-b', undefined, (_p, from, to) => {
        spans.push([from, to]);
        throw new Error('recompute failed');
      }),
    ).toThrow(/recompute failed/);
    expect(spans).toEqual([[T0 - 48 * H, T0 + 49 * H]]);
    const pumpRate: DoseInput = {
      timeMs: T0,
      route: 'itb_continuous',
      kind: 'rate_change',
      amount: 150,
      unit: 'ug_per_day',
      status: 'taken',
    };
    repo.addDoses(patient, [pumpRate], 'x', (_p, from, to) => spans.push([from, to]));
    expect(spans[1]).toEqual([T0 - 48 * H, Infinity]);
    expect(repo.lastRateChange(patient, T0 + 1000 * H)?.amount).toBe(150);
    expect(repo.lastRateChange(patient, T0 - 1)).toBeUndefined();
    expect(repo.getDose(dose?.id as number).timeMs).toBe(T0);
    expect(repo.auditTrail(patient, dose?.id).map((a) => a.action)).toEqual(['create']);
    db.close();
  });

  it('adds a batch all-or-nothing and refuses an unknown patient', () => {
    const db = openTemp();
    const patient = addPatient(db);
    const repo = new DoseRepository(db);
    expect(() => repo.addDoses(patient, [oral(T0), { ...oral(T0), unit: 'kg' as 'mg' }], 'import')).toThrow(
      /CHECK/,
    );
    expect(repo.listDoses(patient)).toEqual([]);
    expect(() => repo.addDoses(999, [oral(T0)], 'x')).toThrow(/patient 999 does not exist/);
    db.close();
  });

  it('keeps regimens, side effects, PK settings and session contexts', () => {
    const db = openTemp();
    const patient = addPatient(db);
    const session = addSession(db, patient, T0 + 2 * H);
    const repo = new DoseRepository(db);
    const reg = repo.addRegimen({
      patientId: patient,
      amountMg: 5,
      timesLocal: ['08:00', '14:00', '20:00'],
      startMs: T0 - 24 * H,
    });
    expect(repo.listRegimens(patient)).toEqual([reg]);
    repo.addSideEffect({ patientId: patient, timeMs: T0 + H, kind: 'drowsiness', severity: 'mild' });
    expect(repo.listSideEffects(patient).map((s) => s.kind)).toEqual(['drowsiness']);
    expect(repo.pkSettings(patient)).toBeUndefined();
    repo.setPkSettings({
      patientId: patient,
      ageGroup: 'child',
      halfLifeH: 4.5,
      tmaxH: 1,
      timeZone: 'Europe/Amsterdam',
      absoluteMode: false,
    });
    repo.setPkSettings({
      patientId: patient,
      ageGroup: 'child',
      halfLifeH: 5,
      tmaxH: 1,
      timeZone: 'Europe/Amsterdam',
      absoluteMode: true,
    });
    expect(repo.pkSettings(patient)).toMatchObject({ halfLifeH: 5, absoluteMode: true });
    expect(repo.pkSettings(patient)?.ke0PerH).toBeUndefined();
    repo.setPkSettings({
      patientId: patient,
      ageGroup: 'adult',
      halfLifeH: 3.5,
      tmaxH: 1,
      timeZone: 'UTC',
      absoluteMode: false,
      ke0PerH: 0.7,
    });
    expect(repo.pkSettings(patient)).toEqual({
      patientId: patient,
      ageGroup: 'adult',
      halfLifeH: 3.5,
      tmaxH: 1,
      timeZone: 'UTC',
      absoluteMode: false,
      ke0PerH: 0.7,
    });
    repo.writeSessionContext({
      sessionId: session,
      route: 'oral',
      phase: 'peak',
      hoursSinceDose: 2,
      cRel: 0.9,
      isEquilibrating: false,
      context: { a: 1 },
      computedAt: 'now',
    });
    expect(repo.sessionContext(session)).toEqual({
      sessionId: session,
      route: 'oral',
      phase: 'peak',
      hoursSinceDose: 2,
      cRel: 0.9,
      isEquilibrating: false,
      context: { a: 1 },
      computedAt: 'now',
    });
    expect(repo.sessionsOf(patient, T0, T0 + 3 * H)).toEqual([{ id: session, startTimeMs: T0 + 2 * H }]);
    expect(repo.findPatient('P-001').weightKg).toBe(20);
    db.close();
  });
});

describe('TrendRepository', () => {
  it('returns an indicator per muscle and side in time order with the dose phase, filtered on request', () => {
    const db = openTemp();
    const patient = addPatient(db);
    const trends = new TrendRepository(db);
    const doses = new DoseRepository(db);
    const s1 = addSession(db, patient, T0 + 2 * H, 'gastrocnemius', 'left');
    const s2 = addSession(db, patient, T0, 'gastrocnemius', 'left');
    const s3 = addSession(db, patient, T0 + H, 'gastrocnemius', 'right');
    const v = (sessionId: number, value: number, side: 'left' | 'right') => ({
      sessionId,
      indicatorId: 'rmsHV',
      value,
      unit: 'uV',
      n: 5,
      algorithmVersion: '1.0.0',
      muscle: 'gastrocnemius',
      side,
      protocol: 'passive-stretch',
    });
    trends.putIndicators([v(s1, 30, 'left'), v(s2, 40, 'left'), v(s3, 50, 'right')]);
    trends.putIndicators([v(s1, 31, 'left')]);
    doses.writeSessionContext({
      sessionId: s1,
      route: 'oral',
      phase: 'peak',
      hoursSinceDose: 1.5,
      cRel: 0.95,
      context: {},
      computedAt: 'x',
    });
    const all = trends.series(patient, 'rmsHV');
    expect(all.map((p) => [p.sessionId, p.side, p.value, p.phase])).toEqual([
      [s2, 'left', 40, 'unknown'],
      [s1, 'left', 31, 'peak'],
      [s3, 'right', 50, 'unknown'],
    ]);
    expect(trends.series(patient, 'rmsHV', { side: 'right' }).map((p) => p.sessionId)).toEqual([s3]);
    expect(trends.series(patient, 'rmsHV', { fromMs: T0 + H }).map((p) => p.sessionId)).toEqual([s1, s3]);
    expect(trends.indicatorIds(patient)).toEqual(['rmsHV']);
    db.close();
  });
});
