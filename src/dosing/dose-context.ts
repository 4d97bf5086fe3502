/**
 * The dose context of an instant (a session start): where the patient is in the dosing cycle. Domain spec
 * §6.2–§6.3 and §8.1. Pure: callers pass the dose log, regimens, PK settings and weight.
 */
import type { DoseEvent, DoseRoute } from './dose-event.js';
import { givenDoses } from './dose-event.js';
import type { DosePhase } from './phases.js';
import { ITB_EQUILIBRATION_H, ORAL_UNKNOWN_AFTER_H, itbBolusPhase, oralPhase } from './phases.js';
import type { BandOptions, ModelDose, PkParams, RateConstants } from './pk-model.js';
import {
  SUPERPOSITION_WINDOW_H,
  absoluteScaleNgPerMl,
  bandedConcentration,
  defaultBandOptions,
  drawRateConstants,
  rateConstants,
  regimenSteadyStateMax,
  superposedConcentration,
} from './pk-model.js';
import type { Regimen } from './regimen.js';
import { activeRegimen, expandRegimens, parseClock, regimenDailyMg } from './regimen.js';

const MS_PER_H = 3_600_000;

export interface DoseContextInput {
  timeMs: number;
  /** The whole log (or at least the 48 h before and 24 h after `timeMs`). */
  log: readonly DoseEvent[];
  regimens: readonly Regimen[];
  pk: PkParams;
  timeZone: string;
  weightKg?: number;
  /** Compute the Monte-Carlo band (500 draws by default). */
  band?: boolean | Partial<BandOptions>;
  /** Also give C in ng/mL (needs `weightKg`). */
  absolute?: boolean;
}

/** §8.3 DoseContext with the covariates of §6.3. Hours are real elapsed time, DST-safe. */
export interface DoseContext {
  route: DoseRoute | 'none';
  phase: DosePhase;
  hoursSinceDose?: number;
  hoursToNextDose?: number;
  lastDoseMg?: number;
  /** C(t)/C_ss,max of the nominal regimen (typical parameters). */
  cRel?: number;
  cRelP10?: number;
  cRelP90?: number;
  /** Absolute concentration (absolute mode only). */
  cNgPerMl?: number;
  dailyDoseMg?: number;
  dailyDoseMgPerKg?: number;
  /** `regimen`: nominal regimen total; `log-24h`: doses taken in the 24 h before. */
  dailyDoseSource?: 'regimen' | 'log-24h';
  itbDailyUg?: number;
  hoursSinceRateChange?: number;
  isEquilibrating?: boolean;
  hoursSinceBolus?: number;
  lastBolusUg?: number;
  /** Pump refills and alarms in the 48 h before, as annotations. */
  pumpEvents: { timeMs: number; kind: 'refill' | 'alarm'; note?: string }[];
}

/**
 * Reference regimen for C_rel: the active regimen, else the last oral dose amount every 8 h. Returns its
 * steady-state maximum in amount-per-V units.
 */
function nominalCssMax(regimen: Regimen | undefined, lastAmountMg: number, k: RateConstants): number {
  if (regimen)
    return regimenSteadyStateMax(
      regimen.timesLocal.map((t) => ({ offsetH: parseClock(t) / 60, amount: regimen.amountMg })),
      k,
    );
  return regimenSteadyStateMax(
    [0, 8, 16].map((offsetH) => ({ offsetH, amount: lastAmountMg })),
    k,
  );
}

/**
 * Computes the dose context at `timeMs`. Route: oral if an oral dose was taken in the 24 h before; else
 * `itb_bolus` if a bolus (screening or flex) was given in the 24 h before or is logged in the 2 h after
 * (phase `baseline`); else `itb_continuous` when a pump rate is in force; else `none` with phase `unknown`.
 * ITB covariates are filled whenever a rate is in force. Missed doses never enter the model.
 */
