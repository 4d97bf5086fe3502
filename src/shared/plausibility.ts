/**
 * Plausibility warnings for what a clinician types (warnings, never blocks): each names the field, says in
 * words why the value is unusual, and cites where the usual range comes from (domain.md §6.1). Pure.
 */

/** One warning, shown at its field. */
export interface PlausibilityWarning {
  /** The form field the warning belongs to, e.g. `amount` or `birthYear`. */
  field: string;
  text: string;
  /** Where the usual value comes from. */
  source: string;
}

/** The usual limits the warnings compare against. */
export const USUAL_LIMITS = {
  /** Oral baclofen, one dose: 20 mg (the label's maximum of 20 mg four times a day). */
  oralSingleMaxMg: 20,
  /** Oral baclofen per day, adults: 80 mg (label). */
  oralDailyMaxMgAdult: 80,
  /** Oral baclofen per day, children with CP: about 2 mg/kg (He et al. 2014). */
  oralDailyMaxMgPerKgChild: 2,
  /** Intrathecal bolus: the label's screening doses go up to 100 µg. */
  itbBolusMaxUg: 100,
  /** Intrathecal pump rate, µg/day: 60 (children with CP, lowest reported) to 703 (label maintenance, cerebral origin). */
  itbRateMinUgPerDay: 60,
  itbRateMaxUgPerDay: 703,
  /** Adulthood for the daily maximum, years. */
  adultFromYears: 18,
} as const;

const SOURCES = {
  oralLabel: 'Baclofen tablets label: adults up to 80 mg a day, 20 mg four times a day',
  oralChild: 'He et al. 2014, J Pediatr 164:1181: about 2 mg/kg a day in children with cerebral palsy',
  itbBolus: 'Lioresal Intrathecal label: screening boluses of 50, 75 and 100 µg',
  itbRate:
    'Lioresal Intrathecal label: maintenance 90–703 µg/day (cerebral origin, adults); children with CP from 60 µg/day (van Rappard)',
} as const;

const mg = (x: number): string => `${Number(x.toFixed(2))} mg`;

/** A dose about to be logged. */
export interface DoseEntry {
  route: 'oral' | 'itb_bolus' | 'itb_continuous' | 'injection';
  amount: number;
  unit: 'mg' | 'ug' | 'ug_per_day';
  status: 'taken' | 'missed';
  timeMs: number;
}

/** What is known about the patient and the other doses of the 24 h ending at the new one. */
export interface DoseContextForChecks {
  birthYear: number | null;
  weightKg: number | null;
  /** Other oral doses, mg, taken in the 24 h up to the new dose's time (the new one excluded). */
  otherOralMgLast24h: number;
}

/** Age in whole years at `timeMs` from a birth year (the lower bound: the birthday may not have come yet). */
const ageYears = (birthYear: number, timeMs: number): number =>
  new Date(timeMs).getUTCFullYear() - birthYear - 1;

/**
 * Warnings for one dose: an oral dose above 20 mg; an oral daily total (24 h) above 80 mg for an adult, or
 * above 2 mg/kg for a child (by birth year; with the weight known); an intrathecal bolus above 100 µg; a pump
 * rate outside 60–703 µg/day. Missed doses are not checked.
 */
export function doseWarnings(dose: DoseEntry, context: DoseContextForChecks): PlausibilityWarning[] {
  const L = USUAL_LIMITS;
  const out: PlausibilityWarning[] = [];
  if (dose.status !== 'taken' || !Number.isFinite(dose.amount)) return out;
  if (dose.route === 'oral' && dose.unit === 'mg') {
    if (dose.amount > L.oralSingleMaxMg)
      out.push({
        field: 'amount',
        text: `${mg(dose.amount)} in one oral dose is above the usual maximum single dose of ${L.oralSingleMaxMg} mg. Check the amount and the unit.`,
        source: SOURCES.oralLabel,
      });
    const dailyMg = context.otherOralMgLast24h + dose.amount;
    const child = context.birthYear !== null && ageYears(context.birthYear, dose.timeMs) < L.adultFromYears;
    if (child && context.weightKg !== null && context.weightKg > 0) {
      const perKg = dailyMg / context.weightKg;
      if (perKg > L.oralDailyMaxMgPerKgChild)
        out.push({
          field: 'amount',
          text: `With this dose the child takes ${mg(dailyMg)} in 24 h, ${perKg.toFixed(2)} mg/kg: above the usual ${L.oralDailyMaxMgPerKgChild} mg/kg a day.`,
          source: SOURCES.oralChild,
        });
    } else if (!child && dailyMg > L.oralDailyMaxMgAdult) {
      out.push({
        field: 'amount',
        text: `With this dose the total in 24 h is ${mg(dailyMg)}: above the labelled maximum of ${L.oralDailyMaxMgAdult} mg a day for adults.`,
        source: SOURCES.oralLabel,
      });
    }
  }
  if (dose.route === 'itb_bolus' && dose.unit === 'ug' && dose.amount > L.itbBolusMaxUg)
    out.push({
      field: 'amount',
      text: `An intrathecal bolus of ${dose.amount} µg is above the usual ${L.itbBolusMaxUg} µg. Check the amount and the unit (µg, not mg).`,
      source: SOURCES.itbBolus,
    });
  if (
    dose.route === 'itb_continuous' &&
    dose.unit === 'ug_per_day' &&
    (dose.amount < L.itbRateMinUgPerDay || dose.amount > L.itbRateMaxUgPerDay)
  )
    out.push({
      field: 'amount',
      text: `A pump rate of ${dose.amount} µg/day is outside the usual ${L.itbRateMinUgPerDay}–${L.itbRateMaxUgPerDay} µg/day.`,
      source: SOURCES.itbRate,
    });
  return out;
}

/** Oral mg taken in the 24 h up to and including `timeMs`; `excludeId` leaves out the entry being edited. */
export function oralMgLast24h(
  doses: readonly {
    id?: number;
    timeMs: number;
    route: string;
    unit: string;
    amount: number;
    status: string;
  }[],
  timeMs: number,
  excludeId?: number,
): number {
  const dayMs = 86_400_000;
  return doses
    .filter(
      (d) =>
        d.route === 'oral' &&
        d.unit === 'mg' &&
        d.status === 'taken' &&
        d.timeMs > timeMs - dayMs &&
        d.timeMs <= timeMs &&
        (excludeId === undefined || d.id !== excludeId),
    )
    .reduce((sum, d) => sum + d.amount, 0);
}

/** A birth year after this year's (at `nowMs`) is in the future. */
export function birthYearWarnings(birthYear: number | null, nowMs: number): PlausibilityWarning[] {
  const thisYear = new Date(nowMs).getUTCFullYear();
  if (birthYear === null || !(birthYear > thisYear)) return [];
  return [
    {
      field: 'birthYear',
      text: `Birth year ${birthYear} is in the future (this year is ${thisYear}).`,
      source: "Today's date",
    },
  ];
}
