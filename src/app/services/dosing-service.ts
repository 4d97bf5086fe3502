import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api-contract.js';
import type { dosingMethods } from '../../shared/api/dosing-api.js';
import { ApiFailure } from '../../shared/result.js';
import type { DoseContext } from '../../dosing/dose-context.js';
import { computeDoseContext, cRelCurve } from '../../dosing/dose-context.js';
import type { DoseEvent } from '../../dosing/dose-event.js';
import { windowEvidence } from '../../dosing/evidence.js';
import { measurementError, MIN_REPEAT_DOF } from '../../dosing/measurement-error.js';
import { doseEventProblems } from '../../dosing/dose-event.js';
import type { AgeGroup, PkParams } from '../../dosing/pk-model.js';
import { defaultPkParams, validatePkParams } from '../../dosing/pk-model.js';
import type { Regimen } from '../../dosing/regimen.js';
import { expandRegimens, matchExpectedDoses, parseRegimenText } from '../../dosing/regimen.js';
import { formatIsoWithOffset, isoFormatter, isValidTimeZone } from '../../dosing/time-zone.js';
import type { ComparableKey, DoseCovariate } from '../../dosing/trend-series.js';
import { comparableGroups, doseResponse, trendLines } from '../../dosing/trend-series.js';
import type { PhaseBand } from '../../dosing/trend-statistics.js';
import {
  mdc95Between,
  phaseBaselines,
  preDosePostDose,
  samePhaseAcrossVisits,
  therapyWindow,
} from '../../dosing/trend-statistics.js';
import { withdrawalFlags } from '../../dosing/withdrawal.js';
import {
  doseLogTable,
  indicatorTable,
  sessionSummaryTable,
  trendTable,
} from '../../io/reports/report-tables.js';
import { writeCsvTable } from '../../io/reports/report-writer.node.js';
import { safeName, writeSessionReport } from '../../io/reports/session-report.node.js';
import type { Db } from '../../storage/database.node.js';
import type { DoseInput, DoseRow, PatientFacts } from '../../storage/dose-repository.node.js';
import { DoseRepository, NotFoundError } from '../../storage/dose-repository.node.js';
import { ReportRepository } from '../../storage/report-repository.node.js';
import type { TrendFilter, TrendPoint } from '../../storage/trend-repository.node.js';
import { TrendRepository } from '../../storage/trend-repository.node.js';
import type { AppContext } from '../app-context.js';

const H = 3_600_000;
const DAY = 24 * H;
/** How far before the first session of a trend its doses are listed: the 24 h the dose context reads. */
const DOSE_CONTEXT_LOOKBACK_MS = DAY;
/** Sessions within this many days of a group's first session form its baseline [P]. */
export const BASELINE_SPAN_DAYS = 14;

/** §6.2: shown whenever absolute concentrations are enabled. */
export const ABSOLUTE_MODE_CAVEAT =
  'Absolute concentrations come from a one-compartment model with the terminal half-life and Vss/F (1.16 L/kg), which over-predicts exposure compared with CL/F; using ke = 0.235 1/h (t½ 2.95 h) instead brackets reality. Population variability is large; treat values as approximate.';

/** PK settings in force for a patient: stored, or §6.2 defaults for the age group in the machine's zone. */
export interface EffectivePkSettings {
  ageGroup: AgeGroup;
  halfLifeH: number;
  tmaxH: number;
  timeZone: string;
  absoluteMode: boolean;
  ke0PerH?: number;
  isDefault: boolean;
  warnings: string[];
}

const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

function mapNotFound<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NotFoundError) throw new ApiFailure('not-found', err.message, err.where);
    throw err;
  }
}

/**
 * The dosing domain over one database: dose log with audit and context recomputation, regimens, side
 * effects, PK settings, dose context, trends, therapy window and reports. Used by the API handlers and the
 * CLI alike. Errors the user can fix are `ApiFailure`s naming the field.
 */
export class DosingCore {
  readonly doses: DoseRepository;
  readonly trends: TrendRepository;
  readonly reports: ReportRepository;

  constructor(
    db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.doses = new DoseRepository(db, () => new Date(this.now()));
    this.trends = new TrendRepository(db);
    this.reports = new ReportRepository(db);
  }

