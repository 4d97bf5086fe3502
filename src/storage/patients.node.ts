import type { NewPatient, Patient, PatientPatch } from '../shared/api/patient-api.js';
import type { Db } from './database.node.js';
import { isoNow, statement } from './statements.node.js';
import { deletedPatientWords, patientInUse } from './visibility.node.js';

interface PatientRow {
  id: number;
  code: string;
  birth_year: number | null;
  gmfcs_level: number | null;
  affected_side: Patient['affectedSide'];
  weight_kg: number | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

const toPatient = (r: PatientRow): Patient => ({
  id: r.id,
  code: r.code,
  birthYear: r.birth_year,
  gmfcsLevel: r.gmfcs_level,
  affectedSide: r.affected_side,
  weightKg: r.weight_kg,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Thrown when a patient code is already taken. */
export class DuplicatePatientCodeError extends Error {
  constructor(
    readonly code: string,
    detail?: string,
  ) {
    super(detail ?? `A patient with code "${code}" already exists.`);
    this.name = 'DuplicatePatientCodeError';
  }
}

/** Every patient not deleted, ordered by code. */
export function listPatients(db: Db): Patient[] {
  return (
    statement(db, `SELECT * FROM patients p WHERE ${patientInUse('p')} ORDER BY code`).all() as PatientRow[]
  ).map(toPatient);
}

export function getPatient(db: Db, id: number): Patient | undefined {
  const row = statement(db, `SELECT * FROM patients p WHERE id = ? AND ${patientInUse('p')}`).get(id) as
    PatientRow | undefined;
  return row && toPatient(row);
}

export function findPatientByCode(db: Db, code: string): Patient | undefined {
  const row = statement(db, `SELECT * FROM patients p WHERE code = ? AND ${patientInUse('p')}`).get(code) as
    PatientRow | undefined;
  return row && toPatient(row);
}

/**
 * Throws {@link DuplicatePatientCodeError} when `code` is taken, also by a deleted patient not yet purged (then
 * saying when it was deleted and how to undo that).
 */
function refuseTakenCode(db: Db, code: string): void {
  const row = statement(db, 'SELECT id FROM patients WHERE code = ?').get(code) as { id: number } | undefined;
  if (row) throw new DuplicatePatientCodeError(code, deletedPatientWords(db, row.id));
}

/** Inserts a patient. Throws {@link DuplicatePatientCodeError} when the code is taken. */
export function createPatient(db: Db, p: NewPatient): Patient {
  const now = isoNow();
  refuseTakenCode(db, p.code);
  const id = statement(
    db,
    `INSERT INTO patients (code, birth_year, gmfcs_level, affected_side, weight_kg, note, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    p.code,
    p.birthYear ?? null,
    p.gmfcsLevel ?? null,
    p.affectedSide ?? null,
    p.weightKg ?? null,
    p.note ?? null,
    now,
    now,
  ).lastInsertRowid;
  return getPatient(db, Number(id)) as Patient;
}

/** The patient with `code`, created with only its code when it does not exist yet. */
export function ensurePatient(db: Db, code: string): Patient {
  return db.transaction(() => findPatientByCode(db, code) ?? createPatient(db, { code })).immediate();
}

/**
 * Applies `patch` (only the fields present) to patient `id`; returns the updated patient, or undefined when
 * there is no such patient. Throws {@link DuplicatePatientCodeError} when renaming onto a taken code.
 */
export function updatePatient(db: Db, id: number, patch: PatientPatch): Patient | undefined {
  return db
    .transaction(() => {
      const current = getPatient(db, id);
      if (!current) return undefined;
      if (patch.code !== undefined && patch.code !== current.code) refuseTakenCode(db, patch.code);
      const next = { ...current, ...patch };
      statement(
        db,
        `UPDATE patients SET code = ?, birth_year = ?, gmfcs_level = ?, affected_side = ?, weight_kg = ?, note = ?,
       updated_at = ? WHERE id = ?`,
      ).run(
        next.code,
        next.birthYear,
        next.gmfcsLevel,
        next.affectedSide,
        next.weightKg,
        next.note,
        isoNow(),
        id,
      );
      return getPatient(db, id);
    })
    .immediate();
}
