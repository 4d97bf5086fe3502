import { z } from 'zod';

/**
 * Dose log, regimens, side effects, PK settings, dose context, trends and reports (domain spec §6, §8).
 * Instants are ms since the Unix epoch (UTC); ISO 8601 texts carry the patient's offset. A patient is named
 * by its pseudonymous code (or numeric id as text).
 */

const Patient = z.string().min(1).max(100);
const Instant = z.number().finite();
const Actor = z.string().min(1).max(100);

export const DoseRouteSchema = z.enum(['oral', 'itb_bolus', 'itb_continuous', 'injection']);
export const DoseKindSchema = z.enum(['scheduled', 'extra', 'rate_change', 'flex_bolus', 'refill', 'alarm']);
export const DoseUnitSchema = z.enum(['mg', 'ug', 'ug_per_day']);

const doseFields = {
  timeMs: Instant,
  route: DoseRouteSchema,
  kind: DoseKindSchema,
  amount: z.number().finite().min(0),
  unit: DoseUnitSchema,
  status: z.enum(['taken', 'missed']),
  note: z.string().max(2000).optional(),
};

/** A new dose entry; `status` defaults to `taken`. */
export const DoseInputSchema = z
  .object({ ...doseFields, status: doseFields.status.default('taken') })
  .strict();

/** Fields to change on an entry; absent fields keep their value (no defaults apply here). */
export const DosePatchSchema = z.object(doseFields).partial().strict();

export const DoseSchema = z.object({
  id: z.number().int(),
  patientId: z.number().int(),
  timeMs: Instant,
  time: z.string(),
  route: DoseRouteSchema,
  kind: DoseKindSchema,
  amount: z.number(),
  unit: DoseUnitSchema,
  status: z.enum(['taken', 'missed']),
  note: z.string().optional(),
});
export type Dose = z.infer<typeof DoseSchema>;

export const ExpectedDoseSchema = z.object({
  timeMs: Instant,
  time: z.string(),
  amountMg: z.number(),
  status: z.enum(['taken', 'missed', 'pending']),
  doseId: z.number().int().optional(),
});

export const WithdrawalFlagSchema = z.object({
  kind: z.enum([
    'missed-dose',
    'consecutive-missed-doses',
    'oral-reduction',
    'itb-rate-reduction',
    'pump-alarm',
  ]),
  timeMs: Instant,
  text: z.string(),
});

export const DoseLogSchema = z.object({
  patientCode: z.string(),
  timeZone: z.string(),
  doses: z.array(DoseSchema),
  expected: z.array(ExpectedDoseSchema),
  flags: z.array(WithdrawalFlagSchema),
});
export type DoseLog = z.infer<typeof DoseLogSchema>;

export const DoseAuditSchema = z.object({
  id: z.number().int(),
  doseEventId: z.number().int(),
  action: z.enum(['create', 'update', 'delete']),
  changedBy: z.string(),
  changedAt: z.string(),
  oldValue: z.record(z.string(), z.unknown()).nullable(),
  newValue: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().optional(),
});

export const RegimenSchema = z.object({
  id: z.number().int(),
  amountMg: z.number(),
  timesLocal: z.array(z.string()),
  startMs: Instant,
  endMs: Instant.optional(),
  note: z.string().optional(),
});

export const SideEffectSchema = z.object({
  id: z.number().int(),
  timeMs: Instant,
  kind: z.enum(['dizziness', 'nausea', 'fatigue', 'drowsiness', 'weakness', 'other']),
  severity: z.enum(['mild', 'moderate', 'severe']),
  note: z.string().optional(),
});

export const PkSettingsSchema = z.object({
  ageGroup: z.enum(['child', 'adult']),
  halfLifeH: z.number().finite().positive(),
  tmaxH: z.number().finite().positive(),
  timeZone: z.string().min(1).max(100),
  absoluteMode: z.boolean().default(false),
  /** Effect-compartment rate (1/h) for a PD lag; research only, off when absent (§6.2). */
  ke0PerH: z.number().finite().positive().optional(),
});

