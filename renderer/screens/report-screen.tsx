import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import {
  algorithmName,
  indicatorEntry,
  indicatorName,
  qualityText,
  siteName,
} from '../../src/shared/indicator-catalogue.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { createTrendTimeChart } from '../charts/trend-time-chart.js';
import { TrendChartCanvas } from '../charts/trend-chart-canvas.js';
import { DoseContextCard } from '../components/dose-context-card.js';
import { EventCharts } from '../components/event-charts.js';
import { clinicalScoreRows } from '../components/session-clinical-card.js';
import { formatDateTime, formatNumber } from '../format.js';
import { protocolLabel } from '../protocols.js';
import { count, localTime, type Trend } from '../trends-format.js';
import { displayDigits, displayUnit } from '../units.js';
import { loadVisitReport, type ReportSession, type VisitReport } from '../visit-report-data.js';

/** Shown on every report: what the numbers are for. */
export const DECISION_SUPPORT_LINE =
  'Decision support, not dosing advice: these measurements inform the clinical assessment; doses are changed only by the prescriber.';

const dateText = (ms: number): string =>
  new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

/**
 * The visit report for the patient record: the sessions of one day with protocol, muscle and side; each
 * session's indicators with units and MDC judgement, small event charts, clinician scores, dose timing and
 * note; the trend of the main indicator with dose timing; the decision-support line. Made to be printed:
 * "Save as PDF" prints it to a file on the desktop, and opens the print dialog (Save as PDF) in a browser.
 */
