import { z } from 'zod';
import { EmptyInput } from '../schemas.js';

/** Where this workstation syncs to (no secret: the password lives in the OS keychain or `.pgpass`). */
export const SyncServerSchema = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  database: z.string().min(1).max(63),
  /** The site's login role. */
  user: z.string().min(1).max(63),
  /** PEM file of the CA that signed the server's certificate; absent: the system's CAs. */
  caFile: z.string().max(4096).optional(),
});
export type SyncServer = z.infer<typeof SyncServerSchema>;

/** This workstation's sync state, for the Settings card. */
export const SyncStatusSchema = z.object({
  /** The server in words ("db.clinic.example:5432, database tonus, as tonus_north"); null: not set up. */
  server: z.string().nullable(),
  /** The site this workstation syncs as, once a sync has reached the server. */
  site: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  /** Changes recorded here and not yet on the server. */
  pending: z.number().int().min(0),
  /** Sessions recorded on other workstations whose signals are not (all) on this computer. */
  sessionsWithoutSignals: z.number().int().min(0),
  /** The last failure in words; null after a success. */
  error: z.string().nullable(),
  syncing: z.boolean(),
  /** Whether a password can be kept in the OS keychain here (the desktop app). */
  keychain: z.boolean(),
});
export type SyncStatusView = z.infer<typeof SyncStatusSchema>;

/** One group of the server's cohort aggregate (`tonus.cohort`): an indicator in one dose phase and C_rel band. */
export const CohortGroupSchema = z.object({
  phase: z.string(),
  cRelBand: z.string(),
  sessions: z.number().int(),
  patients: z.number().int(),
  sites: z.number().int(),
  mean: z.number(),
  sd: z.number().nullable(),
  median: z.number(),
  unit: z.string(),
});
export type CohortGroupView = z.infer<typeof CohortGroupSchema>;

export const syncMethods = {
  getSyncStatus: { input: EmptyInput, output: SyncStatusSchema },
  /** Syncs now (push, then pull) and answers the status after it; never waits on a recording. */
  syncNow: { input: EmptyInput, output: SyncStatusSchema },
  /** Sets the server; a password is stored only in the OS keychain (refused where there is none). */
  setSyncServer: {
    input: SyncServerSchema.extend({ password: z.string().min(1).max(1024).optional() }).strict(),
    output: SyncStatusSchema,
  },
  /** An indicator (catalogue id) by dose phase and C_rel across patients and sites, computed on the server. */
  getCohort: {
    input: z.object({ indicator: z.string().min(1).max(100) }).strict(),
    output: z.object({ indicator: z.string(), groups: z.array(CohortGroupSchema) }),
  },
} as const;