export const DoseContextSchema = z.object({
  route: z.enum(['oral', 'itb_bolus', 'itb_continuous', 'injection', 'none']),
  phase: z.string(),
  hoursSinceDose: z.number().optional(),
  hoursToNextDose: z.number().optional(),
  lastDoseMg: z.number().optional(),
  cRel: z.number().optional(),
  cRelP10: z.number().optional(),
  cRelP90: z.number().optional(),
  cNgPerMl: z.number().optional(),
  dailyDoseMg: z.number().optional(),
  dailyDoseMgPerKg: z.number().optional(),
  dailyDoseSource: z.enum(['regimen', 'log-24h']).optional(),
  itbDailyUg: z.number().optional(),
  hoursSinceRateChange: z.number().optional(),
  isEquilibrating: z.boolean().optional(),
  hoursSinceBolus: z.number().optional(),
  lastBolusUg: z.number().optional(),
  pumpEvents: z.array(
    z.object({ timeMs: Instant, kind: z.enum(['refill', 'alarm']), note: z.string().optional() }),
  ),
});

const TrendQuery = z
  .object({
    patient: Patient,
    indicator: z.string().min(1).max(100),
    muscle: z.string().max(100).optional(),
    side: z.enum(['left', 'right']).optional(),
  })
  .strict();

const TrendPointSchema = z.object({
  sessionId: z.number().int(),
  startTimeMs: Instant,
  start: z.string(),
  value: z.number(),
  unit: z.string(),
  n: z.number().int(),
  cv: z.number().nullable(),
  phase: z.string(),
  hoursSinceDose: z.number().nullable(),
  cRel: z.number().nullable(),
  dailyDoseMgPerKg: z.number().nullable(),
  itbDailyUg: z.number().nullable(),
});

const ComparableKeySchema = z.object({
  muscle: z.string().nullable(),
  side: z.string().nullable(),
  protocol: z.string(),
  algorithmVersion: z.string(),
});
const FitSchema = z.object({ slope: z.number(), intercept: z.number(), n: z.number().int() });
const JudgementSchema = z.object({
  before: z.number(),
  after: z.number(),
  delta: z.number(),
  mdc95: z.number(),
  exceedsMdc: z.boolean(),
});

export const TrendSchema = z.object({
  patientCode: z.string(),
  indicator: z.string(),
  lines: z.array(
    z.object({ key: ComparableKeySchema.extend({ phase: z.string() }), points: z.array(TrendPointSchema) }),
  ),
  doseEvents: z.array(DoseSchema),
  baselines: z.array(
    z.object({
      key: ComparableKeySchema,
      mean: z.number(),
      sem: z.number(),
      mdc95: z.number(),
      lower: z.number(),
      upper: z.number(),
      n: z.number().int(),
      /** The dose phase this band belongs to (`trough`, `peak`, …): each phase has its own band. */
      phase: z.string(),
      /**
       * `phase`: from this phase's own baseline sessions; `pooled-phases`: fewer than two, SEM pooled within
       * the other phases; `all-phases`: SEM from all baseline sessions together; `own-repeats` and
       * `published`: MDC95 from `measurementErrors` (the mean stays this phase's baseline mean).
       */
      source: z.enum(['phase', 'pooled-phases', 'all-phases', 'own-repeats', 'published']),
    }),
  ),
  /**
   * Per comparable key, where its MDC95 comes from: `own-repeats` (the patient's same-day same-phase
   * repeated sessions, at least `minRepeats` degrees of freedom, with a 95 % bootstrap interval),
   * `published` (`citation`, `reference`, `basis`), or `baseline-spread` (neither: the bands' own spread).
   * `ownRepeats` counts the patient's repeats (degrees of freedom) and `repeatSessions` the sessions in them.
   */
  measurementErrors: z.array(
    z.object({
      key: ComparableKeySchema,
      source: z.enum(['own-repeats', 'published', 'baseline-spread']),
      sem: z.number().optional(),
      mdc95: z.number().optional(),
      ciLow: z.number().optional(),
      ciHigh: z.number().optional(),
      ownRepeats: z.number().int(),
      repeatSessions: z.number().int(),
      minRepeats: z.number().int(),
      citation: z.string().optional(),
      reference: z.string().optional(),
      basis: z.string().optional(),
    }),
  ),
  /** Side effects logged from a day before the first to a day after the last point, as annotations. */
  sideEffects: z.array(SideEffectSchema),
  /** Each visit's median against the previous visit's, per dose phase, judged against MDC95. */
  acrossVisits: z.array(
    JudgementSchema.extend({
      key: ComparableKeySchema,
      phase: z.string(),
      fromVisit: z.string(),
      toVisit: z.string(),
    }),
  ),
  /** ITB sessions outside the patient's baseline ± MDC95: text for clinical review, never a diagnosis. */
  alerts: z.array(z.object({ sessionId: z.number().int(), text: z.string() })),
  prePost: z.array(
    JudgementSchema.extend({
      key: ComparableKeySchema,
      visit: z.string(),
      troughSessionId: z.number().int(),
      peakSessionId: z.number().int(),
    }),
  ),
});
export type Trend = z.infer<typeof TrendSchema>;

