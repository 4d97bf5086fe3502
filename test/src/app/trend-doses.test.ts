import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import type { MethodInput, MethodName, MethodOutput } from '../../../src/shared/api-contract.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { createSession, finishSession } from '../../../src/storage/sessions.node.js';
import { TrendRepository } from '../../../src/storage/trend-repository.node.js';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 2, 2);

let app: TonusApp;
beforeEach(() => {
  app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-trend-doses-')) });
});
afterEach(async () => {
  await app.close();
});

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await dispatch(app.handlers, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as MethodOutput<M>;
}

describe('doses of a trend', () => {
  it('lists the doses between the sessions and those of the day before the first session', async () => {
    const patient = await call('createPatient', { code: 'TD-1' });
    await call('setPkSettings', {
      patient: 'TD-1',
      ageGroup: 'child',
      halfLifeH: 4.5,
      tmaxH: 1,
      timeZone: 'UTC',
      absoluteMode: false,
    });
    const repo = new TrendRepository(app.db);
    for (const startMs of [DAY0 + 9.5 * H, DAY0 + 24 * H + 9.5 * H]) {
      const id = createSession(app.db, {
        patientId: patient.id,
        protocol: 'passive-stretch-fast',
        muscle: 'gastrocnemius',
        side: 'left',
        deviceId: 'synthetic',
        deviceName: 'Demo device',
        origin: 'live',
        startTimeMs: startMs,
        streams: [],
      });
      finishSession(app.db, id, 'complete', startMs + 5 * 60_000);
      repo.putIndicators([
        {
          sessionId: id,
          indicatorId: 'rmsHV',
          value: 40,
          unit: 'uV',
          n: 3,
          algorithmVersion: 'passive-stretch/1.0.0',
          muscle: 'gastrocnemius',
          side: 'left',
          protocol: 'passive-stretch-fast',
        },
      ]);
    }
    const dose = (timeMs: number) => ({
      timeMs,
      route: 'oral' as const,
      kind: 'scheduled' as const,
      amount: 5,
      unit: 'mg' as const,
    });
    await call('addDoses', {
      patient: 'TD-1',
      actor: 'test',
      doses: [
        dose(DAY0 - 3 * 24 * H + 8 * H),
        dose(DAY0 + 8 * H),
        dose(DAY0 + 20 * H),
        dose(DAY0 + 2 * 24 * H),
      ],
    });
    const trend = await call('getTrend', { patient: 'TD-1', indicator: 'rmsHV' });
    expect(trend.doseEvents.map((d) => d.timeMs)).toEqual([DAY0 + 8 * H, DAY0 + 20 * H]);
    // The first session is drawn after its dose: the chart and table have the dose that gives it its phase.
    expect(trend.lines.flatMap((l) => l.points).find((p) => p.startTimeMs === DAY0 + 9.5 * H)?.phase).toBe(
      'peak',
    );
  });
});
