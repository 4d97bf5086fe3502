/**
 * Dose-relative phase labels, domain spec §6.3. Times are hours.
 */

export type OralPhase = 'absorption' | 'peak' | 'post-peak' | 'trough' | 'unknown';
export type ItbBolusPhase = 'baseline' | 'early' | 'peak' | 'late' | 'washout';
export type DosePhase = OralPhase | ItbBolusPhase | 'continuous' | 'none';

/** Without a dose in the last 24 h the oral phase is `unknown`. */
export const ORAL_UNKNOWN_AFTER_H = 24;
/** Within this many hours before a scheduled dose the phase is `trough`. */
export const PRE_DOSE_TROUGH_H = 1;

/**
 * Oral phase from hours since the last dose and (if known) hours to the next scheduled dose. `trough` takes
 * precedence: t ≥ 4 h, or within 60 min before a scheduled dose, wins over any other rule.
 */
export function oralPhase(hoursSinceDose: number | undefined, hoursToNextDose?: number): OralPhase {
  if (hoursSinceDose === undefined || hoursSinceDose < 0 || hoursSinceDose > ORAL_UNKNOWN_AFTER_H)
    return 'unknown';
  if (hoursSinceDose >= 4) return 'trough';
  if (hoursToNextDose !== undefined && hoursToNextDose >= 0 && hoursToNextDose <= PRE_DOSE_TROUGH_H)
    return 'trough';
  if (hoursSinceDose < 0.75) return 'absorption';
  if (hoursSinceDose <= 2.5) return 'peak';
  return 'post-peak';
}

/**
 * ITB bolus phase from hours since the bolus (negative or undefined: before it). The gap 0–0.5 h, before
 * onset, is still `baseline`: no effect is expected yet.
 */
export function itbBolusPhase(hoursSinceBolus: number | undefined): ItbBolusPhase {
  if (hoursSinceBolus === undefined || hoursSinceBolus < 0.5) return 'baseline';
  if (hoursSinceBolus < 2) return 'early';
  if (hoursSinceBolus <= 6) return 'peak';
  if (hoursSinceBolus <= 8.5) return 'late';
  return 'washout';
}

/** Recommended ITB screening test times relative to the bolus (h). */
export const ITB_BOLUS_TEST_TIMES_H: readonly number[] = [-0.5, 2, 4, 6, 8];

/** A rate change less than this long ago leaves the continuous infusion `equilibrating`. */
export const ITB_EQUILIBRATION_H = 48;