/** How much data a slope or window statement rests on, its bootstrap interval, and why it is withheld. */
export const EvidenceSchema = z.object({
  n: z.number().int(),
  minSessions: z.number().int(),
  coverage: z.string(),
  enough: z.boolean(),
  whyNot: z.string().optional(),
  ciLow: z.number().optional(),
  ciHigh: z.number().optional(),
});

export const DoseResponseSchema = z.object({
  key: ComparableKeySchema,
  covariate: z.enum(['hoursSinceDose', 'cRel', 'dailyDoseMgPerKg', 'itbDailyUg']),
  fit: FitSchema.optional(),
  evidence: EvidenceSchema.optional(),
  points: z.array(z.object({ sessionId: z.number().int(), x: z.number(), y: z.number() })),
});

export const TherapyWindowSchema = z.object({
  key: ComparableKeySchema,
  bestHoursSinceDose: z.number(),
  bestBinStartH: z.number(),
  bestBinEndH: z.number(),
  bestMedian: z.number(),
  nInBest: z.number().int(),
  iqrInBest: z.number(),
  n: z.number().int(),
  ciLowH: z.number(),
  ciHighH: z.number(),
  stability: z.number(),
  bins: z.array(
    z.object({ startH: z.number(), endH: z.number(), n: z.number().int(), median: z.number().nullable() }),
  ),
  /** When `enough` is false the window is not a statement: show `whyNot` instead. */
  evidence: EvidenceSchema.optional(),
});

/** Where a patient's indicator was measured, with how many values and the latest session start. */
export const TrendIndicatorSchema = z.object({
  indicator: z.string(),
  places: z.array(
    z.object({
      muscle: z.string().nullable(),
      side: z.enum(['left', 'right']).nullable(),
      n: z.number().int(),
      lastStartTimeMs: Instant,
    }),
  ),
});

/** One patient's latest value of one key indicator and the same line's recent values, for a list view. */
export const PatientGlanceSchema = z.object({
  patientCode: z.string(),
  lastSessionTimeMs: Instant.optional(),
  indicator: z
    .object({
      id: z.string(),
      unit: z.string(),
      muscle: z.string().nullable(),
      side: z.string().nullable(),
      phase: z.string(),
      /** Up to 12 values of the latest point's line (same key and phase), oldest first; the last is the latest. */
      recent: z.array(z.object({ startTimeMs: Instant, value: z.number() })),
      /** Latest minus the previous value of the same line; absent with a single value. */
      delta: z.number().optional(),
    })
    .optional(),
});