  patient(codeOrId: string): PatientFacts {
    return mapNotFound(() => this.doses.findPatient(codeOrId));
  }

  settings(patient: PatientFacts): EffectivePkSettings {
    const stored = this.doses.pkSettings(patient.id);
    if (stored) {
      const { warnings } = validatePkParams(stored);
      if (stored.absoluteMode) warnings.push(ABSOLUTE_MODE_CAVEAT);
      return { ...stored, isDefault: false, warnings };
    }
    const age =
      patient.birthYear === undefined ? undefined : new Date(this.now()).getUTCFullYear() - patient.birthYear;
    const ageGroup: AgeGroup = age !== undefined && age >= 18 ? 'adult' : 'child';
    return {
      ageGroup,
      ...defaultPkParams[ageGroup],
      timeZone: localZone(),
      absoluteMode: false,
      isDefault: true,
      warnings: [],
    };
  }

  setSettings(
    patient: PatientFacts,
    s: Omit<EffectivePkSettings, 'isDefault' | 'warnings'>,
  ): EffectivePkSettings {
    const v = validatePkParams(s);
    if (v.errors.length > 0) throw new ApiFailure('invalid-input', v.errors.join('; '), 'setPkSettings');
    if (!isValidTimeZone(s.timeZone))
      throw new ApiFailure(
        'invalid-input',
        `"${s.timeZone}" is not an IANA time zone`,
        'setPkSettings.timeZone',
      );
    this.doses.setPkSettings({ patientId: patient.id, ...s }, this.recompute);
    return this.settings(patient);
  }

  private regimensOf(patientId: number): Regimen[] {
    return this.doses.listRegimens(patientId);
  }

  /** Dose context of the patient at an instant. */
  contextAt(patient: PatientFacts, timeMs: number, band: boolean): DoseContext {
    const s = this.settings(patient);
    const pk: PkParams = {
      halfLifeH: s.halfLifeH,
      tmaxH: s.tmaxH,
      ...(s.ke0PerH === undefined ? {} : { ke0PerH: s.ke0PerH }),
    };
    const from = timeMs - 3 * DAY;
    const log: DoseEvent[] = this.doses.listDoses(patient.id, from, timeMs + 2 * DAY);
    const rate = this.doses.lastRateChange(patient.id, from);
    if (rate) log.unshift(rate);
    return computeDoseContext({
      timeMs,
      log,
      regimens: this.regimensOf(patient.id),
      pk,
      timeZone: s.timeZone,
      ...(patient.weightKg === undefined ? {} : { weightKg: patient.weightKg }),
      band,
      absolute: s.absoluteMode,
    });
  }

  /** Predicted C_rel(t) with its band over [fromMs, toMs] every `stepMinutes` (at most 5,000 points). */
  cRelCurve(patient: PatientFacts, fromMs: number, toMs: number, stepMinutes: number) {
    if ((toMs - fromMs) / (stepMinutes * 60_000) > 5000)
      throw new ApiFailure(
        'invalid-input',
        'the curve would have more than 5,000 points; use a larger step',
        'stepMinutes',
      );
    const s = this.settings(patient);
    return cRelCurve({
      log: this.doses.listDoses(patient.id, fromMs - 2 * DAY, toMs),
      regimens: this.regimensOf(patient.id),
      pk: {
        halfLifeH: s.halfLifeH,
        tmaxH: s.tmaxH,
        ...(s.ke0PerH === undefined ? {} : { ke0PerH: s.ke0PerH }),
      },
      timeZone: s.timeZone,
      fromMs,
      toMs,
      stepMinutes,
    });
  }

  /**
   * Recomputes and stores the dose context of the patient's sessions starting within [fromMs, toMs]. Runs
   * inside the dose repository's transaction when the log changes.
   */
  readonly recompute = (patientId: number, fromMs: number, toMs: number): void => {
    const patient = this.doses.patient(patientId);
    const stamp = new Date(this.now()).toISOString();
    for (const s of this.doses.sessionsOf(patientId, fromMs, toMs))
      this.storeContext(patient, s.id, s.startTimeMs, stamp);
  };

