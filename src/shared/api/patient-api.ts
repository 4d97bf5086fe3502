import { z } from 'zod';
import { EmptyInput } from '../schemas.js';

export const AffectedSideSchema = z.enum(['left', 'right', 'bilateral', 'none']);
export type AffectedSide = z.infer<typeof AffectedSideSchema>;

/** What a patient record holds. Pseudonymous: `code` is the only identifier; no names are stored. */
export const PatientFieldsSchema = z.object({
  /** Pseudonymous code chosen by the clinic, unique, e.g. `P-014`. */
  code: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'A patient code holds letters, digits, dot, dash or underscore only.'),
  birthYear: z.number().int().min(1900).max(2100).nullable(),
  /** Gross Motor Function Classification System level, 1 to 5. */
  gmfcsLevel: z.number().int().min(1).max(5).nullable(),
  affectedSide: AffectedSideSchema.nullable(),
  weightKg: z.number().positive().max(500).nullable(),
  note: z.string().max(2000).nullable(),
});

export const PatientSchema = PatientFieldsSchema.extend({
  id: z.number().int().positive(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Patient = z.infer<typeof PatientSchema>;

export const NewPatientSchema = PatientFieldsSchema.partial().required({ code: true }).strict();
export type NewPatient = z.infer<typeof NewPatientSchema>;

export const PatientPatchSchema = PatientFieldsSchema.partial().strict();
export type PatientPatch = z.infer<typeof PatientPatchSchema>;

/** Patients. */
export const patientMethods = {
  listPatients: { input: EmptyInput, output: z.array(PatientSchema) },
  createPatient: { input: NewPatientSchema, output: PatientSchema },
  updatePatient: {
    input: z.object({ id: z.number().int().positive(), patch: PatientPatchSchema }).strict(),
    output: PatientSchema,
  },
} as const;
