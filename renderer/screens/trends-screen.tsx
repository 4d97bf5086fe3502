import type { Chart } from 'chart.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import { TrendChartCanvas } from '../charts/trend-chart-canvas.js';
import { createTrendScatterChart, fitText, type ScatterAxes } from '../charts/trend-scatter-chart.js';
import { createTrendTimeChart, doseChanges, lineLabel } from '../charts/trend-time-chart.js';
import {
  amountText,
  count,
  indicatorName,
  keyDistinction,
  localTime,
  keyText,
  num,
  phaseRank,
  phaseStyle,
  phaseText,
  TREND_INDICATORS,
  unitText,
  referenceDose,
  type DoseCurve,
  type DoseResponse,
  type TherapyWindow,
  type Trend,
} from '../trends-format.js';
import { AcrossVisitsTable, PrePostTable, TherapyWindowPanel } from '../trends-panels.js';
import { mdcSourceText } from '../trends-mdc-source.js';
import { responsesInUnit, trendInUnit, windowsInUnit } from '../trends-units.js';
import { useAngleUnit } from '../angle-unit-context.js';
import type { AngleUnit } from '../units.js';

/** Where an indicator was measured: the muscle and side pairs its trend answer holds. */
interface Place {
  muscle: string | null;
  side: 'left' | 'right' | null;
}
interface Available {
  id: string;
  places: Place[];
}
/** The API answers for one patient, indicator, muscle and side. */
interface TrendView {
  trend: Trend;
  byHours: DoseResponse[];
  byCRel: DoseResponse[];
  windows: TherapyWindow[];
  curve: DoseCurve | undefined;
}

/** The view with an angular indicator's values in `angleUnit` (the API answers in degrees). */
function viewInUnit(view: TrendView, angleUnit: AngleUnit): TrendView {
  const unit = view.trend.lines[0]?.points[0]?.unit ?? '';
  return {
    ...view,
    trend: trendInUnit(view.trend, angleUnit),
    byHours: responsesInUnit(view.byHours, unit, angleUnit),
    byCRel: responsesInUnit(view.byCRel, unit, angleUnit),
    windows: windowsInUnit(view.windows, unit, angleUnit),
  };
}

/** Why a band's spread is not its own phase's, in words. */
const BAND_SOURCE_TEXT: Record<Trend['baselines'][number]['source'], string> = {
  phase: '',
  'pooled-phases': '; too few to judge spread alone, so the spread within the other phases is used',
  'all-phases': '; too few per phase, so the spread of all phases together is used',
  'own-repeats': "; MDC95 from this patient's own repeated sessions",
  published: '; MDC95 from a published value',
};

const placeText = (p: Place): string => [p.muscle ?? 'muscle not set', p.side ?? 'side not set'].join(', ');
const rangeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** The trend's filter as API input: absent muscle or side means "any". */
function filterOf(place: Place | undefined): { muscle?: string; side?: 'left' | 'right' } {
  return {
    ...(place?.muscle ? { muscle: place.muscle } : {}),
    ...(place?.side ? { side: place.side } : {}),
  };
}

/** Increments when the page's theme attribute changes, so charts rebuild with the new colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

/**
 * Trends (domain spec §8.2): one indicator over time for a patient's muscle and side, against hours since
 * dose and C_rel, pre/post-dose and across-visit comparisons judged against MDC95, and the therapy-window
 * suggestion. Everything shown comes from the API answers; nothing is computed from samples here.
 */
