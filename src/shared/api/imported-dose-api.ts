import { z } from 'zod';
import { DoseKindSchema, DoseRouteSchema, DoseUnitSchema } from './dosing-api.js';

/** A dose an imported file states (a `dose` marker of the session), and whether the dose log holds it. */
export const ImportedDoseSchema = z.object({
  markerId: z.number().int(),
  timeMs: z.number(),
  /** The annotation text, e.g. `Dose: Baclofen 10 mg PO`. */
  text: z.string(),
  route: DoseRouteSchema,
  kind: DoseKindSchema,
  amount: z.number(),
  unit: DoseUnitSchema,
  status: z.enum(['taken', 'missed']),
  /** True once an entry with the same time, amount, unit, route and status is in the patient's dose log. */
  inLog: z.boolean(),
});
export type ImportedDose = z.infer<typeof ImportedDoseSchema>;

export const ImportedDosesSchema = z.object({
  sessionId: z.number().int(),
  /** The patient the file names, whose dose log the doses belong to; null when the session has none. */
  patientCode: z.string().nullable(),
  doses: z.array(ImportedDoseSchema),
});
export type ImportedDoses = z.infer<typeof ImportedDosesSchema>;

/**
 * Doses found in an imported file wait for review: they are markers of the session until a person confirms
 * them into the dose log of the patient the file names.
 */
export const importedDoseMethods = {
  listImportedDoses: {
    input: z.object({ sessionId: z.number().int().positive() }).strict(),
    output: ImportedDosesSchema,
  },
  confirmImportedDoses: {
    input: z
      .object({
        sessionId: z.number().int().positive(),
        /** The doses to add to the log (by `markerId`); those already in it are left alone. */
        markerIds: z.array(z.number().int()).min(1),
        actor: z.string().trim().min(1).max(100),
      })
      .strict(),
    output: ImportedDosesSchema,
  },
} as const;
