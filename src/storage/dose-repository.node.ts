/**
 * The dose log, its audit trail, regimens, side effects, PK settings and the stored dose context of each
 * session. Every change to a dose writes its audit row in the same transaction and calls `onChanged` there
 * too, so the caller can recompute the affected session contexts before the transaction commits: either all
 * of it happens or none. Instants are ms since the Unix epoch (UTC).
 */
import type { Db } from './database.node.js';
import { deletedPatientWords, deletedSessionWords, patientInUse, sessionInUse } from './visibility.node.js';

export type DoseRouteText = 'oral' | 'itb_bolus' | 'itb_continuous' | 'injection';
export type DoseKindText = 'scheduled' | 'extra' | 'rate_change' | 'flex_bolus' | 'refill' | 'alarm';
export type DoseUnitText = 'mg' | 'ug' | 'ug_per_day';
export type SideEffectKind = 'dizziness' | 'nausea' | 'fatigue' | 'drowsiness' | 'weakness' | 'other';
export type SideEffectSeverity = 'mild' | 'moderate' | 'severe';

/** The fields of a dose entry a person enters or edits. */
export interface DoseInput {
  timeMs: number;
  route: DoseRouteText;
  kind: DoseKindText;
  amount: number;
  unit: DoseUnitText;
  status: 'taken' | 'missed';
  note?: string;
}

export interface DoseRow extends DoseInput {
  id: number;
  patientId: number;
  createdAt: string;
  updatedAt: string;
}

export interface DoseAuditRow {
  id: number;
  doseEventId: number;
  action: 'create' | 'update' | 'delete';
  changedBy: string;
  changedAt: string;
  oldValue: DoseInput | null;
  newValue: DoseInput | null;
  reason?: string;
}

export interface RegimenRow {
  id: number;
  patientId: number;
  amountMg: number;
  timesLocal: string[];
  startMs: number;
  endMs?: number;
  note?: string;
}

export interface SideEffectRow {
  id: number;
  patientId: number;
  timeMs: number;
  kind: SideEffectKind;
  severity: SideEffectSeverity;
  note?: string;
}

export interface PkSettingsRow {
  patientId: number;
  ageGroup: 'child' | 'adult';
  halfLifeH: number;
  tmaxH: number;
  timeZone: string;
  absoluteMode: boolean;
  /** Effect-compartment rate for a PD lag (research only); absent = off. */
  ke0PerH?: number;
}

export interface PatientFacts {
  id: number;
  code: string;
  weightKg?: number;
  birthYear?: number;
}

/** The stored dose context of one session: the columns trends filter on, plus the whole context as JSON. */
export interface SessionDoseContextRow {
  sessionId: number;
  route: string;
  phase: string;
  hoursSinceDose?: number;
  hoursToNextDose?: number;
  cRel?: number;
  cRelP10?: number;
  cRelP90?: number;
  dailyDoseMg?: number;
  dailyDoseMgPerKg?: number;
  itbDailyUg?: number;
  hoursSinceRateChange?: number;
  isEquilibrating?: boolean;
  context: Record<string, unknown>;
  computedAt: string;
}

/**
 * Called inside the transaction that changed the dose log of `patientId`, with the span of instants whose
 * dose context may have changed (a dose at t: t − 48 h to t + 48 h; a pump rate change: from t − 48 h on).
 */
export type DoseLogChanged = (patientId: number, fromMs: number, toMs: number) => void;

/** Thrown when a row named by id does not exist (or is deleted, then `detail` says when); `where` says which. */
export class NotFoundError extends Error {
  constructor(
    readonly where: string,
    detail?: string,
  ) {
    super(detail ?? `${where} does not exist`);
    this.name = 'NotFoundError';
  }
}

const H48 = 48 * 3_600_000;

/**
 * Instants whose dose context an entry can change: oral doses and boluses from 48 h before (next-dose and
 * pre-bolus baseline) to 48 h after (superposition window); a pump rate change from 48 h before until
 * any later time, since the rate stays in force until the next change.
 */
