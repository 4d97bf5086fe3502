import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { AnalysisSummary } from '../../src/shared/analysis.js';
import type { StoredAnalysisSchema } from '../../src/shared/api/analysis-api.js';
import { useAngleUnit } from '../angle-unit-context.js';
import {
  algorithmName,
  eventFieldName,
  indicatorEntry,
  indicatorName,
  qualityText,
  siteName,
  unitText,
} from '../../src/shared/indicator-catalogue.js';
import { formatNumber } from '../format.js';
import { useAnalysisProgress } from '../job-progress.js';
import { displayDigits, displayUnit, eventFieldUnit, type AngleUnit } from '../units.js';
import { EventCharts } from './event-charts.js';
import { JobProgressBar } from './job-progress-bar.js';

type StoredAnalysis = z.infer<typeof StoredAnalysisSchema>;

const VERDICT_WORD: Record<'good' | 'check' | 'off', string> = { good: 'Good', check: 'Check', off: 'Off' };
/** Event fields already shown as columns, or only meaningful to software. */
const HIDDEN_EVENT_KEYS = new Set(['startS', 'endS', 'channelIndex', 'unit', 'catchNote']);
const EVENT_TITLE: Record<string, string> = {
  stretch: 'Stretches',
  drop: 'Pendulum drops',
  clonus: 'Clonus episodes',
  onset: 'EMG bursts',
};

function show(value: unknown, digits = 1): string {
  if (typeof value === 'number') return formatNumber(value, Math.abs(value) >= 100 ? 0 : digits);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === null || value === undefined) return '—';
  return String(value);
}

/** An event cell: quality flags, channels and methods in words; everything else as {@link show}. */
function showEventValue(key: string, value: unknown): string {
  if (typeof value === 'string' && key === 'quality') return qualityText(value);
  if (typeof value === 'string' && key === 'site') return siteName(value);
  if (typeof value === 'string' && key === 'algorithmVersion') return algorithmName(value);
  return show(value);
}

/**
 * An indicator's value with its unit, angles in `angleUnit` ("35.2 °", "0.614 rad", "12.1 µV"); a value
 * that is not a number ("outside ROM", none) is shown without a unit.
 */
function indicatorText(value: unknown, unit: string, angleUnit: AngleUnit): string {
  if (typeof value !== 'number') return show(value);
  const shown = displayUnit(unit, angleUnit);
  const text = shown.factor !== 1 ? show(value * shown.factor, displayDigits(1, angleUnit)) : show(value);
  return shown.text ? `${text} ${shown.text}` : text;
}

/** An event table column: its header (with the unit of angular fields) and how a value reads in it. */
function eventColumn(
  key: string,
  angleUnit: AngleUnit,
  emgUnit: string,
): { header: string; cell: (v: unknown) => string } {
  const name = eventFieldName(key);
  if ((key === 'rms' || key === 'burstRms') && emgUnit)
    return { header: `${name} (${unitText(emgUnit)})`, cell: (v) => show(v) };
  const stored = eventFieldUnit(key);
  if (!stored) return { header: name, cell: (v) => showEventValue(key, v) };
  const shown = displayUnit(stored, angleUnit);
  const digits = displayDigits(1, angleUnit);
  return {
    header: `${name} (${shown.text})`,
    cell: (v) => (typeof v === 'number' ? show(v * shown.factor, digits) : show(v)),
  };
}