export function TrendsScreen({ api, patient }: { api: ApiClient; patient?: string | undefined }) {
  const [patients, setPatients] = useState<Patient[] | undefined>();
  const [patientCode, setPatientCode] = useState(patient ?? '');
  const [available, setAvailable] = useState<Available[] | undefined>();
  const [indicator, setIndicator] = useState('');
  const [placeIndex, setPlaceIndex] = useState(0);
  const [view, setView] = useState<TrendView | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const themeVersion = useThemeVersion();
  const angleUnit = useAngleUnit();
  const shown = useMemo(() => (view ? viewInUnit(view, angleUnit) : undefined), [view, angleUnit]);

  // The patient chosen elsewhere in the app is shown first; the picker here can still switch.
  useEffect(() => {
    if (patient) setPatientCode(patient);
  }, [patient]);

  useEffect(() => {
    api.call('listPatients', {}).then(
      (list) => {
        setPatients(list);
        setPatientCode((current) => current || (list[0]?.code ?? ''));
      },
      (e: Error) => setError(`Could not load the patient list: ${e.message}`),
    );
  }, [api]);

  // Which indicators this patient has values for, and where: one question. Known indicators come in the
  // order of TREND_INDICATORS, any others after them alphabetically.
  useEffect(() => {
    if (!patientCode) return;
    let cancelled = false;
    setAvailable(undefined);
    setView(undefined);
    setError(undefined);
    api.call('listTrendIndicators', { patient: patientCode }).then(
      (list) => {
        if (cancelled) return;
        const rank = (id: string): number => {
          const i = TREND_INDICATORS.findIndex((t) => t.id === id);
          return i < 0 ? TREND_INDICATORS.length : i;
        };
        const found = list
          .map((x) => ({ id: x.indicator, places: x.places.map(({ muscle, side }) => ({ muscle, side })) }))
          .sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        setAvailable(found);
        setIndicator((current) => (found.some((a) => a.id === current) ? current : (found[0]?.id ?? '')));
        setPlaceIndex(0);
      },
      (e: Error) => {
        if (!cancelled) setError(`Could not load this patient's indicators: ${e.message}`);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, patientCode]);

  const places = available?.find((a) => a.id === indicator)?.places ?? [];
  const place = places[placeIndex] ?? places[0];
  const placeKey = place ? placeText(place) : '';

  useEffect(() => {
    if (!patientCode || !indicator || !placeKey) return;
    let cancelled = false;
    setLoading(true);
    const query = { patient: patientCode, indicator, ...filterOf(place) };
    const withCurve = api.call('getTrend', query).then(async (trend) => {
      const dose = referenceDose(trend);
      if (!dose) return { trend, curve: undefined };
      const cRel = await api.call('getCRelCurve', {
        patient: patientCode,
        fromMs: dose.timeMs,
        toMs: dose.timeMs + dose.spanMs,
        stepMinutes: 10,
      });
      const points = cRel.map((c) => ({ hours: (c.timeMs - dose.timeMs) / 3_600_000, ...c }));
      return { trend, curve: { doseTime: dose.time, points } };
    });
    Promise.all([
      withCurve,
      api.call('getDoseResponse', { ...query, covariate: 'hoursSinceDose' }),
      api.call('getDoseResponse', { ...query, covariate: 'cRel' }),
      api.call('getTherapyWindow', query),
    ]).then(
      ([{ trend, curve }, byHours, byCRel, windows]) => {
        if (cancelled) return;
        setView({ trend, byHours, byCRel, windows, curve });
        setError(undefined);
        setLoading(false);
      },
      (e: Error) => {
        if (cancelled) return;
        setError(
          `Could not load the trend: ${e.message}. Check that Tonus is still running, then pick again.`,
        );
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      setLoading(false);
    };
  }, [api, patientCode, indicator, placeKey]);

  return (
    <section className="screen trends" aria-labelledby="trends-title">
      <h1 id="trends-title">Trends</h1>
      <form className="trends__filters" onSubmit={(e) => e.preventDefault()} aria-label="What to show">
        <label>
          Patient
          <select
            value={patientCode}
            onChange={(e) => setPatientCode(e.target.value)}
            disabled={!patients?.length}
          >
            {patients?.map((p) => (
              <option key={p.id} value={p.code}>
                {p.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          Indicator
          <select
            value={indicator}
            onChange={(e) => {
              setIndicator(e.target.value);
              setPlaceIndex(0);
            }}
            disabled={!available?.length}
          >
            {available?.map((a) => (
              <option key={a.id} value={a.id}>
                {indicatorName(a.id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Muscle and side
          <select
            value={String(placeIndex)}
            onChange={(e) => setPlaceIndex(Number(e.target.value))}
            disabled={places.length < 2}
          >
            {places.map((p, i) => (
              <option key={placeText(p)} value={String(i)}>
                {placeText(p)}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {patients?.length === 0 && (
        <p className="trends__empty" role="status">
          No patients yet. Add a patient and record a session; their trends appear here.
        </p>
      )}
      {available?.length === 0 && (
        <p className="trends__empty" role="status">
          No indicator values for {patientCode} yet. Trends appear once sessions have been recorded and
          analysed.
        </p>
      )}
      {(loading || (patientCode && !available && !error)) && (
        <p className="hint" role="status">
          Loading trends…
        </p>
      )}
      {shown && place && (
        <TrendViews
          key={`${themeVersion}`}
          view={shown}
          indicator={shown.trend.indicator}
          higherIsLessTone={
            TREND_INDICATORS.find((i) => i.id === shown.trend.indicator)?.higherIsLessTone ?? false
          }
        />
      )}
    </section>
  );
}

function TrendViews({
  view,
  indicator,
  higherIsLessTone,
}: {
  view: TrendView;
  indicator: string;
  higherIsLessTone: boolean;
}) {
  const { trend } = view;
  const unit = unitText(trend.lines[0]?.points[0]?.unit ?? '');
  const phaseBySession = useMemo(() => {
    const m = new Map<number, string>();
    for (const l of trend.lines) for (const p of l.points) m.set(p.sessionId, p.phase);
    return m;
  }, [trend]);
  const phaseOf = useCallback((id: number) => phaseBySession.get(id) ?? 'unknown', [phaseBySession]);

  return (
    <>
      {trend.alerts.map((a) => (
        <p key={a.sessionId} className="trend-alert" role="alert">
          {a.text}
        </p>
      ))}
      <TimeFigure trend={trend} indicator={indicator} unit={unit} />
      <div className="trend-grid">
        <ScatterFigure
          id="hours"
          title={`${indicatorName(indicator)} by hours since the last dose`}
          responses={view.byHours}
          curve={view.curve}
          phaseOf={phaseOf}
          axes={{
            xTitle: 'Hours since last dose',
            yTitle: unit ? `${indicatorName(indicator)} (${unit})` : indicatorName(indicator),
            slopeUnit: 'per hour',
            yUnit: unit,
          }}
        />
        <ScatterFigure
          id="crel"
          title={`${indicatorName(indicator)} by relative concentration`}
          responses={view.byCRel}
          phaseOf={phaseOf}
          axes={{
            xTitle: 'Relative concentration (model estimate, 1 = peak of one dose)',
            yTitle: unit ? `${indicatorName(indicator)} (${unit})` : indicatorName(indicator),
            slopeUnit: 'per unit of relative concentration',
            yUnit: unit,
          }}
        />
      </div>
      <div className="trend-grid">
        <TherapyWindowPanel
          windows={view.windows}
          indicator={indicator}
          unit={unit}
          higherIsLessTone={higherIsLessTone}
        />
        <PrePostTable trend={trend} unit={unit} />
      </div>
      <AcrossVisitsTable trend={trend} unit={unit} />
    </>
  );
}

function TimeFigure({ trend, indicator, unit }: { trend: Trend; indicator: string; unit: string }) {
  const chartRef = useRef<Chart | undefined>(undefined);
  const [range, setRange] = useState<[number, number] | undefined>();
  const onChart = useCallback((c: Chart | undefined) => {
    chartRef.current = c;
  }, []);
  const build = useCallback(
    (canvas: HTMLCanvasElement) => createTrendTimeChart(canvas, trend, (from, to) => setRange([from, to])),
    [trend],
  );
  const points = trend.lines.flatMap((l) => l.points).sort((a, b) => a.startTimeMs - b.startTimeMs);
  const first = points[0];
  const last = points.at(-1);
  const changes = doseChanges(trend);
  const taken = trend.doseEvents.filter((d) => d.status === 'taken');
  const takenBefore = first ? taken.filter((d) => d.timeMs < first.startTimeMs).length : 0;
  const takenText = `${count(taken.length, 'dose')} taken${takenBefore > 0 ? ` (${takenBefore} in the day before the first session)` : ''}`;
  const where = trend.lines[0] ? keyText(trend.lines[0].key, false) : '';
  const keys = trend.lines.map((l) => l.key);
  const manyBandKeys = new Set(trend.baselines.map((b) => keyText(b.key))).size > 1;
  const bandText = [...trend.baselines]
    .sort((a, b) => phaseRank(a.phase) - phaseRank(b.phase))
    .map(
      (b) =>
        `Baseline ± MDC95, ${phaseText(b.phase)}: ${num(b.lower)}–${num(b.upper)} ${unit} (mean ${num(b.mean)}, MDC95 ${num(b.mdc95)} ${unit}, from ${count(b.n, 'session')} in this phase in the first two weeks${BAND_SOURCE_TEXT[b.source]}${manyBandKeys ? `, ${keyDistinction(b.key, keys)}` : ''})`,
    );
  const changeText = changes.map(
    (d) => `dose ${amountText(d.amount)} ${d.unit} from ${localTime(d.time, false)}`,
  );
  const label =
    `${indicatorName(indicator)} over time, ${where}: ${points.length} sessions` +
    (first && last ? ` from ${localTime(first.start, false)} to ${localTime(last.start, false)}` : '') +
    `; lines: ${[...trend.lines]
      .sort((a, b) => phaseRank(a.key.phase) - phaseRank(b.key.phase))
      .map((l) => `${lineLabel(l, keys)} (${phaseStyle(l.key.phase).shape}s, ${l.points.length})`)
      .join(', ')}` +
    `; ${bandText.length > 0 ? bandText.join('; ') : 'no baseline band yet (needs 2 sessions)'}` +
    `; ${takenText}, marked as vertical lines${changeText.length > 0 ? `, ${changeText.join(', ')}` : ''}` +
    (trend.sideEffects.length > 0 ? `; ${count(trend.sideEffects.length, 'side effect')} marked` : '') +
    '. The data table below lists every point.';

  const act = (f: (c: Chart) => void) => () => {
    const c = chartRef.current;
    if (!c) return;
    f(c);
    setRange([c.scales.x?.min ?? 0, c.scales.x?.max ?? 0]);
  };
  const panBy = (fraction: number) =>
    act((c) => c.pan({ x: c.chartArea.width * fraction }, undefined, 'none'));

  return (
    <figure className="trend-card trend-figure" aria-labelledby="trend-time-title">
      <figcaption id="trend-time-title">
        {`${indicatorName(indicator)} over time`} <span className="trend-figure__where">{where}</span>
      </figcaption>
      <div className="trend-zoom" role="toolbar" aria-label="Zoom and pan the time axis">
        <button type="button" onClick={act((c) => c.zoom(1.5, 'none'))}>
          Zoom in
        </button>
        <button type="button" onClick={act((c) => c.zoom(1 / 1.5, 'none'))}>
          Zoom out
        </button>
        <button type="button" onClick={panBy(0.3)}>
          ← Earlier
        </button>
        <button type="button" onClick={panBy(-0.3)}>
          Later →
        </button>
        <button type="button" onClick={act((c) => c.resetZoom('none'))}>
          Show all
        </button>
        <span className="trend-zoom__range" role="status" aria-live="polite">
          {range && `Showing ${rangeFormat.format(range[0])} – ${rangeFormat.format(range[1])}`}
        </span>
      </div>
      <TrendChartCanvas build={build} label={label} onChart={onChart} />
      {trend.measurementErrors.length > 0 && (
        <ul className="trend-bands" aria-label="Smallest real change">
          {trend.measurementErrors.map((m) => (
            <li key={keyText(m.key)}>
              {`${mdcSourceText(m, unit)}${trend.measurementErrors.length > 1 ? ` (${keyDistinction(m.key, keys)})` : ''}`}
            </li>
          ))}
        </ul>
      )}
      {bandText.length > 0 && (
        <ul className="trend-bands" aria-label="Baseline bands">
          {bandText.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
      <p className="hint trend-figure__key">
        Shaded bands: the patient&apos;s baseline ± MDC95 for each dose phase, in that phase&apos;s colour and
        labelled (pre-dose trough and post-dose peak are compared with their own band); changes inside a band
        may be measurement error. Solid orange lines: dose changes; dotted lines: each dose taken. Ctrl +
        scroll on the chart zooms, dragging pans.
      </p>
      <details className="trend-details">
        <summary>Data table: {points.length} sessions and what is marked on the chart</summary>
        <ul aria-label="Marked on the chart">
          {bandText.map((t) => (
            <li key={t}>{t}</li>
          ))}
          <li>{`${takenText}, each marked as a dotted vertical line`}</li>
          {changes.map((d) => (
            <li key={d.id}>{`Dose change: ${amountText(d.amount)} ${d.unit} at ${localTime(d.time)}`}</li>
          ))}
          {trend.sideEffects.map((e) => (
            <li key={e.id}>{`Side effect: ${e.kind} (${e.severity})${e.note ? `, ${e.note}` : ''}`}</li>
          ))}
        </ul>
        <div className="trend-table-wrap">
          <table className="trend-table">
            <caption>{`${indicatorName(indicator)} per session`}</caption>
            <thead>
              <tr>
                <th scope="col">Session start</th>
                <th scope="col">Phase (marker)</th>
                <th scope="col">Value</th>
                <th scope="col">Hours since dose</th>
                <th scope="col">Relative concentration</th>
                <th scope="col">Trials (n), CV</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.sessionId}>
                  <th scope="row">{localTime(p.start)}</th>
                  <td>{`${phaseText(p.phase)} (${phaseStyle(p.phase).shape})`}</td>
                  <td>{`${num(p.value)} ${unit}`}</td>
                  <td>{p.hoursSinceDose === null ? '–' : num(p.hoursSinceDose)}</td>
                  <td>{p.cRel === null ? '–' : num(p.cRel)}</td>
                  <td>{`${p.n}${p.cv === null ? '' : `, ${Math.round(p.cv * 100)} %`}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function ScatterFigure({
  id,
  title,
  responses,
  curve,
  phaseOf,
  axes,
}: {
  id: string;
  title: string;
  responses: DoseResponse[];
  /** Predicted C_rel after a reference dose, drawn on a right-hand axis (hours-since-dose view only). */
  curve?: DoseCurve | undefined;
  phaseOf: (sessionId: number) => string;
  axes: ScatterAxes;
}) {
  const build = useCallback(
    (canvas: HTMLCanvasElement) => createTrendScatterChart(canvas, responses, phaseOf, axes, curve),
    // `axes` is a new object on every render with the same content: only the data rebuilds the chart.
    [responses, phaseOf, curve],
  );
  const n = responses.reduce((s, r) => s + r.points.length, 0);
  const fits = responses.map((r) => fitText(r, axes));
  const curveText = curve
    ? `Dashed grey curve, right axis: predicted relative concentration after the dose of ${localTime(curve.doseTime)}, shaded between its 10th and 90th percentiles.`
    : undefined;
  const label = `${title}: ${n} sessions as markers by dose phase${fits.length > 0 ? `; ${fits.join('; ')}` : ''}${curveText ? `; ${curveText}` : ''}. The data table below lists the points.`;
  return (
    <figure className="trend-card trend-figure" aria-labelledby={`trend-${id}-title`}>
      <figcaption id={`trend-${id}-title`}>{title}</figcaption>
      {n === 0 ? (
        <p className="hint">No sessions with a known dose time for this view.</p>
      ) : (
        <>
          <TrendChartCanvas build={build} label={label} />
          {curveText && <p className="hint">{curveText}</p>}
          {fits.map((f, i) => (
            <p key={i} className="trend-figure__fit">
              {responses.length > 1 &&
                `${keyDistinction(
                  (responses[i] as DoseResponse).key,
                  responses.map((r) => r.key),
                )}: `}
              {f}
            </p>
          ))}
          <details className="trend-details">
            <summary>Data table: {n} points</summary>
            <div className="trend-table-wrap">
              <table className="trend-table">
                <thead>
                  <tr>
                    <th scope="col">{axes.xTitle}</th>
                    <th scope="col">{`Value (${axes.yUnit})`}</th>
                    <th scope="col">Phase</th>
                  </tr>
                </thead>
                <tbody>
                  {responses.flatMap((r) =>
                    r.points.map((p) => (
                      <tr key={`${keyText(r.key)}-${p.sessionId}`}>
                        <td>{num(p.x)}</td>
                        <td>{num(p.y)}</td>
                        <td>{phaseText(phaseOf(p.sessionId))}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </figure>
  );
}