/** Dosing and trend methods. */
export const dosingMethods = {
  listTrendIndicators: {
    input: z.object({ patient: Patient }).strict(),
    output: z.array(TrendIndicatorSchema),
  },
  getPatientGlances: {
    input: z
      .object({
        /** Indicator ids in order of preference; the first one a patient has is shown. */
        prefer: z.array(z.string().min(1).max(100)).max(50).default(['rmsHV']),
      })
      .strict(),
    output: z.array(PatientGlanceSchema),
  },
  listDoses: {
    input: z.object({ patient: Patient, fromMs: Instant.optional(), toMs: Instant.optional() }).strict(),
    output: DoseLogSchema,
  },
  addDoses: {
    input: z
      .object({ patient: Patient, doses: z.array(DoseInputSchema).min(1).max(10_000), actor: Actor })
      .strict(),
    output: z.array(DoseSchema),
  },
  updateDose: {
    input: z
      .object({
        id: z.number().int(),
        patch: DosePatchSchema,
        actor: Actor,
        reason: z.string().max(2000).optional(),
      })
      .strict(),
    output: DoseSchema,
  },
  deleteDose: {
    input: z.object({ id: z.number().int(), actor: Actor, reason: z.string().max(2000).optional() }).strict(),
    output: z.object({}),
  },
  getDoseAudit: {
    input: z.object({ patient: Patient, doseId: z.number().int().optional() }).strict(),
    output: z.array(DoseAuditSchema),
  },
  addRegimen: {
    input: z
      .object({
        patient: Patient,
        /** "5 mg TID" or "5 mg at 08:00, 14:00, 20:00" (local clock times). */
        text: z.string().min(1).max(200),
        startMs: Instant,
        endMs: Instant.optional(),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    output: RegimenSchema,
  },
  listRegimens: { input: z.object({ patient: Patient }).strict(), output: z.array(RegimenSchema) },
  addSideEffect: {
    input: z
      .object({
        patient: Patient,
        timeMs: Instant,
        kind: SideEffectSchema.shape.kind,
        severity: SideEffectSchema.shape.severity,
        note: z.string().max(2000).optional(),
      })
      .strict(),
    output: SideEffectSchema,
  },
  listSideEffects: { input: z.object({ patient: Patient }).strict(), output: z.array(SideEffectSchema) },
  getPkSettings: {
    input: z.object({ patient: Patient }).strict(),
    output: PkSettingsSchema.extend({ isDefault: z.boolean(), warnings: z.array(z.string()) }),
  },
  setPkSettings: {
    input: PkSettingsSchema.extend({ patient: Patient }).strict(),
    output: PkSettingsSchema.extend({ isDefault: z.boolean(), warnings: z.array(z.string()) }),
  },
  getDoseContext: {
    input: z.object({ patient: Patient, timeMs: Instant, band: z.boolean().default(true) }).strict(),
    output: DoseContextSchema,
  },
  getSessionDoseContext: {
    input: z.object({ sessionId: z.number().int(), recompute: z.boolean().default(false) }).strict(),
    output: DoseContextSchema,
  },
  getTrend: { input: TrendQuery, output: TrendSchema },
  getDoseResponse: {
    input: TrendQuery.extend({ covariate: DoseResponseSchema.shape.covariate }).strict(),
    output: z.array(DoseResponseSchema),
  },
  getCRelCurve: {
    input: z
      .object({
        patient: Patient,
        fromMs: Instant,
        toMs: Instant,
        stepMinutes: z.number().min(1).max(1440).default(10),
      })
      .strict()
      .refine((v) => v.toMs >= v.fromMs, { message: 'toMs must not be before fromMs', path: ['toMs'] }),
    output: z.array(z.object({ timeMs: Instant, cRel: z.number(), p10: z.number(), p90: z.number() })),
  },
  getTherapyWindow: { input: TrendQuery, output: z.array(TherapyWindowSchema) },
  writeReport: {
    input: z
      .object({
        sessionId: z.number().int().optional(),
        patient: Patient.optional(),
        outDir: z.string().min(1).max(4096),
        includeRaw: z.boolean().default(true),
      })
      .strict()
      .refine((v) => (v.sessionId === undefined) !== (v.patient === undefined), {
        message: 'give either sessionId or patient',
      }),
    output: z.object({ files: z.array(z.string()) }),
  },
} as const;
