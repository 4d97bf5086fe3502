/**
 * Withdrawal-risk flags for review: abrupt reductions of baclofen and missed doses. The texts are
 * informational and refer to clinical review; they never advise a dose.
 */
import type { DoseEvent } from './dose-event.js';
import type { ExpectedDoseStatus } from './regimen.js';
import { formatIsoWithOffset, startOfLocalDay } from './time-zone.js';

export type WithdrawalFlagKind =
  'missed-dose' | 'consecutive-missed-doses' | 'oral-reduction' | 'itb-rate-reduction' | 'pump-alarm';

export interface WithdrawalFlag {
  kind: WithdrawalFlagKind;
  timeMs: number;
  text: string;
}

/** Thresholds [P]: a fall of the daily oral total or of the pump rate by at least this fraction is abrupt. */
export const ABRUPT_REDUCTION_FRACTION = 0.3;

const REVIEW =
  'Abrupt reduction or interruption of baclofen is associated with withdrawal reactions; for review by the treating team.';

/**
 * Flags, in time order: every missed expected dose (one flag per run of consecutive missed doses, stronger
 * wording from two on), a fall of the local-calendar-day oral total by ≥ 30 % from one day with doses to the
 * next, an ITB rate change lowering the rate by ≥ 30 %, and pump alarms.
 */
export function withdrawalFlags(
  log: readonly DoseEvent[],
  expected: readonly ExpectedDoseStatus[],
  timeZone: string,
): WithdrawalFlag[] {
  const flags: WithdrawalFlag[] = [];
  const at = (t: number): string => formatIsoWithOffset(t, timeZone);

  let run: ExpectedDoseStatus[] = [];
  const closeRun = (): void => {
    const first = run[0];
    if (!first) return;
    flags.push(
      run.length === 1
        ? {
            kind: 'missed-dose',
            timeMs: first.timeMs,
            text: `Expected dose of ${first.amountMg} mg at ${at(first.timeMs)} is recorded as missed. ${REVIEW}`,
          }
        : {
            kind: 'consecutive-missed-doses',
            timeMs: first.timeMs,
            text: `${run.length} consecutive expected doses missed from ${at(first.timeMs)}. ${REVIEW}`,
          },
    );
    run = [];
  };
  for (const x of [...expected].sort((a, b) => a.timeMs - b.timeMs)) {
    if (x.status === 'missed') run.push(x);
    else if (x.status === 'taken') closeRun();
  }
  closeRun();

  const byDay = new Map<number, number>();
  for (const e of log)
    if (e.route === 'oral' && e.status === 'taken') {
      const day = startOfLocalDay(e.timeMs, timeZone);
      byDay.set(day, (byDay.get(day) ?? 0) + e.amount);
    }
  const days = [...byDay.entries()].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < days.length; i++) {
    const [, prev] = days[i - 1] as [number, number];
    const [day, cur] = days[i] as [number, number];
    if (cur <= prev * (1 - ABRUPT_REDUCTION_FRACTION))
      flags.push({
        kind: 'oral-reduction',
        timeMs: day,
        text: `Daily oral baclofen fell from ${prev} mg to ${cur} mg (${Math.round((cur / prev - 1) * 100)} %) on the day starting ${at(day)}. ${REVIEW}`,
      });
  }

  let rate: number | undefined;
  for (const e of [...log].sort((a, b) => a.timeMs - b.timeMs)) {
    if (e.route !== 'itb_continuous' || e.status !== 'taken') continue;
    if (e.kind === 'rate_change') {
      if (rate !== undefined && rate > 0 && e.amount <= rate * (1 - ABRUPT_REDUCTION_FRACTION))
        flags.push({
          kind: 'itb-rate-reduction',
          timeMs: e.timeMs,
          text: `Intrathecal rate lowered from ${rate} to ${e.amount} µg/day at ${at(e.timeMs)}. ${REVIEW}`,
        });
      rate = e.amount;
    } else if (e.kind === 'alarm')
      flags.push({
        kind: 'pump-alarm',
        timeMs: e.timeMs,
        text: `Pump alarm at ${at(e.timeMs)}${e.note ? ` (${e.note})` : ''}. An interrupted infusion can cause withdrawal; for review by the treating team.`,
      });
  }
  return flags.sort((a, b) => a.timeMs - b.timeMs);
}
