import type { z } from 'zod';
import type { PatientGlanceSchema } from '../src/shared/api/dosing-api.js';
import type { DoseResponse, TherapyWindow, Trend } from './trends-format.js';
import { displayUnit, type AngleUnit } from './units.js';

type Glance = NonNullable<z.infer<typeof PatientGlanceSchema>['indicator']>;

/**
 * Trend answers in the chosen angle unit. The API gives an indicator's values in its stored unit (angles
 * in °, velocities in °/s); these copy an answer with every value of an angular indicator multiplied by the
 * factor of {@link displayUnit} and its points' `unit` replaced by the display text ("rad", "rad/s").
 * Differences, MDC95, spreads and slopes scale by the same factor (slopes stay per hour or per unit C_rel);
 * hours, C_rel, counts and judgements are untouched. Non-angular indicators and degrees are returned as is.
 */
export function trendInUnit(trend: Trend, angleUnit: AngleUnit): Trend {
  const unit = trend.lines[0]?.points[0]?.unit ?? '';
  const { factor, text } = displayUnit(unit, angleUnit);
  if (factor === 1) return trend;
  const k = (v: number): number => v * factor;
  const judged = <T extends { before: number; after: number; delta: number; mdc95: number }>(c: T): T => ({
    ...c,
    before: k(c.before),
    after: k(c.after),
    delta: k(c.delta),
    mdc95: k(c.mdc95),
  });
  return {
    ...trend,
    lines: trend.lines.map((l) => ({
      ...l,
      points: l.points.map((p) => ({ ...p, value: k(p.value), unit: text })),
    })),
    baselines: trend.baselines.map((b) => ({
      ...b,
      mean: k(b.mean),
      sem: k(b.sem),
      mdc95: k(b.mdc95),
      lower: k(b.lower),
      upper: k(b.upper),
    })),
    measurementErrors: trend.measurementErrors.map((m) => ({
      ...m,
      ...(m.sem === undefined ? {} : { sem: k(m.sem) }),
      ...(m.mdc95 === undefined ? {} : { mdc95: k(m.mdc95) }),
      ...(m.ciLow === undefined ? {} : { ciLow: k(m.ciLow) }),
      ...(m.ciHigh === undefined ? {} : { ciHigh: k(m.ciHigh) }),
    })),
    acrossVisits: trend.acrossVisits.map(judged),
    prePost: trend.prePost.map(judged),
  };
}

/** Dose–response answers with y (and the fit's slope and intercept) in the display unit of `unit`. */
export function responsesInUnit(
  responses: readonly DoseResponse[],
  unit: string,
  angleUnit: AngleUnit,
): DoseResponse[] {
  const { factor } = displayUnit(unit, angleUnit);
  if (factor === 1) return [...responses];
  return responses.map((r) => ({
    ...r,
    ...(r.fit ? { fit: { ...r.fit, slope: r.fit.slope * factor, intercept: r.fit.intercept * factor } } : {}),
    points: r.points.map((p) => ({ ...p, y: p.y * factor })),
  }));
}

/** Therapy-window answers with medians and interquartile ranges in the display unit of `unit`. */
export function windowsInUnit(
  windows: readonly TherapyWindow[],
  unit: string,
  angleUnit: AngleUnit,
): TherapyWindow[] {
  const { factor } = displayUnit(unit, angleUnit);
  if (factor === 1) return [...windows];
  return windows.map((w) => ({
    ...w,
    bestMedian: w.bestMedian * factor,
    iqrInBest: w.iqrInBest * factor,
    bins: w.bins.map((b) => ({ ...b, median: b.median === null ? null : b.median * factor })),
  }));
}

/** A patient list's key-indicator glance in the chosen angle unit (values, change and unit text). */
export function glanceInUnit(glance: Glance, angleUnit: AngleUnit): Glance {
  const { factor, text } = displayUnit(glance.unit, angleUnit);
  if (factor === 1) return glance;
  return {
    ...glance,
    unit: text,
    recent: glance.recent.map((r) => ({ ...r, value: r.value * factor })),
    ...(glance.delta === undefined ? {} : { delta: glance.delta * factor }),
  };
}
