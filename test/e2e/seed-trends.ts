import { mkdirSync } from 'node:fs';
import { createTonusApp } from '../../src/app/tonus-app.js';
import { seededRandom } from '../../src/dosing/random.js';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/api-contract.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { createSession, finishSession } from '../../src/storage/sessions.node.js';
import { TrendRepository, type SessionIndicatorInput } from '../../src/storage/trend-repository.node.js';

/** The seeded patient's pseudonymous code. */
export const SEEDED_PATIENT = 'TR-001';
/** Indicators seeded for the left gastrocnemius; `rmsHV` also for the right one. */
export const SEEDED_INDICATORS = ['rmsHV', 'deltaRms', 'aoc', 'romSlow'] as const;
/** Visits (one pre-dose trough and one post-dose peak session each) over six weeks. */
export const SEEDED_VISITS = 10;
/** From this visit (0-based) on, `deltaRms` comes from algorithm version 2: a separate line and baseline. */
export const ALGORITHM_CHANGE_VISIT = 6;
/** The day (0-based) the oral dose goes up from 5 mg to 7.5 mg TID. */
export const DOSE_INCREASE_DAY = 21;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-09-01T00:00Z: the first day of the seeded six weeks (fixed, so screenshots are reproducible). */
const FIRST_DAY_MS = Date.UTC(2026, 8, 1);
const DOSE_CLOCK_H = [8, 14, 20] as const;
/** Hours after the 14:00 dose of the post-dose sessions, cycling: clustered around 1–2 h as in clinic. */
const POST_DOSE_H = [1.2, 1.6, 1.3, 1.8, 1.1, 1.7, 1.4, 2.2, 1.25, 1.9];

/**
 * Seeds `dataDir` (created if missing) before the server starts, through the app's own code: a patient with
 * UTC PK settings, two oral regimens (5 mg TID, then 7.5 mg TID from day 21) and their taken doses, one
 * side effect, 20 passive-stretch sessions on 10 visits (pre-dose trough at 13:30, post-dose peak after the
 * 14:00 dose) and their indicators in `session_indicators` (`deltaRms` with an algorithm change). Values follow a realistic pattern: EMG
 * responses lower after a dose and after the increase, with seeded noise.
 */
export async function seedTrends(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const app = createTonusApp({ dataDir });
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const r = await dispatch(app.handlers, method, input);
    if (!r.ok) throw new Error(`seeding ${method} failed: ${r.error.message} (${r.error.where ?? ''})`);
    return r.value as MethodOutput<M>;
  };
  try {
    const patient = await call('createPatient', {
      code: SEEDED_PATIENT,
      birthYear: 2016,
      gmfcsLevel: 2,
      affectedSide: 'bilateral',
      weightKg: 24,
    });
    await call('setPkSettings', {
      patient: SEEDED_PATIENT,
      ageGroup: 'child',
      halfLifeH: 4.5,
      tmaxH: 1,
      timeZone: 'UTC',
      absoluteMode: false,
    });
    const increaseMs = FIRST_DAY_MS + DOSE_INCREASE_DAY * DAY;
    await call('addRegimen', {
      patient: SEEDED_PATIENT,
      text: '5 mg at 08:00, 14:00, 20:00',
      startMs: FIRST_DAY_MS,
      endMs: increaseMs,
    });
    await call('addRegimen', {
      patient: SEEDED_PATIENT,
      text: '7.5 mg at 08:00, 14:00, 20:00',
      startMs: increaseMs,
    });

    const rng = seededRandom(11);
    const repo = new TrendRepository(app.db);
    const sessionIds: number[] = [];
    for (let visit = 0; visit < SEEDED_VISITS; visit++) {
      const dayMs = FIRST_DAY_MS + Math.round(visit * 4.3) * DAY;
      const higherDose = dayMs >= increaseMs;
      const postH = POST_DOSE_H[visit] as number;
      const sessions = [
        { startMs: dayMs + 13.5 * HOUR, relief: 0 },
        { startMs: dayMs + (14 + postH) * HOUR, relief: Math.exp(-((postH - 1.5) ** 2) / 0.8) },
      ];
      for (const s of sessions) {
        for (const side of ['left', 'right'] as const) {
          const id = createSession(app.db, {
            patientId: patient.id,
            protocol: 'passive-stretch',
            muscle: 'gastrocnemius',
            side,
            deviceId: 'synthetic',
            deviceName: 'Demo device',
            origin: 'live',
            startTimeMs: s.startMs + (side === 'left' ? 0 : 10 * 60_000),
            streams: [],
          });
          finishSession(app.db, id, 'complete', s.startMs + (side === 'left' ? 8 : 18) * 60_000);
          sessionIds.push(id);
          // Tone: higher on the left (more affected), lower after a dose and on the higher dose.
          const tone = (side === 'left' ? 1 : 0.7) * (higherDose ? 0.82 : 1) * (1 - 0.28 * s.relief);
          const common = { muscle: 'gastrocnemius', side, protocol: 'passive-stretch', n: 5 };
          const rows: Omit<SessionIndicatorInput, 'sessionId'>[] = [
            {
              ...common,
              indicatorId: 'rmsHV',
              value: 92 * tone + 3 * rng.normal(),
              unit: 'uV',
              cv: 0.12,
              algorithmVersion: 'passive-stretch/1',
            },
          ];
          if (side === 'left')
            rows.push(
              {
                ...common,
                indicatorId: 'deltaRms',
                value: 61 * tone + (visit >= ALGORITHM_CHANGE_VISIT ? 9 : 0) + 2.5 * rng.normal(),
                unit: 'uV',
                cv: 0.18,
                algorithmVersion: visit >= ALGORITHM_CHANGE_VISIT ? 'passive-stretch/2' : 'passive-stretch/1',
              },
              {
                ...common,
                indicatorId: 'aoc',
                value: 62 + 22 * (1 - tone) + 1.5 * rng.normal(),
                unit: 'deg',
                cv: 0.06,
                algorithmVersion: 'passive-stretch/1',
              },
              {
                ...common,
                indicatorId: 'romSlow',
                value: 104 + 6 * (1 - tone) + 1.2 * rng.normal(),
                unit: 'deg',
                cv: 0.03,
                algorithmVersion: 'passive-stretch/1',
              },
            );
          repo.putIndicators(rows.map((r) => ({ ...r, sessionId: id })));
        }
      }
    }

    const doses: MethodInput<'addDoses'>['doses'] = [];
    for (let day = -1; day < 42; day++)
      for (const clockH of DOSE_CLOCK_H)
        doses.push({
          timeMs: FIRST_DAY_MS + day * DAY + clockH * HOUR,
          route: 'oral',
          kind: 'scheduled',
          amount: day >= DOSE_INCREASE_DAY ? 7.5 : 5,
          unit: 'mg',
          status: 'taken',
        });
    await call('addDoses', { patient: SEEDED_PATIENT, doses, actor: 'e2e-seed' });
    await call('addSideEffect', {
      patient: SEEDED_PATIENT,
      timeMs: increaseMs + 2 * DAY + 15 * HOUR,
      kind: 'drowsiness',
      severity: 'mild',
      note: 'Sleepy in the afternoon after the increase',
    });
    for (const sessionId of sessionIds) await call('getSessionDoseContext', { sessionId, recompute: true });
  } finally {
    await app.close();
  }
}
