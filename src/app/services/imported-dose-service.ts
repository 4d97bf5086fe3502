import type { ApiHandlers } from '../../shared/api-contract.js';
import type { ImportedDose, ImportedDoses, importedDoseMethods } from '../../shared/api/imported-dose-api.js';
import { ApiFailure } from '../../shared/result.js';
import { parseDoseText } from '../../shared/session-fact-texts.js';
import type { Db } from '../../storage/database.node.js';
import { DoseRepository } from '../../storage/dose-repository.node.js';
import { listMarkers } from '../../storage/markers.node.js';
import { getSession } from '../../storage/sessions.node.js';
import type { AppContext } from '../app-context.js';
import { DosingCore } from './dosing-service.js';

/** The dose markers of a session with whether the patient's dose log holds each (same time within 1 s). */
function importedDoses(db: Db, sessionId: number): ImportedDoses {
  const session = getSession(db, sessionId);
  if (!session) throw new ApiFailure('not-found', `There is no session ${sessionId}.`, 'sessionId');
  const log = session.patientId === null ? [] : new DoseRepository(db).listDoses(session.patientId);
  const doses: ImportedDose[] = [];
  for (const m of listMarkers(db, sessionId)) {
    const dose = m.kind === 'dose' ? parseDoseText(m.text) : undefined;
    if (dose === undefined) continue;
    const inLog = log.some(
      (d) =>
        Math.abs(d.timeMs - m.timeMs) < 1000 &&
        d.amount === dose.amount &&
        d.unit === dose.unit &&
        d.route === dose.route &&
        d.status === dose.status,
    );
    doses.push({ markerId: m.id, timeMs: m.timeMs, text: m.text, ...dose, inLog });
  }
  return { sessionId, patientCode: session.patientCode, doses };
}

/** Handlers of the review of doses found in imported files. */
export function importedDoseService(ctx: AppContext): Pick<ApiHandlers, keyof typeof importedDoseMethods> {
  return {
    listImportedDoses: async ({ sessionId }) => importedDoses(ctx.db, sessionId),
    confirmImportedDoses: async ({ sessionId, markerIds, actor }) => {
      const found = importedDoses(ctx.db, sessionId);
      const session = getSession(ctx.db, sessionId);
      if (session?.patientId == null || found.patientCode === null)
        throw new ApiFailure(
          'conflict',
          'This session has no patient, so its doses belong to no dose log. Import the file for its patient.',
          'sessionId',
        );
      const unknown = markerIds.filter((id) => !found.doses.some((d) => d.markerId === id));
      if (unknown.length > 0)
        throw new ApiFailure(
          'not-found',
          `Session ${sessionId} has no imported dose ${unknown[0]}.`,
          'markerIds',
        );
      const core = new DosingCore(ctx.db);
      const patient = core.patient(String(session.patientId));
      const chosen = found.doses.filter((d) => markerIds.includes(d.markerId) && !d.inLog);
      core.addDoses(
        patient,
        chosen.map((d) => ({
          timeMs: d.timeMs,
          route: d.route,
          kind: d.kind,
          amount: d.amount,
          unit: d.unit,
          status: d.status,
          note: `From imported session ${sessionId}: ${d.text}`,
        })),
        actor,
      );
      return importedDoses(ctx.db, sessionId);
    },
  };
}
