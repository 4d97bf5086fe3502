import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../src/storage/database.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';

/** A fresh database file in a temp folder, at the latest schema. */
export const tempDbFile = (): string => join(mkdtempSync(join(tmpdir(), 'tonus-dose-')), 'tonus.sqlite');

/** Inserts a patient and returns its id. */
export function addPatient(db: Db, code = 'P-001', weightKg: number | null = 20): number {
  const now = '2026-01-01T00:00:00Z';
  return Number(
    db
      .prepare(
        'INSERT INTO patients (code, birth_year, weight_kg, created_at, updated_at) VALUES (?, 2016, ?, ?, ?)',
      )
      .run(code, weightKg, now, now).lastInsertRowid,
  );
}

/** Inserts a complete session of `patientId` starting at `startMs` and returns its id. */
export function addSession(
  db: Db,
  patientId: number,
  startMs: number,
  muscle = 'gastrocnemius',
  side = 'left',
  protocol = 'passive-stretch',
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sessions (patient_id, protocol, muscle, side, device_id, device_name, origin, start_time_ms, end_time_ms, status, streams_json, created_at)
         VALUES (?, ?, ?, ?, 'synthetic', 'Demo', 'live', ?, ?, 'complete', '[]', '2026-01-01T00:00:00Z')`,
      )
      .run(patientId, protocol, muscle, side, startMs, startMs + 600_000).lastInsertRowid,
  );
}

export const openTemp = (): Db => openDatabase(tempDbFile());
