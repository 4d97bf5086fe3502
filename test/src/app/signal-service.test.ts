import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import type { SignalTrace } from '../../../src/shared/api/signal-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';

const fixture = (name: string): string => join(packageRoot(), 'fixtures', name);

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error?.message);
  return r.value as T;
}

interface StretchEvent {
  kind: string;
  startS: number;
  endS: number | null;
  values: { catchTimeS?: number; aocDeg?: number; peakVelDegS?: number };
}

/** Value of a trace at the column nearest `tS` (mid of its min and max). */
const at = (t: SignalTrace, tS: number): number => {
  let best = 0;
  t.timesS.forEach((x, i) => {
    if (Math.abs(x - tS) < Math.abs((t.timesS[best] ?? 0) - tS)) best = i;
  });
  return ((t.min[best] ?? NaN) + (t.max[best] ?? NaN)) / 2;
};

describe('getSessionTraces', () => {
  it('gives angle, velocity and EMG envelope around a stretch, decimated, with the catch on the angle', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-signal-')) });
    try {
      const session = await ok<{ id: number }>(
        dispatch(app.handlers, 'importRecordingFile', {
          path: fixture('demo-passive-stretch.bdf'),
          protocol: 'passive-stretch-fast',
        }),
      );
      await app.analyses.idle();
      const analysis = await ok<{ events: StretchEvent[] }>(
        dispatch(app.handlers, 'getSessionAnalysis', { sessionId: session.id }),
      );
      const stretch = analysis.events.find((e) => e.kind === 'stretch' && e.values.catchTimeS !== undefined);
      expect(stretch).toBeDefined();
      const ev = stretch as StretchEvent;
      const fromS = ev.startS - 1;
      const toS = (ev.endS ?? ev.startS) + 1;
      const out = await ok<{ traces: SignalTrace[] }>(
        dispatch(app.handlers, 'getSessionTraces', { sessionId: session.id, fromS, toS, maxPoints: 200 }),
      );
      expect(out.traces.map((t) => t.id)).toEqual(['angle', 'velocity', 'envelope']);
      for (const t of out.traces) {
        expect(t.timesS.length).toBeGreaterThan(10);
        expect(t.timesS.length).toBeLessThanOrEqual(200);
        expect(t.min).toHaveLength(t.timesS.length);
        expect(t.max).toHaveLength(t.timesS.length);
        expect(t.timesS[0]).toBeGreaterThanOrEqual(fromS - 0.01);
        expect(t.timesS[t.timesS.length - 1]).toBeLessThanOrEqual(toS + 0.01);
        t.timesS.forEach((x, i) => i > 0 && expect(x).toBeGreaterThan(t.timesS[i - 1] as number));
        t.min.forEach((m, i) => expect(m).toBeLessThanOrEqual(t.max[i] as number));
      }
      const [angle, velocity, envelope] = out.traces as [SignalTrace, SignalTrace, SignalTrace];
      // The drawn angle passes through the angle of catch the analysis reported, at the catch time.
      expect(at(angle, ev.values.catchTimeS as number)).toBeCloseTo(ev.values.aocDeg as number, 0);
      // The stretch is the fast part: the peak velocity is inside the event, not in the quiet margin.
      const peak = Math.max(...velocity.max.map(Math.abs), ...velocity.min.map(Math.abs));
      expect(peak).toBeGreaterThan(0.5 * Math.abs(ev.values.peakVelDegS ?? 0));
      expect(Math.max(...envelope.max)).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('never sends more than 2000 columns, and refuses an empty window or an unknown session', async () => {
    const app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-signal-')) });
    try {
      const session = await ok<{ id: number }>(
        dispatch(app.handlers, 'importRecordingFile', { path: fixture('demo-passive-stretch.bdf') }),
      );
      const whole = await ok<{ traces: SignalTrace[] }>(
        dispatch(app.handlers, 'getSessionTraces', {
          sessionId: session.id,
          fromS: 0,
          toS: 1e6,
          maxPoints: 2000,
        }),
      );
      const envelope = whole.traces.find((t) => t.id === 'envelope');
      expect(envelope?.timesS.length).toBeGreaterThan(1000);
      expect(envelope?.timesS.length).toBeLessThanOrEqual(2000);
      expect(
        await dispatch(app.handlers, 'getSessionTraces', {
          sessionId: session.id,
          fromS: 0,
          toS: 1,
          maxPoints: 5000,
        }),
      ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(
        await dispatch(app.handlers, 'getSessionTraces', { sessionId: session.id, fromS: 2, toS: 1 }),
      ).toMatchObject({ ok: false, error: { code: 'invalid-input', where: 'toS' } });
      expect(
        await dispatch(app.handlers, 'getSessionTraces', { sessionId: 999, fromS: 0, toS: 1 }),
      ).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
    } finally {
      await app.close();
    }
  });
});
