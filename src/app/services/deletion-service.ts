import type { ApiHandlers } from '../../shared/api-contract.js';
import type { deletionMethods } from '../../shared/api/deletion-api.js';
import { ApiFailure } from '../../shared/result.js';
import { listDeleted, purgeDeleted, softDelete, undoDelete } from '../../storage/deletions.node.js';
import { getPatient } from '../../storage/patients.node.js';
import { getSession, listSessions } from '../../storage/sessions.node.js';
import type { AppContext } from '../app-context.js';

/**
 * Handlers of delete with undo. What is due is purged when the app starts and whenever the deleted items
 * are listed, so nothing deleted outlives its 30 days by more than one use of the app.
 */
export function deletionService(
  ctx: AppContext,
  nowMs: () => number = Date.now,
): Pick<ApiHandlers, keyof typeof deletionMethods> {
  purgeDeleted(ctx.db, nowMs());
  return {
    deleteItem: async ({ entity, id }) => {
      let description: string;
      if (entity === 'patient') {
        const p = getPatient(ctx.db, id);
        if (!p) throw new ApiFailure('not-found', `There is no patient ${id}.`, 'id');
        if (listSessions(ctx.db, { patientId: id, status: 'recording' }).length > 0)
          throw new ApiFailure('conflict', `${p.code} is being recorded: stop the recording first.`, 'id');
        const n = listSessions(ctx.db, { patientId: id }).length;
        description = `Patient ${p.code} with ${n} session${n === 1 ? '' : 's'}`;
      } else {
        const s = getSession(ctx.db, id);
        if (!s) throw new ApiFailure('not-found', `There is no session ${id}.`, 'id');
        if (s.status === 'recording')
          throw new ApiFailure('conflict', 'This session is being recorded: stop the recording first.', 'id');
        description = `Session of ${s.patientCode ?? 'no patient'}`;
      }
      if (!softDelete(ctx.db, entity, id, description, nowMs()))
        throw new ApiFailure('conflict', `${description} is deleted already.`, 'id');
      const item = listDeleted(ctx.db).find((d) => d.entity === entity && d.id === id);
      if (!item) throw new ApiFailure('internal', `${description} was not found after deleting it.`);
      return item;
    },
    undoDelete: async ({ entity, id }) => {
      if (!undoDelete(ctx.db, entity, id, nowMs()))
        throw new ApiFailure('not-found', 'Nothing to undo: it is not deleted, or was purged.', 'id');
      return {};
    },
    listDeleted: async () => {
      purgeDeleted(ctx.db, nowMs());
      return listDeleted(ctx.db);
    },
  };
}
