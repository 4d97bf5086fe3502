import type { ApiHandlers } from '../../shared/api-contract.js';
import type { patientMethods } from '../../shared/api/patient-api.js';
import { ApiFailure } from '../../shared/result.js';
import {
  createPatient,
  DuplicatePatientCodeError,
  listPatients,
  updatePatient,
} from '../../storage/patients.node.js';
import type { AppContext } from '../app-context.js';

function asConflict<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DuplicatePatientCodeError) throw new ApiFailure('conflict', err.message, 'code');
    throw err;
  }
}

/** Handlers of the patient methods of the contract. */
export function patientService(ctx: AppContext): Pick<ApiHandlers, keyof typeof patientMethods> {
  return {
    listPatients: async () => listPatients(ctx.db),
    createPatient: async (input) => asConflict(() => createPatient(ctx.db, input)),
    updatePatient: async ({ id, patch }) => {
      const updated = asConflict(() => updatePatient(ctx.db, id, patch));
      if (!updated) throw new ApiFailure('not-found', `There is no patient ${id}.`, 'id');
      return updated;
    },
  };
}