  private storeContext(
    patient: PatientFacts,
    sessionId: number,
    startTimeMs: number,
    stamp: string,
  ): DoseContext {
    const c = this.contextAt(patient, startTimeMs, true);
    this.doses.writeSessionContext({
      sessionId,
      route: c.route,
      phase: c.phase,
      ...(c.hoursSinceDose === undefined ? {} : { hoursSinceDose: c.hoursSinceDose }),
      ...(c.hoursToNextDose === undefined ? {} : { hoursToNextDose: c.hoursToNextDose }),
      ...(c.cRel === undefined ? {} : { cRel: c.cRel }),
      ...(c.cRelP10 === undefined ? {} : { cRelP10: c.cRelP10 }),
      ...(c.cRelP90 === undefined ? {} : { cRelP90: c.cRelP90 }),
      ...(c.dailyDoseMg === undefined ? {} : { dailyDoseMg: c.dailyDoseMg }),
      ...(c.dailyDoseMgPerKg === undefined ? {} : { dailyDoseMgPerKg: c.dailyDoseMgPerKg }),
      ...(c.itbDailyUg === undefined ? {} : { itbDailyUg: c.itbDailyUg }),
      ...(c.hoursSinceRateChange === undefined ? {} : { hoursSinceRateChange: c.hoursSinceRateChange }),
      ...(c.isEquilibrating === undefined ? {} : { isEquilibrating: c.isEquilibrating }),
      context: c as unknown as Record<string, unknown>,
      computedAt: stamp,
    });
    return c;
  }

  /**
   * The stored dose context of a session, computed (and stored) first if missing or `recompute` is set.
   * This is what session creation and import call.
   */
  sessionContext(sessionId: number, recompute = false): DoseContext {
    const s = mapNotFound(() => this.doses.session(sessionId));
    if (s.patientId === null) return { route: 'none', phase: 'unknown', pumpEvents: [] };
    const stored = recompute ? undefined : this.doses.sessionContext(sessionId);
    if (stored) return stored.context as unknown as DoseContext;
    return this.storeContext(
      this.doses.patient(s.patientId),
      sessionId,
      s.startTimeMs,
      new Date(this.now()).toISOString(),
    );
  }

  private checkDose(d: DoseInput, where: string): void {
    const problems = doseEventProblems(d);
    if (problems.length > 0) throw new ApiFailure('invalid-input', problems.join('; '), where);
  }

  addDoses(patient: PatientFacts, doses: readonly DoseInput[], actor: string): DoseRow[] {
    doses.forEach((d, i) => this.checkDose(d, `doses[${i}]`));
    return this.doses.addDoses(patient.id, doses, actor, this.recompute);
  }

  updateDose(id: number, patch: Partial<DoseInput>, actor: string, reason?: string): DoseRow {
    const old = mapNotFound(() => this.doses.getDose(id));
    this.checkDose({ ...old, ...patch }, 'patch');
    return this.doses.updateDose(id, patch, actor, reason, this.recompute);
  }

  deleteDose(id: number, actor: string, reason?: string): void {
    mapNotFound(() => this.doses.deleteDose(id, actor, reason, this.recompute));
  }

  addRegimen(
    patient: PatientFacts,
    text: string,
    startMs: number,
    endMs?: number,
    note?: string,
  ): Regimen & { id: number } {
    let parsed: { amountMg: number; timesLocal: string[] };
    try {
      parsed = parseRegimenText(text);
    } catch (err) {
      throw new ApiFailure('invalid-input', (err as Error).message, 'addRegimen.text');
    }
    if (endMs !== undefined && endMs <= startMs)
      throw new ApiFailure('invalid-input', 'the regimen must end after it starts', 'addRegimen.endMs');
    return this.doses.addRegimen(
      {
        patientId: patient.id,
        ...parsed,
        startMs,
        ...(endMs === undefined ? {} : { endMs }),
        ...(note === undefined ? {} : { note }),
      },
      this.recompute,
    );
  }