export function ReportScreen({
  api,
  patient,
  sessionId,
  onChoosePatient,
}: {
  api: ApiClient;
  patient: Patient | undefined;
  sessionId: number | undefined;
  onChoosePatient: () => void;
}) {
  const [report, setReport] = useState<VisitReport | null | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  useEffect(() => {
    if (!patient) return;
    let cancelled = false;
    setReport(undefined);
    loadVisitReport(api, patient, sessionId).then(
      (r) => !cancelled && setReport(r ?? null),
      (e: Error) => !cancelled && setError(`Could not put the report together: ${e.message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [api, patient, sessionId]);

  const savePdf = (): void => {
    const bridge = window.tonus;
    if (!bridge?.saveReportPdf) {
      window.print();
      return;
    }
    const name = `visit-${patient?.code ?? 'report'}-${report ? new Date(report.dayMs).toISOString().slice(0, 10) : ''}.pdf`;
    bridge.saveReportPdf(name).then(
      (path) => setSaved(path ? `Saved as ${path}.` : undefined),
      (e: Error) => setError(`The PDF was not saved: ${e.message}`),
    );
  };

  if (!patient)
    return (
      <section className="screen" aria-labelledby="report-title">
        <h1 id="report-title">Visit report</h1>
        <p>Choose a patient first.</p>
        <button type="button" className="primary" onClick={onChoosePatient}>
          Choose patient
        </button>
      </section>
    );

  return (
    <section className="screen report" aria-labelledby="report-title">
      <header className="report__head">
        <h1 id="report-title">Visit report — {patient.code}</h1>
        <div className="toolbar report__actions">
          <button type="button" className="primary" onClick={savePdf} disabled={!report}>
            Save as PDF
          </button>
          <span role="status">{saved}</span>
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report === undefined && !error && <p role="status">Putting the report together…</p>}
      {report === null && <p>{patient.code} has no recorded session yet.</p>}
      {report && <ReportBody api={api} report={report} />}
    </section>
  );
}

function ReportBody({ api, report }: { api: ApiClient; report: VisitReport }) {
  const { patient } = report;
  const facts = [
    patient.birthYear !== null ? `born ${patient.birthYear}` : '',
    patient.gmfcsLevel !== null ? `GMFCS ${patient.gmfcsLevel}` : '',
    patient.affectedSide ? `affected side: ${patient.affectedSide}` : '',
    patient.weightKg !== null ? `${formatNumber(patient.weightKg, 1)} kg` : '',
  ].filter(Boolean);
  return (
    <>
      <p className="report__summary">
        {`Patient ${patient.code}${facts.length > 0 ? ` (${facts.join(', ')})` : ''} · visit of ${dateText(report.dayMs)} · ${count(report.sessions.length, 'session')} · report made ${formatDateTime(Date.now())}`}
      </p>
      <p className="report__disclaimer">{DECISION_SUPPORT_LINE}</p>
      <table className="table" aria-label="Sessions of the visit">
        <caption>Sessions of the visit</caption>
        <thead>
          <tr>
            <th scope="col">Start</th>
            <th scope="col">Protocol</th>
            <th scope="col">Muscle</th>
            <th scope="col">Side</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {report.sessions.map(({ session: s }) => (
            <tr key={s.id}>
              <td>{formatDateTime(s.startTimeMs)}</td>
              <td>{protocolLabel(s.protocol)}</td>
              <td>{s.muscle ?? '—'}</td>
              <td>{s.side ?? '—'}</td>
              <td>
                {s.endTimeMs === null ? '—' : `${formatNumber((s.endTimeMs - s.startTimeMs) / 1000, 0)} s`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.sessions.map((s) => (
        <ReportSessionSection key={s.session.id} api={api} item={s} />
      ))}
      {report.trend && <ReportTrend trend={report.trend} />}
      <p className="report__disclaimer">{DECISION_SUPPORT_LINE}</p>
    </>
  );
}

function ReportSessionSection({ api, item }: { api: ApiClient; item: ReportSession }) {
  const angleUnit = useAngleUnit();
  const { session, analysis, indicators, doseContext } = item;
  const scores = clinicalScoreRows(session.clinical, angleUnit);
  const title = [
    protocolLabel(session.protocol),
    [session.muscle, session.side].filter(Boolean).join(' '),
    formatDateTime(session.startTimeMs),
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <section className="card report__session" aria-label={`Session ${title}`}>
      <h2>{title}</h2>
      <dl className="facts">
        {scores.map((r) => (
          <div key={r.term}>
            <dt>{r.term}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
        <div>
          <dt>Note</dt>
          <dd>{session.note ?? 'None'}</dd>
        </div>
      </dl>
      {scores.length === 0 && <p className="hint">No clinical scores were entered for this session.</p>}
      {doseContext ? (
        <DoseContextCard context={doseContext} title="Dose timing at this session" />
      ) : (
        <p className="hint">No dose timing for this session.</p>
      )}
      {analysis === null ? (
        <p>Not analysed.</p>
      ) : (
        <table className="table report__indicators" aria-label="Indicators">
          <caption>Indicators ({algorithmName(analysis.algorithmVersion)})</caption>
          <thead>
            <tr>
              <th scope="col">Indicator</th>
              <th scope="col">Value</th>
              <th scope="col">From</th>
              <th scope="col">Quality</th>
              <th scope="col">Compared with measurement error (MDC95)</th>
            </tr>
          </thead>
          <tbody>
            {indicators.map(({ value: v, judgement }) => {
              const shown = displayUnit(v.unit, angleUnit);
              const text =
                typeof v.value === 'number'
                  ? `${formatNumber(v.value * shown.factor, shown.isAngular ? displayDigits(1, angleUnit) : Math.abs(v.value) >= 100 ? 0 : 1)}${shown.text ? ` ${shown.text}` : ''}`
                  : String(v.value);
              return (
                <tr key={`${v.id}-${v.site}`}>
                  <th scope="row" title={indicatorEntry(v.id)?.meaning}>
                    {indicatorName(v.id)}
                  </th>
                  <td>{`${text}${v.n > 1 ? ` (n = ${v.n})` : ''}`}</td>
                  <td>{siteName(v.site)}</td>
                  <td>{qualityText(v.quality)}</td>
                  <td>{judgement}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {analysis && analysis.events.length > 0 && (
        <EventCharts api={api} sessionId={session.id} events={analysis.events} first={3} />
      )}
    </section>
  );
}

function ReportTrend({ trend }: { trend: Trend }) {
  const build = useCallback(
    (canvas: HTMLCanvasElement) => createTrendTimeChart(canvas, trend, () => undefined),
    [trend],
  );
  const points = trend.lines.flatMap((l) => l.points).sort((a, b) => a.startTimeMs - b.startTimeMs);
  const taken = trend.doseEvents.filter((d) => d.status === 'taken');
  const first = points[0];
  const last = points.at(-1);
  const label = `${indicatorName(trend.indicator)} over time: ${count(points.length, 'session')}${first && last ? ` from ${localTime(first.start, false)} to ${localTime(last.start, false)}` : ''}, with ${count(taken.length, 'dose')} taken as dotted lines and dose changes as solid lines.`;
  return (
    <section className="card report__trend" aria-label="Trend with dose timing">
      <h2>{`Trend: ${indicatorName(trend.indicator)}, with dose timing`}</h2>
      <TrendChartCanvas build={build} label={label} />
      <p className="hint">{label}</p>
    </section>
  );
}