export function computeDoseContext(input: DoseContextInput): DoseContext {
  const { timeMs, timeZone } = input;
  const given = givenDoses(input.log);
  const oral = given.filter((e) => e.route === 'oral');
  const oralBefore = oral.filter((e) => e.timeMs <= timeMs);
  const lastOral = oralBefore.at(-1);
  const regimen = activeRegimen(input.regimens, timeMs);

  const ctx: DoseContext = { route: 'none', phase: 'unknown', pumpEvents: [] };

  const nextCandidates: number[] = oral.filter((e) => e.timeMs > timeMs).map((e) => e.timeMs);
  const nextExpected = expandRegimens(input.regimens, timeMs + 1, timeMs + 48 * MS_PER_H, timeZone)[0];
  if (nextExpected) nextCandidates.push(nextExpected.timeMs);
  const nextDoseMs = nextCandidates.length > 0 ? Math.min(...nextCandidates) : undefined;

  if (lastOral && (timeMs - lastOral.timeMs) / MS_PER_H <= ORAL_UNKNOWN_AFTER_H) {
    ctx.route = 'oral';
    ctx.hoursSinceDose = (timeMs - lastOral.timeMs) / MS_PER_H;
    ctx.lastDoseMg = lastOral.amount;
    if (nextDoseMs !== undefined) ctx.hoursToNextDose = (nextDoseMs - timeMs) / MS_PER_H;
    ctx.phase = oralPhase(ctx.hoursSinceDose, ctx.hoursToNextDose);

    const k = rateConstants(input.pk);
    const model: ModelDose[] = oralBefore
      .filter((e) => timeMs - e.timeMs <= SUPERPOSITION_WINDOW_H * MS_PER_H)
      .map((e) => ({ timeMs: e.timeMs, amount: e.amount }));
    const cssMax = nominalCssMax(regimen, lastOral.amount, k);
    if (input.band) {
      const options = { ...defaultBandOptions, ...(input.band === true ? {} : input.band) };
      const b = bandedConcentration(model, timeMs, k, drawRateConstants(k, options), cssMax, options);
      ctx.cRel = b.value;
      ctx.cRelP10 = b.p10;
      ctx.cRelP90 = b.p90;
    } else ctx.cRel = superposedConcentration(model, timeMs, k) / cssMax;
    if (input.absolute && input.weightKg !== undefined)
      ctx.cNgPerMl =
        superposedConcentration(model, timeMs, k) * absoluteScaleNgPerMl(input.weightKg, input.pk);
  }

  if (regimen) {
    ctx.dailyDoseMg = regimenDailyMg(regimen);
    ctx.dailyDoseSource = 'regimen';
  } else if (oralBefore.some((e) => timeMs - e.timeMs <= 24 * MS_PER_H)) {
    ctx.dailyDoseMg = oralBefore
      .filter((e) => timeMs - e.timeMs <= 24 * MS_PER_H)
      .reduce((s, e) => s + e.amount, 0);
    ctx.dailyDoseSource = 'log-24h';
  }
  if (ctx.dailyDoseMg !== undefined && input.weightKg !== undefined && input.weightKg > 0)
    ctx.dailyDoseMgPerKg = ctx.dailyDoseMg / input.weightKg;

  const rateChange = given.filter((e) => e.kind === 'rate_change' && e.timeMs <= timeMs).at(-1);
  if (rateChange && rateChange.amount > 0) {
    ctx.itbDailyUg = rateChange.amount;
    ctx.hoursSinceRateChange = (timeMs - rateChange.timeMs) / MS_PER_H;
    ctx.isEquilibrating = ctx.hoursSinceRateChange < ITB_EQUILIBRATION_H;
  }
  const boluses = given.filter((e) => e.route === 'itb_bolus' || e.kind === 'flex_bolus');
  const lastBolus = boluses.filter((e) => e.timeMs <= timeMs).at(-1);
  const upcomingBolus = boluses.find((e) => e.timeMs > timeMs && e.timeMs - timeMs <= 2 * MS_PER_H);
  const recentBolus = lastBolus && timeMs - lastBolus.timeMs <= 24 * MS_PER_H ? lastBolus : undefined;
  const bolus =
    upcomingBolus && (!recentBolus || timeMs - recentBolus.timeMs > 8.5 * MS_PER_H)
      ? upcomingBolus
      : recentBolus;
  if (bolus) {
    ctx.hoursSinceBolus = (timeMs - bolus.timeMs) / MS_PER_H;
    ctx.lastBolusUg = bolus.amount;
  }
  if (ctx.route === 'none') {
    if (bolus) {
      ctx.route = 'itb_bolus';
      ctx.phase = itbBolusPhase(ctx.hoursSinceBolus);
    } else if (ctx.itbDailyUg !== undefined) {
      ctx.route = 'itb_continuous';
      ctx.phase = 'continuous';
    }
  }
  for (const e of input.log)
    if (
      (e.kind === 'refill' || e.kind === 'alarm') &&
      e.timeMs <= timeMs &&
      timeMs - e.timeMs <= SUPERPOSITION_WINDOW_H * MS_PER_H
    )
      ctx.pumpEvents.push(
        e.note === undefined
          ? { timeMs: e.timeMs, kind: e.kind }
          : { timeMs: e.timeMs, kind: e.kind, note: e.note },
      );
  ctx.pumpEvents.sort((a, b) => a.timeMs - b.timeMs);
  return ctx;
}

/** One point of a predicted C_rel curve. */
export interface CRelPoint {
  timeMs: number;
  cRel: number;
  p10: number;
  p90: number;
}

/**
 * Predicted C_rel(t) with its Monte-Carlo band every `stepMinutes` over [fromMs, toMs] (§8.2 view 4: the
 * within-day plot; also what a demo device can follow). Normalised like {@link computeDoseContext}: by the
 * C_ss,max of the regimen in force at `fromMs` (else the last oral dose before `toMs` every 8 h). Empty
 * without oral doses. The draws are made once, so the band is smooth in time.
 */
export function cRelCurve(
  input: Omit<DoseContextInput, 'timeMs' | 'band' | 'absolute' | 'weightKg'> & {
    fromMs: number;
    toMs: number;
    stepMinutes: number;
    band?: Partial<BandOptions>;
  },
): CRelPoint[] {
  if (!(input.stepMinutes > 0)) throw new Error(`stepMinutes ${input.stepMinutes} must be above 0`);
  if (!(input.toMs >= input.fromMs)) throw new Error('toMs must not be before fromMs');
  const oral = givenDoses(input.log).filter((e) => e.route === 'oral');
  const last = oral.filter((e) => e.timeMs <= input.toMs).at(-1) ?? oral[0];
  if (!last) return [];
  const k = rateConstants(input.pk);
  const options = { ...defaultBandOptions, ...input.band };
  const draws = drawRateConstants(k, options);
  const cssMax = nominalCssMax(activeRegimen(input.regimens, input.fromMs), last.amount, k);
  const model: ModelDose[] = oral.map((e) => ({ timeMs: e.timeMs, amount: e.amount }));
  const out: CRelPoint[] = [];
  for (let t = input.fromMs; t <= input.toMs; t += input.stepMinutes * 60_000) {
    const b = bandedConcentration(model, t, k, draws, cssMax, options);
    out.push({ timeMs: t, cRel: b.value, p10: b.p10, p90: b.p90 });
  }
  return out;
}