  /** Dose log with expected doses (taken/missed/pending) and withdrawal-risk flags. */
  doseLog(patient: PatientFacts, fromMs?: number, toMs?: number) {
    const s = this.settings(patient);
    const nowMs = this.now();
    const regimens = this.regimensOf(patient.id);
    const log = this.doses.listDoses(patient.id, fromMs, toMs);
    const from =
      fromMs ?? Math.min(log[0]?.timeMs ?? nowMs, ...regimens.map((r) => r.startMs), nowMs - 90 * DAY);
    const to = toMs ?? nowMs + DAY;
    const expected = matchExpectedDoses(
      expandRegimens(regimens, Math.max(from, nowMs - 366 * DAY), to, s.timeZone),
      log,
      nowMs,
    );
    const iso = (t: number): string => formatIsoWithOffset(t, s.timeZone);
    return {
      patientCode: patient.code,
      timeZone: s.timeZone,
      doses: log.map((d) => ({ ...d, time: iso(d.timeMs) })),
      expected: expected.map((x) => ({
        timeMs: x.timeMs,
        time: iso(x.timeMs),
        amountMg: x.amountMg,
        status: x.status,
        ...(x.doseId === undefined ? {} : { doseId: x.doseId }),
      })),
      flags: withdrawalFlags(log, expected, s.timeZone),
    };
  }

  /**
   * Trend of one indicator: lines, dose events, baselines ± MDC95 per comparable key and dose phase, and
   * pre/post comparisons. The SEM behind every MDC95 of a comparable key comes from the patient's own
   * same-day same-phase repeats when there are enough, else from a published value
   * ({@link measurementError}); only when neither exists does it fall back to the spread of the baseline
   * sessions: then pre/post judges peak − trough against 1.96·√(SEM_trough² + SEM_peak²) and across visits
   * a phase is judged against its own MDC95. `measurementErrors` says per key which source was used.
   */
  trend(patient: PatientFacts, indicator: string, filter: TrendFilter = {}) {
    const s = this.settings(patient);
    const points = this.trends.series(patient.id, indicator, filter);
    const iso = isoFormatter(s.timeZone);
    const view = (p: TrendPoint) => ({
      sessionId: p.sessionId,
      startTimeMs: p.startTimeMs,
      start: iso(p.startTimeMs),
      value: p.value,
      unit: p.unit,
      n: p.n,
      cv: p.cv,
      phase: p.phase,
      hoursSinceDose: p.hoursSinceDose,
      cRel: p.cRel,
      dailyDoseMgPerKg: p.dailyDoseMgPerKg,
      itbDailyUg: p.itbDailyUg,
    });
    const groups = comparableGroups(points);
    const baselines: (Omit<PhaseBand, 'source'> & {
      key: ComparableKey;
      source: PhaseBand['source'] | 'own-repeats' | 'published';
    })[] = [];
    const measurementErrors = [];
    const prePost = [];
    const acrossVisits = [];
    const alerts: { sessionId: number; text: string }[] = [];
    for (const g of groups) {
      const first = g.points[0]?.startTimeMs ?? 0;
      const baselinePoints = g.points.filter((p) => p.startTimeMs - first <= BASELINE_SPAN_DAYS * DAY);
      const spread = phaseBaselines(baselinePoints);
      const phased = g.points.map((p) => ({
        sessionId: p.sessionId,
        timeMs: p.startTimeMs,
        visit: iso(p.startTimeMs).slice(0, 10),
        phase: p.phase,
        value: p.value,
      }));
      const me = measurementError(
        indicator,
        phased,
        baselinePoints.reduce((sum, p) => sum + p.value, 0) / baselinePoints.length,
      );
      const bands = me
        ? spread.bands.map((b) => ({
            ...b,
            sem: me.sem,
            mdc95: me.mdc95,
            lower: b.mean - me.mdc95,
            upper: b.mean + me.mdc95,
            source: me.source,
          }))
        : spread.bands;
      if (bands.length === 0 && !me) continue;
      for (const b of bands) baselines.push({ key: g.key, ...b });
      measurementErrors.push(
        me
          ? {
              key: g.key,
              source: me.source,
              sem: me.sem,
              mdc95: me.mdc95,
              ownRepeats: me.own.dof,
              repeatSessions: me.own.sessions,
              minRepeats: me.minDof,
              ...(me.ciLow === undefined || me.ciHigh === undefined
                ? {}
                : { ciLow: me.ciLow, ciHigh: me.ciHigh }),
              ...(me.published
                ? {
                    citation: me.published.citation,
                    reference: me.published.reference,
                    basis: me.published.basis,
                  }
                : {}),
            }
          : {
              key: g.key,
              source: 'baseline-spread' as const,
              ownRepeats: 0,
              repeatSessions: 0,
              minRepeats: MIN_REPEAT_DOF,
            },
      );
      for (const p of g.points) {
        const band = bands.find((b) => b.phase === p.phase);
        if (
          band &&
          (p.route === 'itb_continuous' || p.route === 'itb_bolus') &&
          (p.value > band.upper || p.value < band.lower)
        )
          alerts.push({
            sessionId: p.sessionId,
            text: `${indicator} on ${iso(p.startTimeMs).slice(0, 10)} is outside this patient's usual range (baseline ± MDC95, ${band.lower.toPrecision(3)}–${band.upper.toPrecision(3)}) while on intrathecal baclofen. A sudden change in tone can have several causes, including the pump or catheter; for clinical review.`,
          });
      }
      const between = (a: string, b: string): number =>
        me ? me.mdc95 : mdc95Between(spread.semOf(a) as number, spread.semOf(b) as number);
      for (const c of preDosePostDose(phased, between)) prePost.push({ key: g.key, ...c });
      for (const c of samePhaseAcrossVisits(phased, (phase) => me?.mdc95 ?? (spread.mdcOf(phase) as number)))
        acrossVisits.push({ key: g.key, ...c });
    }
    return {
      patientCode: patient.code,
      indicator,
      lines: trendLines(points).map((l) => ({ key: l.key, points: l.points.map(view) })),
      // The doses between the sessions and those of the day before the first one: they set its dose phase.
      doseEvents: this.doses
        .listDoses(
          patient.id,
          points[0] === undefined ? undefined : points[0].startTimeMs - DOSE_CONTEXT_LOOKBACK_MS,
          points.at(-1)?.startTimeMs ?? undefined,
        )
        .map((d) => ({ ...d, time: iso(d.timeMs) })),
      baselines: baselines.map((b) => ({
        key: b.key,
        mean: b.mean,
        sem: b.sem,
        mdc95: b.mdc95,
        lower: b.lower,
        upper: b.upper,
        n: b.n,
        phase: b.phase,
        source: b.source,
      })),
      measurementErrors,
      sideEffects: this.doses
        .listSideEffects(patient.id)
        .filter(
          (e) =>
            points.length > 0 &&
            e.timeMs >= (points[0]?.startTimeMs ?? 0) - DAY &&
            e.timeMs <= (points.at(-1)?.startTimeMs ?? 0) + DAY,
        ),
      prePost,
      acrossVisits,
      alerts,
    };
  }

