/**
 * Oral regimens (e.g. 5 mg three times a day at 08:00, 14:00, 20:00 local time) and their expansion into
 * expected doses, matched against the log as taken or missed.
 */
import type { DoseEvent } from './dose-event.js';
import { addDays, instantOfWallTime, wallTimeOf } from './time-zone.js';

/** A prescription in force from `startMs` until `endMs` (exclusive; open-ended if absent). */
export interface Regimen {
  id?: number;
  amountMg: number;
  /** Local wall-clock times "HH:MM" in the patient's zone, ascending. */
  timesLocal: string[];
  startMs: number;
  endMs?: number;
  note?: string;
}

/** Default clock times for a frequency abbreviation. */
export const frequencyTimes: Readonly<Record<'QD' | 'BID' | 'TID' | 'QID', readonly string[]>> = {
  QD: ['08:00'],
  BID: ['08:00', '20:00'],
  TID: ['08:00', '14:00', '20:00'],
  QID: ['08:00', '12:00', '16:00', '20:00'],
};

/**
 * Parses "5 mg TID", "2.5mg bid" or "10 mg at 07:00, 15:00, 23:00" into an amount and local times.
 * Throws an error naming the text when it is not one of these forms.
 */
export function parseRegimenText(text: string): { amountMg: number; timesLocal: string[] } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*mg\s+(?:(qd|od|bid|tid|qid)|at\s+(.+))\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a regimen like "5 mg TID" or "5 mg at 08:00, 14:00, 20:00"`);
  const amountMg = Number(m[1]);
  if (m[2]) {
    const key = m[2].toUpperCase() === 'OD' ? 'QD' : (m[2].toUpperCase() as keyof typeof frequencyTimes);
    return { amountMg, timesLocal: [...frequencyTimes[key]] };
  }
  const timesLocal = (m[3] ?? '').split(/[,\s]+/).filter((s) => s.length > 0);
  for (const t of timesLocal) parseClock(t);
  return { amountMg, timesLocal: sortClocks(timesLocal) };
}

/** "HH:MM" → minutes after local midnight; throws on anything else. */
export function parseClock(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 23 || min > 59) throw new Error(`"${text}" is not a clock time HH:MM`);
  return h * 60 + min;
}

const sortClocks = (times: string[]): string[] => [...times].sort((a, b) => parseClock(a) - parseClock(b));

/** Nominal daily amount of a regimen (mg/day). */
export const regimenDailyMg = (r: Regimen): number => r.amountMg * r.timesLocal.length;

/** The regimen in force at `timeMs` (latest start wins), if any. */
export function activeRegimen(regimens: readonly Regimen[], timeMs: number): Regimen | undefined {
  let best: Regimen | undefined;
  for (const r of regimens) {
    if (r.startMs > timeMs || (r.endMs !== undefined && timeMs >= r.endMs)) continue;
    if (!best || r.startMs > best.startMs) best = r;
  }
  return best;
}

/** One dose a regimen expects. */
export interface ExpectedDose {
  timeMs: number;
  amountMg: number;
  regimenId?: number;
}

/**
 * Expected doses of `regimen` with instants in [fromMs, toMs), in time order. Each local clock time is
 * converted per calendar day in `timeZone`, so 08:00 stays 08:00 local across a DST change (the interval
 * from 20:00 to the next 08:00 is then 11 or 13 h of real time).
 */
export function expandRegimen(
  regimen: Regimen,
  fromMs: number,
  toMs: number,
  timeZone: string,
): ExpectedDose[] {
  const lo = Math.max(fromMs, regimen.startMs);
  const hi = Math.min(toMs, regimen.endMs ?? Infinity);
  if (!(hi > lo)) return [];
  const out: ExpectedDose[] = [];
  let day = wallTimeOf(lo - 86_400_000, timeZone);
  for (let guard = 0; guard < 100_000; guard++) {
    const date = { year: day.year, month: day.month, day: day.day };
    let past = false;
    for (const clock of regimen.timesLocal) {
      const minutes = parseClock(clock);
      const t = instantOfWallTime(
        { ...date, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 },
        timeZone,
      );
      if (t >= hi) past = true;
      else if (t >= lo)
        out.push(
          regimen.id === undefined
            ? { timeMs: t, amountMg: regimen.amountMg }
            : { timeMs: t, amountMg: regimen.amountMg, regimenId: regimen.id },
        );
    }
    if (past) break;
    const next = addDays(date, 1);
    day = { ...next, hour: 0, minute: 0, second: 0 };
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Expected doses of all regimens in [fromMs, toMs), in time order. A regimen is in force from its start until
 * its end or the start of the next regimen (the later prescription supersedes), matching
 * {@link activeRegimen}, so a titration step never doubles the expected doses.
 */
export function expandRegimens(
  regimens: readonly Regimen[],
  fromMs: number,
  toMs: number,
  timeZone: string,
): ExpectedDose[] {
  const sorted = [...regimens].sort((a, b) => a.startMs - b.startMs);
  return sorted
    .flatMap((r, i) => {
      const nextStart = sorted[i + 1]?.startMs;
      const endMs = Math.min(r.endMs ?? Infinity, nextStart ?? Infinity);
      return expandRegimen(Number.isFinite(endMs) ? { ...r, endMs } : r, fromMs, toMs, timeZone);
    })
    .sort((a, b) => a.timeMs - b.timeMs);
}

/** An expected dose with what the log says about it. */
export interface ExpectedDoseStatus extends ExpectedDose {
  /** `pending` when the expected time is after `nowMs` and no dose was logged for it. */
  status: 'taken' | 'missed' | 'pending';
  /** The log entry that satisfied (taken) or recorded (missed) it. */
  doseId?: number;
}

/**
 * Matches expected doses with logged oral doses: a logged `taken` dose within ±`toleranceH` (default 2 h)
 * satisfies the nearest unmatched expected dose; an explicit `missed` entry within the tolerance marks it
 * missed; otherwise it is `missed` if its time has passed `nowMs` by more than the tolerance, else `pending`.
 * A logged dose satisfies at most one expected dose.
 */
export function matchExpectedDoses(
  expected: readonly ExpectedDose[],
  log: readonly DoseEvent[],
  nowMs: number,
  toleranceH = 2,
): ExpectedDoseStatus[] {
  const tolMs = toleranceH * 3_600_000;
  const oral = log
    .filter((e) => e.route === 'oral' && e.kind !== 'extra')
    .sort((a, b) => a.timeMs - b.timeMs);
  const used = new Set<number>();
  return expected.map((x) => {
    let bestIndex = -1;
    let bestDistance = Infinity;
    oral.forEach((e, i) => {
      const d = Math.abs(e.timeMs - x.timeMs);
      if (!used.has(i) && d <= tolMs && d < bestDistance) {
        bestDistance = d;
        bestIndex = i;
      }
    });
    const hit = oral[bestIndex];
    if (hit) {
      used.add(bestIndex);
      const base = { ...x, status: hit.status } as ExpectedDoseStatus;
      if (hit.id !== undefined) base.doseId = hit.id;
      return base;
    }
    return { ...x, status: x.timeMs + tolMs < nowMs ? 'missed' : 'pending' };
  });
}