function affectedSpan(d: Pick<DoseInput, 'timeMs' | 'kind'>): [number, number] {
  return [d.timeMs - H48, d.kind === 'rate_change' ? Infinity : d.timeMs + H48];
}

function unionSpan(spans: [number, number][]): [number, number] {
  return [Math.min(...spans.map((x) => x[0])), Math.max(...spans.map((x) => x[1]))];
}

interface DoseDbRow {
  id: number;
  patient_id: number;
  time_ms: number;
  route: DoseRouteText;
  kind: DoseKindText;
  amount: number;
  unit: DoseUnitText;
  status: 'taken' | 'missed';
  note: string | null;
  created_at: string;
  updated_at: string;
}

const doseFromRow = (r: DoseDbRow): DoseRow => ({
  id: r.id,
  patientId: r.patient_id,
  timeMs: r.time_ms,
  route: r.route,
  kind: r.kind,
  amount: r.amount,
  unit: r.unit,
  status: r.status,
  ...(r.note === null ? {} : { note: r.note }),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const inputOf = (d: DoseInput): DoseInput => ({
  timeMs: d.timeMs,
  route: d.route,
  kind: d.kind,
  amount: d.amount,
  unit: d.unit,
  status: d.status,
  ...(d.note === undefined ? {} : { note: d.note }),
});

const undef = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Repository over the 0003 dosing tables. Synchronous (better-sqlite3); safe to share within one process. */
export class DoseRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  patient(id: number): PatientFacts {
    const r = this.db
      .prepare(`SELECT id, code, weight_kg, birth_year FROM patients p WHERE id = ? AND ${patientInUse('p')}`)
      .get(id) as
      { id: number; code: string; weight_kg: number | null; birth_year: number | null } | undefined;
    if (!r) throw new NotFoundError(`patient ${id}`, deletedPatientWords(this.db, id));
    return {
      id: r.id,
      code: r.code,
      ...(r.weight_kg === null ? {} : { weightKg: r.weight_kg }),
      ...(r.birth_year === null ? {} : { birthYear: r.birth_year }),
    };
  }

  /** Finds a patient by its pseudonymous code or numeric id given as text. */
  findPatient(codeOrId: string): PatientFacts {
    const r = this.db.prepare('SELECT id FROM patients WHERE code = ?').pluck().get(codeOrId) as
      number | undefined;
    if (r !== undefined) return this.patient(r);
    if (/^\d+$/.test(codeOrId)) return this.patient(Number(codeOrId));
    throw new NotFoundError(`patient "${codeOrId}"`);
  }

  /** Dose entries of a patient in time order (deleted entries left out), optionally within [fromMs, toMs]. */
  listDoses(patientId: number, fromMs = -Infinity, toMs = Infinity): DoseRow[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM dose_events WHERE patient_id = ? AND deleted = 0 AND time_ms >= ? AND time_ms <= ? ORDER BY time_ms, id',
        )
        .all(patientId, fromMs, toMs) as DoseDbRow[]
    ).map(doseFromRow);
  }

  /** The last pump rate change at or before `timeMs` (it stays in force until the next one). */
  lastRateChange(patientId: number, timeMs: number): DoseRow | undefined {
    const r = this.db
      .prepare(
        "SELECT * FROM dose_events WHERE patient_id = ? AND deleted = 0 AND kind = 'rate_change' AND status = 'taken' AND time_ms <= ? ORDER BY time_ms DESC, id DESC LIMIT 1",
      )
      .get(patientId, timeMs) as DoseDbRow | undefined;
    return r && doseFromRow(r);
  }

  getDose(id: number): DoseRow {
    const r = this.db.prepare('SELECT * FROM dose_events WHERE id = ? AND deleted = 0').get(id) as
      DoseDbRow | undefined;
    if (!r) throw new NotFoundError(`dose entry ${id}`);
    return doseFromRow(r);
  }

  private audit(
    doseId: number,
    patientId: number,
    action: DoseAuditRow['action'],
    actor: string,
    oldValue: DoseInput | null,
    newValue: DoseInput | null,
    reason?: string,
  ): void {
    this.db
      .prepare(
        'INSERT INTO dose_audit (dose_event_id, patient_id, action, changed_by, changed_at, old_json, new_json, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        doseId,
        patientId,
        action,
        actor,
        this.now().toISOString(),
        oldValue && JSON.stringify(oldValue),
        newValue && JSON.stringify(newValue),
        reason ?? null,
      );
  }

  private insert(patientId: number, d: DoseInput, actor: string): DoseRow {
    const stamp = this.now().toISOString();
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO dose_events (patient_id, time_ms, route, kind, amount, unit, status, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(patientId, d.timeMs, d.route, d.kind, d.amount, d.unit, d.status, d.note ?? null, stamp, stamp)
        .lastInsertRowid,
    );
    this.audit(id, patientId, 'create', actor, null, inputOf(d));
    return this.getDose(id);
  }

  /** Adds entries in one transaction (all or none), each with its `create` audit row. */
  addDoses(
    patientId: number,
    doses: readonly DoseInput[],
    actor: string,
    onChanged?: DoseLogChanged,
  ): DoseRow[] {
    return this.db
      .transaction(() => {
        this.patient(patientId);
        const rows = doses.map((d) => this.insert(patientId, d, actor));
        if (onChanged && rows.length > 0) onChanged(patientId, ...unionSpan(rows.map(affectedSpan)));
        return rows;
      })
      .immediate();
  }

  /** Changes an entry; the audit row keeps the old and new values and who changed it. */
  updateDose(
    id: number,
    patch: Partial<DoseInput>,
    actor: string,
    reason?: string,
    onChanged?: DoseLogChanged,
  ): DoseRow {
    return this.db
      .transaction(() => {
        const old = this.getDose(id);
        const next: DoseInput = inputOf({ ...old, ...patch });
        this.db
          .prepare(
            'UPDATE dose_events SET time_ms = ?, route = ?, kind = ?, amount = ?, unit = ?, status = ?, note = ?, updated_at = ? WHERE id = ?',
          )
          .run(
            next.timeMs,
            next.route,
            next.kind,
            next.amount,
            next.unit,
            next.status,
            next.note ?? null,
            this.now().toISOString(),
            id,
          );
        this.audit(id, old.patientId, 'update', actor, inputOf(old), next, reason);
        onChanged?.(old.patientId, ...unionSpan([affectedSpan(old), affectedSpan(next)]));
        return this.getDose(id);
      })
      .immediate();
  }

  /** Removes an entry from the log; the row stays (flagged deleted) so its audit trail survives. */
  deleteDose(id: number, actor: string, reason?: string, onChanged?: DoseLogChanged): void {
    this.db
      .transaction(() => {
        const old = this.getDose(id);
        this.db
          .prepare('UPDATE dose_events SET deleted = 1, updated_at = ? WHERE id = ?')
          .run(this.now().toISOString(), id);
        this.audit(id, old.patientId, 'delete', actor, inputOf(old), null, reason);
        onChanged?.(old.patientId, ...affectedSpan(old));
      })
      .immediate();
  }

  /** Audit rows of a patient (or one entry), oldest first. */
  auditTrail(patientId: number, doseEventId?: number): DoseAuditRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM dose_audit WHERE patient_id = ? ${doseEventId === undefined ? '' : 'AND dose_event_id = ?'} ORDER BY id`,
      )
      .all(...(doseEventId === undefined ? [patientId] : [patientId, doseEventId])) as {
      id: number;
      dose_event_id: number;
      action: DoseAuditRow['action'];
      changed_by: string;
      changed_at: string;
      old_json: string | null;
      new_json: string | null;
      reason: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      doseEventId: r.dose_event_id,
      action: r.action,
      changedBy: r.changed_by,
      changedAt: r.changed_at,
      oldValue: r.old_json === null ? null : (JSON.parse(r.old_json) as DoseInput),
      newValue: r.new_json === null ? null : (JSON.parse(r.new_json) as DoseInput),
      ...(r.reason === null ? {} : { reason: r.reason }),
    }));
  }

  addRegimen(r: Omit<RegimenRow, 'id'>, onChanged?: DoseLogChanged): RegimenRow {
    return this.db
      .transaction(() => {
        this.patient(r.patientId);
        const id = Number(
          this.db
            .prepare(
              'INSERT INTO regimens (patient_id, amount_mg, times_local_json, start_ms, end_ms, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              r.patientId,
              r.amountMg,
              JSON.stringify(r.timesLocal),
              r.startMs,
              r.endMs ?? null,
              r.note ?? null,
              this.now().toISOString(),
            ).lastInsertRowid,
        );
        onChanged?.(r.patientId, r.startMs - H48, r.endMs === undefined ? Infinity : r.endMs + H48);
        return { ...r, id };
      })
      .immediate();
  }

  listRegimens(patientId: number): RegimenRow[] {
    const rows = this.db
      .prepare('SELECT * FROM regimens WHERE patient_id = ? ORDER BY start_ms, id')
      .all(patientId) as {
      id: number;
      patient_id: number;
      amount_mg: number;
      times_local_json: string;
      start_ms: number;
      end_ms: number | null;
      note: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      amountMg: r.amount_mg,
      timesLocal: JSON.parse(r.times_local_json) as string[],
      startMs: r.start_ms,
      ...(r.end_ms === null ? {} : { endMs: r.end_ms }),
      ...(r.note === null ? {} : { note: r.note }),
    }));
  }

  addSideEffect(s: Omit<SideEffectRow, 'id'>): SideEffectRow {
    this.patient(s.patientId);
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO side_effects (patient_id, time_ms, kind, severity, note, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(s.patientId, s.timeMs, s.kind, s.severity, s.note ?? null, this.now().toISOString())
        .lastInsertRowid,
    );
    return { ...s, id };
  }

  listSideEffects(patientId: number): SideEffectRow[] {
    const rows = this.db
      .prepare('SELECT * FROM side_effects WHERE patient_id = ? ORDER BY time_ms, id')
      .all(patientId) as {
      id: number;
      patient_id: number;
      time_ms: number;
      kind: SideEffectKind;
      severity: SideEffectSeverity;
      note: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      timeMs: r.time_ms,
      kind: r.kind,
      severity: r.severity,
      ...(r.note === null ? {} : { note: r.note }),
    }));
  }

  /** Stored PK settings, or undefined when the patient has none yet (callers use §6.2 defaults). */
  pkSettings(patientId: number): PkSettingsRow | undefined {
    const r = this.db.prepare('SELECT * FROM patient_pk_settings WHERE patient_id = ?').get(patientId) as
      | {
          patient_id: number;
          age_group: 'child' | 'adult';
          half_life_h: number;
          tmax_h: number;
          time_zone: string;
          absolute_mode: number;
          ke0_per_h: number | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      patientId: r.patient_id,
      ageGroup: r.age_group,
      halfLifeH: r.half_life_h,
      tmaxH: r.tmax_h,
      timeZone: r.time_zone,
      absoluteMode: r.absolute_mode === 1,
      ...(r.ke0_per_h === null ? {} : { ke0PerH: r.ke0_per_h }),
    };
  }

  setPkSettings(s: PkSettingsRow, onChanged?: DoseLogChanged): void {
    this.db
      .transaction(() => {
        this.patient(s.patientId);
        this.db
          .prepare(
            `INSERT INTO patient_pk_settings (patient_id, age_group, half_life_h, tmax_h, time_zone, absolute_mode, ke0_per_h, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (patient_id) DO UPDATE SET age_group = excluded.age_group, half_life_h = excluded.half_life_h,
             tmax_h = excluded.tmax_h, time_zone = excluded.time_zone, absolute_mode = excluded.absolute_mode,
             ke0_per_h = excluded.ke0_per_h, updated_at = excluded.updated_at`,
          )
          .run(
            s.patientId,
            s.ageGroup,
            s.halfLifeH,
            s.tmaxH,
            s.timeZone,
            s.absoluteMode ? 1 : 0,
            s.ke0PerH ?? null,
            this.now().toISOString(),
          );
        onChanged?.(s.patientId, -Infinity, Infinity);
      })
      .immediate();
  }

  /** Sessions of a patient starting within [fromMs, toMs], in time order. */
  sessionsOf(patientId: number, fromMs = -Infinity, toMs = Infinity): { id: number; startTimeMs: number }[] {
    return this.db
      .prepare(
        `SELECT id, start_time_ms AS startTimeMs FROM sessions s
          WHERE patient_id = ? AND start_time_ms >= ? AND start_time_ms <= ? AND ${sessionInUse('s')}
          ORDER BY start_time_ms`,
      )
      .all(patientId, fromMs, toMs) as { id: number; startTimeMs: number }[];
  }

  /** Patient and start of a session. */
  session(sessionId: number): { id: number; patientId: number | null; startTimeMs: number } {
    const r = this.db
      .prepare(
        `SELECT id, patient_id AS patientId, start_time_ms AS startTimeMs FROM sessions s
          WHERE id = ? AND ${sessionInUse('s')}`,
      )
      .get(sessionId) as { id: number; patientId: number | null; startTimeMs: number } | undefined;
    if (!r) throw new NotFoundError(`session ${sessionId}`, deletedSessionWords(this.db, sessionId));
    return r;
  }

  writeSessionContext(c: SessionDoseContextRow): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO session_dose_context (session_id, route, phase, hours_since_dose, hours_to_next_dose, c_rel,
           c_rel_p10, c_rel_p90, daily_dose_mg, daily_dose_mg_per_kg, itb_daily_ug, hours_since_rate_change,
           is_equilibrating, context_json, computed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.sessionId,
        c.route,
        c.phase,
        c.hoursSinceDose ?? null,
        c.hoursToNextDose ?? null,
        c.cRel ?? null,
        c.cRelP10 ?? null,
        c.cRelP90 ?? null,
        c.dailyDoseMg ?? null,
        c.dailyDoseMgPerKg ?? null,
        c.itbDailyUg ?? null,
        c.hoursSinceRateChange ?? null,
        c.isEquilibrating === undefined ? null : c.isEquilibrating ? 1 : 0,
        JSON.stringify(c.context),
        c.computedAt,
      );
  }

  sessionContext(sessionId: number): SessionDoseContextRow | undefined {
    const r = this.db.prepare('SELECT * FROM session_dose_context WHERE session_id = ?').get(sessionId) as
      | {
          session_id: number;
          route: string;
          phase: string;
          hours_since_dose: number | null;
          hours_to_next_dose: number | null;
          c_rel: number | null;
          c_rel_p10: number | null;
          c_rel_p90: number | null;
          daily_dose_mg: number | null;
          daily_dose_mg_per_kg: number | null;
          itb_daily_ug: number | null;
          hours_since_rate_change: number | null;
          is_equilibrating: number | null;
          context_json: string;
          computed_at: string;
        }
      | undefined;
    if (!r) return undefined;
    const row: SessionDoseContextRow = {
      sessionId: r.session_id,
      route: r.route,
      phase: r.phase,
      context: JSON.parse(r.context_json) as Record<string, unknown>,
      computedAt: r.computed_at,
    };
    const optional: [keyof SessionDoseContextRow, number | null][] = [
      ['hoursSinceDose', r.hours_since_dose],
      ['hoursToNextDose', r.hours_to_next_dose],
      ['cRel', r.c_rel],
      ['cRelP10', r.c_rel_p10],
      ['cRelP90', r.c_rel_p90],
      ['dailyDoseMg', r.daily_dose_mg],
      ['dailyDoseMgPerKg', r.daily_dose_mg_per_kg],
      ['itbDailyUg', r.itb_daily_ug],
      ['hoursSinceRateChange', r.hours_since_rate_change],
    ];
    for (const [k, v] of optional) if (v !== null) (row as unknown as Record<string, number>)[k] = v;
    const eq = undef(r.is_equilibrating);
    if (eq !== undefined) row.isEquilibrating = eq === 1;
    return row;
  }
}