  /**
   * Per patient (by code): the latest session start and, for the first of `prefer` the patient has values
   * of, the latest value with up to 12 values of its line (same muscle, side, protocol, algorithm and
   * phase). Two queries per patient with an indicator, one without.
   */
  glances(prefer: readonly string[]) {
    return this.trends.patientsWithLastSession().map((p) => {
      const ids = new Set(this.trends.indicatorIds(p.patientId));
      const id = prefer.find((x) => ids.has(x));
      const base = {
        patientCode: p.code,
        ...(p.lastSessionTimeMs === null ? {} : { lastSessionTimeMs: p.lastSessionTimeMs }),
      };
      if (id === undefined) return base;
      const points = this.trends.series(p.patientId, id);
      const latest = points.reduce<TrendPoint | undefined>(
        (a, b) => (a === undefined || b.startTimeMs > a.startTimeMs ? b : a),
        undefined,
      );
      if (!latest) return base;
      const line = trendLines(points).find((l) => l.points.includes(latest));
      const recent = (line?.points ?? [latest]).slice(-12);
      const previous = recent.at(-2);
      return {
        ...base,
        indicator: {
          id,
          unit: latest.unit,
          muscle: latest.muscle,
          side: latest.side,
          phase: latest.phase,
          recent: recent.map((q) => ({ startTimeMs: q.startTimeMs, value: q.value })),
          ...(previous ? { delta: latest.value - previous.value } : {}),
        },
      };
    });
  }

  /** Indicator against a dose covariate per comparable group, with Theil–Sen fits (O(n²) pairs per group). */
  doseResponse(patient: PatientFacts, indicator: string, covariate: DoseCovariate, filter: TrendFilter = {}) {
    return doseResponse(this.trends.series(patient.id, indicator, filter), covariate);
  }

