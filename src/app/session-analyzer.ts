import type { SessionAnalysis } from '../shared/analysis.js';
import { SettingsSchema } from '../shared/api/settings-api.js';
import type { AnalysisOptions, ProtocolChoice } from '../indicators/session-analysis.js';
import type { Recording } from '../shared/recording.js';
import { saveAnalysis } from '../storage/analyses.node.js';
import type { Db } from '../storage/database.node.js';
import { listMarkers } from '../storage/markers.node.js';
import { getPatient } from '../storage/patients.node.js';
import { readSessionRecording } from '../storage/session-recording.node.js';
import { getSessionInUse } from '../storage/sessions.node.js';
import { SettingsRepository } from '../storage/settings-repository.node.js';
import { TrendRepository, type SessionIndicatorInput } from '../storage/trend-repository.node.js';
import { analyzeSessionRecording } from './emg-analysis-pool.js';
import { DosingCore } from './services/dosing-service.js';

/** Which kinematic analysis a session's protocol calls for. */
export function analysisProtocolOf(protocol: string): ProtocolChoice {
  if (protocol.startsWith('passive-stretch')) return 'stretch';
  if (protocol === 'pendulum') return 'pendulum';
  if (protocol === 'rest') return 'none';
  return 'auto';
}

/**
 * Runs the per-session analysis on a stored session and keeps what it found: the analysis with its
 * per-event rows, the numeric indicators in the trend table (tagged with the session's muscle, side and
 * protocol; the first EMG channel under the plain id, others as `id:channel`), and the session's dose
 * context. Paused spans and gaps (`pause`, `gap` markers) are discontinuities: no stretch or drop is taken
 * across one, and their filler does not count as EMG.
 * Idempotent: running it again adds a newer analysis and replaces the trend values. `onProgress` hears each
 * stage as it starts, with the fraction done before it (0..1, increasing). The recording is analysed by
 * `analyse`: by default `analyzeSessionRecording` (a long recording's EMG channels on worker threads), which
 * gives `analyzeRecording`'s result.
 */
export async function analyzeAndStoreSession(
  db: Db,
  sessionId: number,
  onProgress: (fraction: number, stage: string) => void = () => undefined,
  analyse: (
    recording: Recording,
    options: AnalysisOptions,
  ) => Promise<SessionAnalysis> = analyzeSessionRecording,
): Promise<SessionAnalysis> {
  const session = getSessionInUse(db, sessionId);
  const stored = SettingsSchema.shape.mainsHz.safeParse(new SettingsRepository(db).read().mainsHz);
  const weightKg = session.patientId === null ? null : (getPatient(db, session.patientId)?.weightKg ?? null);
  // Pauses and gaps (device losses, dropped samples) are stored as filler, not signal.
  const discontinuitiesS = listMarkers(db, sessionId)
    .filter((m) => (m.kind === 'pause' || m.kind === 'gap') && (m.durationMs ?? 0) > 0)
    .map((m) => ({
      startS: (m.timeMs - session.startTimeMs) / 1000,
      endS: (m.timeMs + (m.durationMs ?? 0) - session.startTimeMs) / 1000,
    }));
  onProgress(0, 'Reading samples');
  const recording = readSessionRecording(db, sessionId);
  onProgress(0.2, 'Analysing');
  const analysis = await analyse(recording, {
    mainsHz: stored.success ? stored.data : 50,
    discontinuitiesS,
    onProgress: (f, stage) => onProgress(0.2 + 0.7 * f, stage),
    protocol: analysisProtocolOf(session.protocol),
    ...(weightKg !== null ? { bodyMassKg: weightKg } : {}),
  });
  onProgress(0.9, 'Saving results');
  saveAnalysis(db, sessionId, {
    algorithmVersion: analysis.algorithmVersion,
    params: analysis.params,
    summary: analysis.summary as unknown as Record<string, unknown>,
    events: analysis.events.map((e) => ({ ...e, endS: e.endS ?? null })),
  });

  const firstEmg = analysis.summary.emg[0];
  const primarySite = firstEmg ? `${firstEmg.stream}/${firstEmg.channel}` : undefined;
  const values: SessionIndicatorInput[] = analysis.summary.indicators.flatMap((v) => {
    if (typeof v.value !== 'number' || !Number.isFinite(v.value)) return [];
    const isOtherEmg = v.site.startsWith('emg/') && v.site !== primarySite;
    return [
      {
        sessionId,
        indicatorId: isOtherEmg ? `${v.id}:${v.site.slice('emg/'.length)}` : v.id,
        value: v.value,
        unit: v.unit,
        n: v.n,
        ...(v.cv !== undefined ? { cv: v.cv } : {}),
        quality: v.quality,
        algorithmVersion: v.algorithmVersion,
        ...(session.muscle ? { muscle: session.muscle } : {}),
        ...(session.side ? { side: session.side } : {}),
        protocol: session.protocol,
      },
    ];
  });
  if (session.patientId !== null) {
    new TrendRepository(db).putIndicators(values);
    new DosingCore(db).sessionContext(sessionId, true);
  }
  return analysis;
}
