import { z } from 'zod';
import { EmptyInput, EmptyOutput } from '../schemas.js';

const Entity = z.enum(['patient', 'session']);

/** A patient or session deleted and kept for undo until `purgeAtMs` (30 days after the delete). */
export const DeletedItemSchema = z.object({
  entity: Entity,
  id: z.number().int().positive(),
  deletedAtMs: z.number(),
  /** What it was, in words. */
  description: z.string(),
  /** A session's start (the screen writes it with its one date formatter); null for a patient. */
  sessionStartMs: z.number().nullable(),
  purgeAtMs: z.number(),
});
export type DeletedItem = z.infer<typeof DeletedItemSchema>;

const Target = z.object({ entity: Entity, id: z.number().int().positive() }).strict();

/**
 * Delete with undo: a deleted patient (with its sessions) or session is hidden at once, kept 30 days for
 * undo, then purged; every delete, undo and purge is audited. A session being recorded cannot be deleted.
 */
export const deletionMethods = {
  deleteItem: { input: Target, output: DeletedItemSchema },
  undoDelete: { input: Target, output: EmptyOutput },
  listDeleted: { input: EmptyInput, output: z.array(DeletedItemSchema) },
} as const;