  /** Therapy window per comparable group from sessions with an oral dose context. */
  therapyWindows(patient: PatientFacts, indicator: string, filter: TrendFilter = {}) {
    const points = this.trends
      .series(patient.id, indicator, filter)
      .filter((p) => p.route === 'oral' && p.hoursSinceDose !== null);
    return comparableGroups(points).flatMap((g) => {
      const w = therapyWindow(
        g.points.map((p) => ({ hoursSinceDose: p.hoursSinceDose as number, value: p.value })),
      );
      if (!w) return [];
      // No window statement below the evidence minimum: the result then carries only why not.
      const evidence = windowEvidence(g.points.map((p) => p.hoursSinceDose as number));
      return [{ key: g.key, ...w, evidence: { ...evidence, ciLow: w.ciLowH, ciHigh: w.ciHighH } }];
    });
  }

  /** Writes a session's report folder, or a patient's (sessions, indicators, dose log, trends). */
  async writeReport(
    target: { sessionId: number } | { patient: PatientFacts },
    outDir: string,
    includeRaw: boolean,
  ): Promise<string[]> {
    if ('sessionId' in target) {
      const session = mapNotFound(() => this.reports.session(target.sessionId));
      const zone =
        session.patientId === null ? 'UTC' : this.settings(this.doses.patient(session.patientId)).timeZone;
      if (session.patientId !== null && !session.doseContext) this.sessionContext(session.id);
      return writeSessionReport(this.reports, target.sessionId, outDir, isoFormatter(zone), { includeRaw });
    }
    const patient = target.patient;
    const s = this.settings(patient);
    const iso = isoFormatter(s.timeZone);
    const safe = safeName(patient.code);
    const prefix = join(outDir, `patient-${safe}`);
    const sessionIds = this.reports.sessionIdsOfPatient(patient.id);
    for (const id of sessionIds) this.sessionContext(id);
    const sessions = sessionIds.map((id) => this.reports.session(id));
    const files = [
      `${prefix}-sessions.csv`,
      `${prefix}-indicators.csv`,
      `${prefix}-dose-log.csv`,
      `${prefix}-trends.csv`,
    ];
    await writeCsvTable(
      files[0] as string,
      sessionSummaryTable(
        sessions.map((x) => ({ ...x, sessionId: x.id })),
        iso,
      ),
    );
    await writeCsvTable(
      files[1] as string,
      indicatorTable(
        sessions.flatMap((x) => this.reports.indicators(x.id).map((i) => ({ ...i, sessionId: x.id }))),
      ),
    );
    await writeCsvTable(
      files[2] as string,
      doseLogTable(
        this.doses.listDoses(patient.id).map((d) => ({ ...d, patientCode: patient.code })),
        iso,
      ),
    );
    await writeCsvTable(
      files[3] as string,
      trendTable(
        this.trends.indicatorIds(patient.id).flatMap((indicatorId) => {
          const judged = this.trend(patient, indicatorId);
          return this.trends
            .series(patient.id, indicatorId)
            .map((p) => ({ ...p, indicatorId, patientCode: patient.code, ...mdcOfPoint(judged, p) }));
        }),
        iso,
      ),
    );
    if (includeRaw)
      for (const id of sessionIds) files.push(...(await writeSessionReport(this.reports, id, outDir, iso)));
    return files;
  }
}

/**
 * The MDC95 a trend judges one point against, and its source in words: the key's own repeats or published
 * value, else the baseline band of the point's phase; nulls when the trend has neither yet.
 */
function mdcOfPoint(
  trend: ReturnType<DosingCore['trend']>,
  p: ComparableKey & { phase: string },
): { mdc95: number | null; mdc95Source: string | null } {
  const sameKey = (k: ComparableKey): boolean =>
    k.muscle === p.muscle &&
    k.side === p.side &&
    k.protocol === p.protocol &&
    k.algorithmVersion === p.algorithmVersion;
  const me = trend.measurementErrors.find((m) => sameKey(m.key));
  if (me?.source === 'own-repeats' && me.mdc95 !== undefined)
    return { mdc95: me.mdc95, mdc95Source: `own repeated sessions (${me.repeatSessions})` };
  if (me?.source === 'published' && me.mdc95 !== undefined)
    return { mdc95: me.mdc95, mdc95Source: `published: ${me.citation ?? ''} (${me.reference ?? ''})` };
  const band = trend.baselines.find((b) => sameKey(b.key) && b.phase === p.phase);
  return band
    ? { mdc95: band.mdc95, mdc95Source: 'spread of the baseline sessions of this dose phase' }
    : { mdc95: null, mdc95Source: null };
}

