import type { z } from 'zod';
import type { AnalysisSummary, IndicatorValue } from '../src/shared/analysis.js';
import type { ApiClient } from '../src/shared/api-contract.js';
import type { StoredAnalysisSchema } from '../src/shared/api/analysis-api.js';
import type { DoseContextSchema } from '../src/shared/api/dosing-api.js';
import type { Patient } from '../src/shared/api/patient-api.js';
import type { Session } from '../src/shared/api/session-api.js';
import { indicatorEntry } from '../src/shared/indicator-catalogue.js';
import { mdcSentence, TREND_INDICATORS, type Trend } from './trends-format.js';
import { mdcSourceShort } from './trends-mdc-source.js';

type StoredAnalysis = z.infer<typeof StoredAnalysisSchema>;
type DoseContext = z.infer<typeof DoseContextSchema>;

/** One indicator of one session in the report, with its MDC judgement in words when there is one. */
export interface ReportIndicator {
  value: IndicatorValue;
  /** "Before and after the dose this visit: From … That is …", or why there is no judgement. */
  judgement: string;
}

/** One session of the visit with everything the report shows of it. */
export interface ReportSession {
  session: Session;
  analysis: StoredAnalysis | null;
  indicators: ReportIndicator[];
  doseContext: DoseContext | undefined;
}

/** A visit: the sessions of one patient on one day, and the trend of the patient's main indicator. */
export interface VisitReport {
  patient: Patient;
  /** Local midnight of the visit's day, ms. */
  dayMs: number;
  sessions: ReportSession[];
  /** The first trended indicator of the visit, over all the patient's sessions at the same place. */
  trend: Trend | undefined;
}

const DAY_MS = 24 * 3_600_000;
const localMidnight = (timeMs: number): number => {
  const d = new Date(timeMs);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
};

const placeOf = (s: Session): { muscle?: string; side?: 'left' | 'right' } => ({
  ...(s.muscle ? { muscle: s.muscle } : {}),
  ...(s.side ? { side: s.side } : {}),
});

const withSource = (sentence: string, source: string | undefined): string =>
  source === undefined ? sentence : `${sentence} (${source}.)`;

/**
 * The MDC judgement of a session's value in its trend: against the same visit's other dose phase (pre/post
 * dose) when there is one, else against the previous visit in the same phase; in words.
 */
export function judgementOf(trend: Trend, sessionId: number, unit: string): string {
  const prePost = trend.prePost.find((c) => c.troughSessionId === sessionId || c.peakSessionId === sessionId);
  if (prePost)
    return withSource(
      `Before and after the dose this visit: ${mdcSentence(prePost, unit, ['pre-dose', 'post-dose'])}`,
      mdcSourceShort(trend, prePost.key),
    );
  const line = trend.lines.find((l) => l.points.some((p) => p.sessionId === sessionId));
  const point = line?.points.find((p) => p.sessionId === sessionId);
  const across = point
    ? trend.acrossVisits.find((c) => c.phase === line?.key.phase && c.toVisit === point.start.slice(0, 10))
    : undefined;
  if (across)
    return withSource(
      `Since the previous visit, same dose phase: ${mdcSentence(across, unit, ['before', 'now'])}`,
      mdcSourceShort(trend, across.key),
    );
  return 'No comparison yet: it needs an earlier visit or a pre- and post-dose session on the same visit.';
}

/**
 * Loads the visit of `sessionId` (or of the patient's latest session): the patient, the sessions of that day
 * with their analyses, dose timing and MDC judgements, and the trend of the first trended indicator.
 */
export async function loadVisitReport(
  api: ApiClient,
  patient: Patient,
  sessionId: number | undefined,
): Promise<VisitReport | undefined> {
  const all = await api.call('listSessions', { patientId: patient.id, limit: 500 });
  const anchor = all.find((s) => s.id === sessionId) ?? all.find((s) => s.status !== 'recording');
  if (!anchor) return undefined;
  const dayMs = localMidnight(anchor.startTimeMs);
  const day = all
    .filter((s) => s.startTimeMs >= dayMs && s.startTimeMs < dayMs + DAY_MS && s.status !== 'recording')
    .sort((a, b) => a.startTimeMs - b.startTimeMs);
  const trended = new Set(TREND_INDICATORS.map((t) => t.id));
  const trendCache = new Map<string, Promise<Trend | undefined>>();
  const trendOf = (indicator: string, s: Session): Promise<Trend | undefined> => {
    const key = `${indicator}|${s.muscle ?? ''}|${s.side ?? ''}`;
    let t = trendCache.get(key);
    if (!t) {
      t = api.call('getTrend', { patient: patient.code, indicator, ...placeOf(s) }).catch(() => undefined);
      trendCache.set(key, t);
    }
    return t;
  };
  const sessions = await Promise.all(
    day.map(async (session): Promise<ReportSession> => {
      const [analysis, doseContext] = await Promise.all([
        api.call('getSessionAnalysis', { sessionId: session.id }),
        api.call('getSessionDoseContext', { sessionId: session.id }).catch(() => undefined),
      ]);
      const summary = analysis?.summary as unknown as AnalysisSummary | undefined;
      // EMG per channel only for the first channel (the one trended): the record stays short.
      const firstEmg = summary?.emg[0];
      const primarySite = firstEmg ? `${firstEmg.stream}/${firstEmg.channel}` : undefined;
      const values = (summary?.indicators ?? []).filter(
        (v) => !v.site.startsWith('emg/') || v.site === primarySite,
      );
      const indicators = await Promise.all(
        values.map(async (value): Promise<ReportIndicator> => {
          if (!trended.has(value.id) || typeof value.value !== 'number')
            return { value, judgement: 'Not trended.' };
          const trend = await trendOf(value.id, session);
          const unit = indicatorEntry(value.id)?.unit ?? '';
          return {
            value,
            judgement: trend ? judgementOf(trend, session.id, unit) : 'No trend for this indicator yet.',
          };
        }),
      );
      return { session, analysis, indicators, doseContext };
    }),
  );
  const main = TREND_INDICATORS.map((t) => t.id).find((id) =>
    sessions.some((s) => s.indicators.some((i) => i.value.id === id && typeof i.value.value === 'number')),
  );
  const mainSession = sessions.find((s) => s.indicators.some((i) => i.value.id === main))?.session;
  const trend = main && mainSession ? await trendOf(main, mainSession) : undefined;
  return { patient, dayMs, sessions, trend };
}