/** The session's analysis: indicator summary, quality, and one table per kind of event. */
export function AnalysisPanel({
  api,
  sessionId,
  signalsElsewhere = false,
}: {
  api: ApiClient;
  sessionId: number;
  /** The signals are on the recording workstation: analysing here would analyse nothing, so it is not offered. */
  signalsElsewhere?: boolean;
}) {
  const [analysis, setAnalysis] = useState<StoredAnalysis | null | undefined>();
  const [state, setState] = useState<'idle' | 'running' | 'failed'>('idle');
  const [message, setMessage] = useState<string | undefined>();
  const analysisProgress = useAnalysisProgress(api, sessionId);
  const angleUnit = useAngleUnit();
  const resetProgress = analysisProgress.reset;

  useEffect(() => {
    const load = (): void => {
      api.call('getSessionAnalysis', { sessionId }).then(setAnalysis, (e: Error) => setMessage(e.message));
    };
    load();
    return api.on('analysisStatus', (s) => {
      if (s.sessionId !== sessionId) return;
      if (s.state === 'running') resetProgress();
      setState(s.state === 'done' ? 'idle' : s.state);
      setMessage(s.message);
      if (s.state === 'done') load();
    });
  }, [api, sessionId, resetProgress]);

  const analyzeNow = (): void => {
    setState('running');
    api.call('analyzeSession', { sessionId }).then(
      (a) => {
        setAnalysis(a);
        setState('idle');
      },
      (e: Error) => {
        setState('failed');
        setMessage(e.message);
      },
    );
  };

  const summary = analysis?.summary as unknown as AnalysisSummary | undefined;
  const kinds = [...new Set(analysis?.events.map((e) => e.kind) ?? [])];

  return (
    <section className="card" aria-label="Analysis">
      <h2>Analysis</h2>
      {state === 'running' && (
        <JobProgressBar action="Analysing the session" progress={analysisProgress.progress} />
      )}
      {state === 'failed' && (
        <p className="error" role="alert">
          The analysis did not finish: {message}
        </p>
      )}
      {analysis === null && state !== 'running' && <p>Not analysed yet.</p>}
      {signalsElsewhere ? (
        <p>It can be analysed again on the workstation that recorded it, where its signals are.</p>
      ) : (
        <button type="button" onClick={analyzeNow} disabled={state === 'running'}>
          {analysis ? 'Analyse again' : 'Analyse now'}
        </button>
      )}
      {summary && (
        <>
          <div className="table-scroll">
            <table className="table" aria-label="Indicators">
              <caption>Indicators ({analysis ? algorithmName(analysis.algorithmVersion) : ''})</caption>
              <thead>
                <tr>
                  <th scope="col">Indicator</th>
                  <th scope="col">Value</th>
                  <th scope="col">From</th>
                  <th scope="col">n</th>
                  <th scope="col">Quality</th>
                </tr>
              </thead>
              <tbody>
                {summary.indicators
                  .filter((v) => !v.site.startsWith('emg/'))
                  .map((v) => (
                    <tr key={`${v.id}-${v.site}`}>
                      <th scope="row" title={indicatorEntry(v.id)?.meaning}>
                        {indicatorName(v.id)}
                      </th>
                      <td>{indicatorText(v.value, v.unit, angleUnit)}</td>
                      <td>{siteName(v.site)}</td>
                      <td>{v.n}</td>
                      <td>{qualityText(v.quality)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          {summary.emg.length > 0 && (
            <div className="table-scroll">
              <table className="table" aria-label="EMG per channel">
                <caption>EMG per channel</caption>
                <thead>
                  <tr>
                    <th scope="col">Channel</th>
                    <th scope="col">RMS</th>
                    <th scope="col">Median frequency</th>
                    <th scope="col">Resting EMG</th>
                    <th scope="col">SNR at rest</th>
                    <th scope="col">Bursts</th>
                    <th scope="col">Line noise</th>
                    <th scope="col">Quality</th>
                  </tr>
                </thead>
                <tbody>
                  {summary.emg.map((e) => (
                    <tr key={`${e.stream}/${e.channel}`}>
                      <th scope="row">{e.label}</th>
                      <td>{e.rmsUv !== null ? `${show(e.rmsUv)} µV` : `${show(e.rms, 3)} ${e.unit}`}</td>
                      <td>{show(e.medianFrequencyHz, 0)} Hz</td>
                      <td>
                        {e.rest.rmsRest === null
                          ? '—'
                          : `${show(e.rest.rmsRest, e.rmsUv !== null ? 1 : 3)} ${unitText(e.unit)}`}
                      </td>
                      <td>{show(e.rest.snrRestDb)} dB</td>
                      <td>{e.onsets.length}</td>
                      <td>
                        {e.lineNoiseRatioDb === null ? '—' : `${formatNumber(e.lineNoiseRatioDb, 1)} dB`}
                        {e.notchApplied ? ', notch applied' : ''}
                      </td>
                      <td>
                        {e.verdict ? `${VERDICT_WORD[e.verdict]} (as on Devices)` : ''}
                        {e.verdictReasons && e.verdictReasons.length > 0
                          ? ` ${e.verdictReasons.join(' ')}`
                          : ''}
                        {e.qualityNote ? ` ${e.qualityNote}` : ''}
                        {!e.verdict && qualityText(e.quality)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {typeof summary.protocols.passiveStretch?.catchNote === 'string' && (
            <p className="hint">{summary.protocols.passiveStretch.catchNote}</p>
          )}
          {typeof summary.protocols.pendulum?.noDropReason === 'string' && (
            <p className="hint">{summary.protocols.pendulum.noDropReason}</p>
          )}
          {kinds.map((kind) => {
            const events = (analysis?.events.filter((e) => e.kind === kind) ?? []).sort(
              (a, b) => a.index - b.index,
            );
            const keys = [...new Set(events.flatMap((e) => Object.keys(e.values)))]
              .filter((k) => !HIDDEN_EVENT_KEYS.has(k))
              .slice(0, 8);
            const columns = keys.map((k) => ({
              key: k,
              ...eventColumn(k, angleUnit, summary.emg[0]?.unit ?? ''),
            }));
            return (
              <div key={kind} className="table-scroll">
                <table className="table" aria-label={EVENT_TITLE[kind] ?? kind}>
                  <caption>{EVENT_TITLE[kind] ?? kind}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Start (s)</th>
                      <th scope="col">End (s)</th>
                      {columns.map((c) => (
                        <th key={c.key} scope="col" className="num">
                          {c.header}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {events.map((e) => (
                      <tr key={e.index}>
                        <td>{e.index + 1}</td>
                        <td>{formatNumber(e.startS, 2)}</td>
                        <td>{e.endS === null ? '—' : formatNumber(e.endS, 2)}</td>
                        {columns.map((c) => (
                          <td key={c.key}>{c.cell(e.values[c.key])}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
          {analysis && <EventCharts api={api} sessionId={sessionId} events={analysis.events} />}
          <p className="hint">
            Instrumented IMU + EMG variant of the clinical tests; decision support, not a diagnosis.
          </p>
        </>
      )}
    </section>
  );
}