/** Handlers of the dosing methods of the contract. */
export function dosingService(ctx: AppContext): Pick<ApiHandlers, keyof typeof dosingMethods> {
  const core = new DosingCore(ctx.db);
  const settingsOut = (s: EffectivePkSettings) => s;
  return {
    listDoses: async ({ patient, fromMs, toMs }) => core.doseLog(core.patient(patient), fromMs, toMs),
    addDoses: async ({ patient, doses, actor }) => {
      const p = core.patient(patient);
      const zone = core.settings(p).timeZone;
      return core.addDoses(p, doses, actor).map((d) => ({ ...d, time: formatIsoWithOffset(d.timeMs, zone) }));
    },
    updateDose: async ({ id, patch, actor, reason }) => {
      const d = core.updateDose(id, patch, actor, reason);
      const zone = core.settings(core.doses.patient(d.patientId)).timeZone;
      return { ...d, time: formatIsoWithOffset(d.timeMs, zone) };
    },
    deleteDose: async ({ id, actor, reason }) => {
      core.deleteDose(id, actor, reason);
      return {};
    },
    getDoseAudit: async ({ patient, doseId }) =>
      core.doses.auditTrail(core.patient(patient).id, doseId).map((a) => ({
        ...a,
        oldValue: a.oldValue as Record<string, unknown> | null,
        newValue: a.newValue as Record<string, unknown> | null,
      })),
    addRegimen: async ({ patient, text, startMs, endMs, note }) =>
      core.addRegimen(core.patient(patient), text, startMs, endMs, note),
    listRegimens: async ({ patient }) => core.doses.listRegimens(core.patient(patient).id),
    addSideEffect: async ({ patient, ...rest }) =>
      core.doses.addSideEffect({ patientId: core.patient(patient).id, ...rest }),
    listSideEffects: async ({ patient }) => core.doses.listSideEffects(core.patient(patient).id),
    getPkSettings: async ({ patient }) => settingsOut(core.settings(core.patient(patient))),
    setPkSettings: async ({ patient, ...s }) => settingsOut(core.setSettings(core.patient(patient), s)),
    getDoseContext: async ({ patient, timeMs, band }) => core.contextAt(core.patient(patient), timeMs, band),
    getSessionDoseContext: async ({ sessionId, recompute }) => core.sessionContext(sessionId, recompute),
    listTrendIndicators: async ({ patient }) => core.trends.indicatorPlaces(core.patient(patient).id),
    getPatientGlances: async ({ prefer }) => core.glances(prefer),
    getTrend: async ({ patient, indicator, muscle, side }) =>
      core.trend(core.patient(patient), indicator, {
        ...(muscle === undefined ? {} : { muscle }),
        ...(side === undefined ? {} : { side }),
      }),
    getDoseResponse: async ({ patient, indicator, covariate, muscle, side }) =>
      core.doseResponse(core.patient(patient), indicator, covariate, {
        ...(muscle === undefined ? {} : { muscle }),
        ...(side === undefined ? {} : { side }),
      }),
    getCRelCurve: async ({ patient, fromMs, toMs, stepMinutes }) =>
      core.cRelCurve(core.patient(patient), fromMs, toMs, stepMinutes),
    getTherapyWindow: async ({ patient, indicator, muscle, side }) =>
      core.therapyWindows(core.patient(patient), indicator, {
        ...(muscle === undefined ? {} : { muscle }),
        ...(side === undefined ? {} : { side }),
      }),
    writeReport: async ({ sessionId, patient, outDir, includeRaw }) => ({
      files: await core.writeReport(
        sessionId !== undefined ? { sessionId } : { patient: core.patient(patient as string) },
        outDir,
        includeRaw,
      ),
    }),
  };
}
