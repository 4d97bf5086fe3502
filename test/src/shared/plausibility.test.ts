import { describe, expect, it } from 'vitest';
import {
  birthYearWarnings,
  doseWarnings,
  oralMgLast24h,
  type DoseEntry,
} from '../../../src/shared/plausibility.js';

const NOW = Date.UTC(2026, 11, 5, 9, 0);
const oral = (amount: number): DoseEntry => ({
  route: 'oral',
  amount,
  unit: 'mg',
  status: 'taken',
  timeMs: NOW,
});
const adult = { birthYear: 1980, weightKg: 70, otherOralMgLast24h: 0 };
const child = { birthYear: 2016, weightKg: 24, otherOralMgLast24h: 0 };

describe('dose plausibility (warnings, never blocks)', () => {
  it('warns about 5000 mg of oral baclofen at once, with its reason and source, at the amount field', () => {
    const w = doseWarnings(oral(5000), adult);
    expect(w[0]).toEqual({
      field: 'amount',
      text: '5000 mg in one oral dose is above the usual maximum single dose of 20 mg. Check the amount and the unit.',
      source: 'Baclofen tablets label: adults up to 80 mg a day, 20 mg four times a day',
    });
    expect(w[1]?.text).toContain('above the labelled maximum of 80 mg a day for adults');
  });

  it('says nothing about 20 mg four times a day for an adult, and warns at the fifth', () => {
    expect(doseWarnings(oral(20), { ...adult, otherOralMgLast24h: 60 })).toEqual([]);
    expect(doseWarnings(oral(20), { ...adult, otherOralMgLast24h: 80 })[0]?.text).toBe(
      'With this dose the total in 24 h is 100 mg: above the labelled maximum of 80 mg a day for adults.',
    );
  });

  it('judges a child per kg: 48 mg a day is 2 mg/kg at 24 kg; 10 mg more is too much', () => {
    expect(doseWarnings(oral(12), { ...child, otherOralMgLast24h: 36 })).toEqual([]);
    const w = doseWarnings(oral(10), { ...child, otherOralMgLast24h: 48 });
    expect(w).toHaveLength(1);
    expect(w[0]?.text).toContain('58 mg in 24 h, 2.42 mg/kg: above the usual 2 mg/kg a day');
    expect(w[0]?.source).toContain('He et al. 2014');
  });

  it('warns about intrathecal boluses above 100 µg and pump rates outside 60–703 µg/day', () => {
    const itb = (route: DoseEntry['route'], unit: DoseEntry['unit'], amount: number): DoseEntry => ({
      route,
      unit,
      amount,
      status: 'taken',
      timeMs: NOW,
    });
    expect(doseWarnings(itb('itb_bolus', 'ug', 50), adult)).toEqual([]);
    expect(doseWarnings(itb('itb_bolus', 'ug', 500), adult)[0]?.text).toContain('above the usual 100 µg');
    expect(doseWarnings(itb('itb_continuous', 'ug_per_day', 150), child)).toEqual([]);
    expect(doseWarnings(itb('itb_continuous', 'ug_per_day', 20), child)[0]?.text).toContain(
      'outside the usual 60–703 µg/day',
    );
    expect(doseWarnings(itb('itb_continuous', 'ug_per_day', 5000), child)).toHaveLength(1);
  });

  it('does not check a missed dose', () => {
    expect(doseWarnings({ ...oral(5000), status: 'missed' }, adult)).toEqual([]);
  });

  it('sums the oral doses taken in the 24 h before, leaving out missed ones and the entry edited', () => {
    const h = 3_600_000;
    const doses = [
      { id: 1, timeMs: NOW - 25 * h, route: 'oral', unit: 'mg', amount: 20, status: 'taken' },
      { id: 2, timeMs: NOW - 8 * h, route: 'oral', unit: 'mg', amount: 10, status: 'taken' },
      { id: 3, timeMs: NOW - 4 * h, route: 'oral', unit: 'mg', amount: 10, status: 'missed' },
      { id: 4, timeMs: NOW - 2 * h, route: 'itb_bolus', unit: 'ug', amount: 50, status: 'taken' },
      { id: 5, timeMs: NOW - 1 * h, route: 'oral', unit: 'mg', amount: 5, status: 'taken' },
    ];
    expect(oralMgLast24h(doses, NOW)).toBe(15);
    expect(oralMgLast24h(doses, NOW, 5)).toBe(10);
  });
});

describe('birth year plausibility', () => {
  it('warns about a birth year in the future, not about this year or earlier', () => {
    expect(birthYearWarnings(2099, NOW)).toEqual([
      {
        field: 'birthYear',
        text: 'Birth year 2099 is in the future (this year is 2026).',
        source: "Today's date",
      },
    ]);
    expect(birthYearWarnings(2026, NOW)).toEqual([]);
    expect(birthYearWarnings(null, NOW)).toEqual([]);
  });
});
