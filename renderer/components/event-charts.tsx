import type { Chart } from 'chart.js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { SignalTrace } from '../../src/shared/api/signal-api.js';
import { buildEventChart, type EventMarks } from '../charts/event-chart.js';
import { TrendChartCanvas } from '../charts/trend-chart-canvas.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { formatNumber } from '../format.js';
import { formatAngle, type AngleUnit } from '../units.js';

/** An analysis event as the review screen holds it. */
export interface ReviewEvent {
  kind: string;
  index: number;
  startS: number;
  endS: number | null;
  values: Record<string, unknown>;
}

/** Kinds of event that get a chart each. */
export const CHARTED_KINDS = new Set(['stretch', 'drop', 'clonus']);
const KIND_NAME: Record<string, string> = {
  stretch: 'Stretch',
  drop: 'Pendulum drop',
  clonus: 'Clonus episode',
};
/** Charts shown per kind before "Show all". */
const FIRST_CHARTS = 6;
/** Signal shown before and after the event, s. */
const MARGIN_S = 0.5;
/** Columns asked for per trace: about one per pixel of a small chart. */
const POINTS = 400;

const numberOf = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/** The marks of an event: its span, and catch and EMG onset when the analysis found them. */
export function marksOf(e: ReviewEvent): EventMarks {
  const marks: EventMarks = { startS: e.startS, endS: e.endS };
  const catchTimeS = numberOf(e.values.catchTimeS);
  const aocDeg = numberOf(e.values.aocDeg);
  const emgOnsetTimeS = numberOf(e.values.emgOnsetTimeS);
  const confirmed = e.values.catchPresent;
  if (catchTimeS !== undefined && confirmed !== false) {
    marks.catchTimeS = catchTimeS;
    marks.catchConfirmed = confirmed === true ? true : null;
    if (aocDeg !== undefined) marks.aocDeg = aocDeg;
  }
  if (emgOnsetTimeS !== undefined) marks.emgOnsetTimeS = emgOnsetTimeS;
  return marks;
}

/** What the chart shows, in words, for screen readers (and the figure caption); angles in `angleUnit`. */
export function describeEvent(e: ReviewEvent, marks: EventMarks, angleUnit: AngleUnit = 'deg'): string {
  const name = `${KIND_NAME[e.kind] ?? e.kind} ${e.index + 1}`;
  const span =
    e.endS === null
      ? `at ${formatNumber(e.startS, 1)} s`
      : `${formatNumber(e.startS, 1)}–${formatNumber(e.endS, 1)} s`;
  const parts = [`${name}, ${span}: joint angle, angular velocity and EMG envelope`];
  if (marks.catchTimeS !== undefined)
    parts.push(
      `${marks.catchConfirmed === true ? 'catch' : 'possible catch'} at ${formatNumber(marks.catchTimeS, 2)} s` +
        (marks.aocDeg === undefined ? '' : `, angle ${formatAngle(marks.aocDeg, angleUnit)}`) +
        (marks.catchConfirmed === true ? '' : ' (not confirmed: no slow stretch to compare with)'),
    );
  else if (e.kind === 'stretch') parts.push('no catch');
  if (marks.emgOnsetTimeS !== undefined) parts.push(`EMG onset at ${formatNumber(marks.emgOnsetTimeS, 2)} s`);
  return parts.join('; ');
}

function EventChart({ api, sessionId, event }: { api: ApiClient; sessionId: number; event: ReviewEvent }) {
  const [traces, setTraces] = useState<SignalTrace[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const marks = useMemo(() => marksOf(event), [event]);
  const angleUnit = useAngleUnit();
  const fromS = Math.max(0, Math.min(event.startS, marks.emgOnsetTimeS ?? event.startS) - MARGIN_S);
  const toS = Math.max(event.endS ?? event.startS + 2, marks.catchTimeS ?? 0) + MARGIN_S;

  useEffect(() => {
    let live = true;
    api.call('getSessionTraces', { sessionId, fromS, toS, maxPoints: POINTS }).then(
      (r) => live && setTraces(r.traces),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [api, sessionId, fromS, toS]);

  const label = describeEvent(event, marks, angleUnit);
  const build = useCallback(
    (canvas: HTMLCanvasElement): Chart => buildEventChart(canvas, traces ?? [], marks, angleUnit),
    [traces, marks, angleUnit],
  );
  return (
    <figure className="event-chart">
      <figcaption>{label.split(':')[0]}</figcaption>
      {error && (
        <p className="error" role="alert">
          The signal of this event could not be read: {error}
        </p>
      )}
      {!traces && !error && <p className="hint">Loading the signal…</p>}
      {traces && traces.length === 0 && (
        <p className="hint">This session has no IMU or EMG signal to show.</p>
      )}
      {traces && traces.length > 0 && <TrendChartCanvas build={build} label={label} />}
    </figure>
  );
}

/** One small chart per stretch, pendulum drop and clonus episode, grouped by kind. */
export function EventCharts({
  api,
  sessionId,
  events,
  first = FIRST_CHARTS,
}: {
  api: ApiClient;
  sessionId: number;
  events: readonly ReviewEvent[];
  /** Charts shown per kind before "Show all" (the visit report shows fewer). */
  first?: number;
}) {
  const [showAll, setShowAll] = useState<Record<string, boolean>>({});
  const kinds = [...new Set(events.map((e) => e.kind))].filter((k) => CHARTED_KINDS.has(k));
  if (kinds.length === 0) return null;
  return (
    <section className="event-charts" aria-label="Charts of each event">
      <h3>Charts of each event</h3>
      <p className="hint">
        Shaded: the event. Solid line and ✕: the catch, with its angle (“Catch?” when there is no slow stretch
        to confirm it against). Dotted line: EMG onset.
      </p>
      {kinds.map((kind) => {
        const all = events.filter((e) => e.kind === kind);
        const shown = showAll[kind] ? all : all.slice(0, first);
        return (
          <div key={kind}>
            <div className="event-charts__grid">
              {shown.map((e) => (
                <EventChart key={`${kind}-${e.index}`} api={api} sessionId={sessionId} event={e} />
              ))}
            </div>
            {all.length > shown.length && (
              <button type="button" onClick={() => setShowAll((s) => ({ ...s, [kind]: true }))}>
                Show all {all.length} {(KIND_NAME[kind] ?? kind).toLowerCase()} charts
              </button>
            )}
          </div>
        );
      })}
    </section>
  );
}
