import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTonusApp } from '../../src/app/tonus-app.js';
import { dispatch } from '../../src/shared/dispatch.js';
import { createSession, finishSession } from '../../src/storage/sessions.node.js';
import { TrendRepository } from '../../src/storage/trend-repository.node.js';
import { openShell, type ShellUnderTest } from './harness.js';

const PATIENT = 'MDC-001';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-10-01T09:00Z: the first session. */
const FIRST_MS = Date.UTC(2026, 9, 1, 9);
/**
 * Range at slow stretch: six visits with two sessions 20 min apart each (differences 2, 1, 3, 0, 2, 1 °:
 * within-pair sum of squares 9.5 over 6 degrees of freedom). Angle of catch: the same days, one session each
 * but the first two, which are pairs: too few repeats, so its MDC95 is the published one.
 */
const ROM_PAIRS = [
  [100, 102],
  [104, 105],
  [101, 104],
  [103, 103],
  [99, 101],
  [102, 103],
] as const;

/** One patient without doses; values are stored through the app's own repository. */
async function seedRepeats(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const app = createTonusApp({ dataDir });
  try {
    const r = await dispatch(app.handlers, 'createPatient', {
      code: PATIENT,
      birthYear: 2015,
      gmfcsLevel: 2,
      affectedSide: 'left',
      weightKg: 26,
    });
    if (!r.ok) throw new Error(r.error.message);
    const patientId = (r.value as { id: number }).id;
    const repo = new TrendRepository(app.db);
    ROM_PAIRS.forEach((pair, day) =>
      pair.forEach((rom, k) => {
        const startMs = FIRST_MS + day * DAY + k * 20 * 60_000;
        const id = createSession(app.db, {
          patientId,
          protocol: 'passive-stretch',
          muscle: 'gastrocnemius',
          side: 'left',
          deviceId: 'synthetic',
          deviceName: 'Demo device',
          origin: 'live',
          startTimeMs: startMs,
          streams: [],
        });
        finishSession(app.db, id, 'complete', startMs + 10 * 60_000);
        const common = {
          sessionId: id,
          muscle: 'gastrocnemius',
          side: 'left' as const,
          protocol: 'passive-stretch',
          n: 3,
          unit: 'deg',
          algorithmVersion: 'passive-stretch/1',
        };
        repo.putIndicators([
          { ...common, indicatorId: 'romSlow', value: rom },
          ...(k === 0 || day < 2 ? [{ ...common, indicatorId: 'aoc', value: rom - 30 - k }] : []),
        ]);
      }),
    );
  } finally {
    await app.close();
  }
}

describe('the smallest real change on the Trends screen says where it comes from', () => {
  let shell: ShellUnderTest;
  beforeAll(async () => {
    shell = await openShell({ width: 1440, height: 900 }, seedRepeats);
  });
  afterAll(async () => {
    await shell?.close();
  });

  it("from the patient's own repeated sessions, or from a published value named by author and year", async () => {
    const { page } = shell;
    await page.getByRole('link', { name: 'Trends' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Trends');
    await page.getByLabel('Patient').selectOption(PATIENT);
    await expect.poll(() => page.getByLabel('Indicator').locator('option').count()).toBe(2);

    const smallest = page.getByRole('list', { name: 'Smallest real change' });
    await page.getByLabel('Indicator').selectOption('romSlow');
    // SEM √(9.5 / 6) °, MDC95 = 1.96·√2·SEM = 3.49 °.
    await expect
      .poll(() => smallest.textContent())
      .toMatch(
        /^Smallest real change for this patient: 3\.49 ° \(95 % interval [\d.]+–[\d.]+ °\), from 12 of their own repeated sessions \(6 repeats: /,
      );
    await expect
      .poll(() =>
        page.getByText(/^Baseline ± MDC95, .*MDC95 from this patient's own repeated sessions/).count(),
      )
      .toBeGreaterThan(0);

    await page.getByLabel('Indicator').selectOption('aoc');
    // Choi et al. 2018: 3.2 ° → MDC95 8.87 °.
    await expect
      .poll(() => smallest.textContent())
      .toMatch(
        /^Smallest real change: 8\.87 ° \(published value, Choi et al\. 2018: .*\)\. This patient has 2 of the 5 repeats needed to use their own/,
      );
    await expect
      .poll(() => page.getByText(/The MDC95 comes from a published value \(Choi et al\. 2018\)/).count())
      .toBeGreaterThan(0);
  });
});
