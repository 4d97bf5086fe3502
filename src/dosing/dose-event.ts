/**
 * The dose log as the model sees it (domain spec §8.3, extended with pump events and injections).
 * Instants are ms since the Unix epoch (UTC); amounts are in `unit`.
 */

/** How the drug is given. `injection` is logged and shown but has no PK model. */
export type DoseRoute = 'oral' | 'itb_bolus' | 'itb_continuous' | 'injection';
export const doseRoutes: readonly DoseRoute[] = ['oral', 'itb_bolus', 'itb_continuous', 'injection'];

/** What the entry records. `refill` and `alarm` are pump annotations without an amount of drug given. */
export type DoseKind = 'scheduled' | 'extra' | 'rate_change' | 'flex_bolus' | 'refill' | 'alarm';
export const doseKinds: readonly DoseKind[] = [
  'scheduled',
  'extra',
  'rate_change',
  'flex_bolus',
  'refill',
  'alarm',
];

/** mg for oral, µg for ITB boluses, µg/day for a continuous pump rate. */
export type DoseUnit = 'mg' | 'ug' | 'ug_per_day';
export const doseUnits: readonly DoseUnit[] = ['mg', 'ug', 'ug_per_day'];

/** Whether an expected (regimen) dose was taken; logged doses that were given are `taken`. */
export type DoseStatus = 'taken' | 'missed';

export interface DoseEvent {
  id?: number;
  timeMs: number;
  route: DoseRoute;
  kind: DoseKind;
  amount: number;
  unit: DoseUnit;
  status: DoseStatus;
  note?: string;
}

/**
 * Checks the unit and amount fit the route and kind; returns the problems as sentences (empty when valid).
 * Oral doses are in mg, ITB boluses and flex boluses in µg, rate changes in µg/day; refills and alarms may
 * have amount 0.
 */
export function doseEventProblems(
  e: Pick<DoseEvent, 'route' | 'kind' | 'amount' | 'unit' | 'timeMs'>,
): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(e.timeMs)) problems.push('time is not a valid instant');
  if (!Number.isFinite(e.amount) || e.amount < 0) problems.push(`amount ${e.amount} must be a number ≥ 0`);
  const isPumpNote = e.kind === 'refill' || e.kind === 'alarm';
  if (!isPumpNote && e.amount === 0) problems.push('amount must be above 0 for a dose');
  if (isPumpNote && e.route !== 'itb_continuous')
    problems.push(`${e.kind} applies to the itb_continuous route only`);
  if (e.kind === 'rate_change' && (e.route !== 'itb_continuous' || e.unit !== 'ug_per_day'))
    problems.push('rate_change needs route itb_continuous and unit ug_per_day');
  if (e.route === 'oral' && e.unit !== 'mg') problems.push('oral doses are in mg');
  if (e.route === 'itb_bolus' && e.unit !== 'ug') problems.push('ITB boluses are in ug');
  if (e.kind === 'flex_bolus' && e.unit !== 'ug') problems.push('flex boluses are in ug');
  if (e.route === 'itb_continuous' && e.kind !== 'flex_bolus' && !isPumpNote && e.kind !== 'rate_change')
    problems.push('itb_continuous entries are rate_change, flex_bolus, refill or alarm');
  if ((e.kind === 'rate_change' || e.kind === 'flex_bolus') && e.route === 'oral')
    problems.push(`${e.kind} does not apply to oral doses`);
  return problems;
}

/** Doses the body actually received, in time order. */
export const givenDoses = (events: readonly DoseEvent[]): DoseEvent[] =>
  events.filter((e) => e.status === 'taken').sort((a, b) => a.timeMs - b.timeMs);
