import type { Annotation } from '../shared/recording.js';
import { doseText, sessionFactTexts, sideEffectText } from '../shared/session-fact-texts.js';
import type { Db } from './database.node.js';
import { DoseRepository } from './dose-repository.node.js';
import { getSession } from './sessions.node.js';

/** Doses and side effects this long before a session start travel with it (they set its dose context). */
export const DOSE_LOOKBACK_MS = 24 * 3600 * 1000;

/**
 * The annotations that carry a stored session's facts into a file (text forms in
 * `src/shared/session-fact-texts.ts`): protocol, muscle, side and clinician scores at 0 s, and every logged
 * dose and side effect of its patient from {@link DOSE_LOOKBACK_MS} before the start to the end, at its own
 * time (a negative onset before the start). Texts the session's own markers already hold are left out.
 */
export function sessionFactAnnotations(
  db: Db,
  sessionId: number,
  existing: readonly Annotation[],
): Annotation[] {
  const session = getSession(db, sessionId);
  if (!session) return [];
  const have = new Set(existing.map((a) => a.text));
  const out: Annotation[] = sessionFactTexts(session).map((text) => ({ onsetS: 0, text }));
  if (session.patientId !== null) {
    const repo = new DoseRepository(db);
    const fromMs = session.startTimeMs - DOSE_LOOKBACK_MS;
    const toMs = session.endTimeMs ?? session.startTimeMs;
    const at = (timeMs: number): number => (timeMs - session.startTimeMs) / 1000;
    for (const d of repo.listDoses(session.patientId, fromMs, toMs))
      out.push({ onsetS: at(d.timeMs), text: doseText(d) });
    for (const s of repo.listSideEffects(session.patientId))
      if (s.timeMs >= fromMs && s.timeMs <= toMs) out.push({ onsetS: at(s.timeMs), text: sideEffectText(s) });
  }
  return out.filter((a) => !have.has(a.text));
}
