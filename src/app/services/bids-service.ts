import type { ApiHandlers } from '../../shared/api-contract.js';
import type { bidsMethods } from '../../shared/api/bids-api.js';
import { ApiFailure } from '../../shared/result.js';
import { writeBidsDataset } from '../../io/bids/bids-export.node.js';
import { SessionNotFoundError } from '../../storage/session-recording.node.js';
import { listSessions } from '../../storage/sessions.node.js';
import type { AppContext } from '../app-context.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { storedMainsHz } from './signal-quality-service.js';

/** Handlers of the EMG-BIDS export. */
export function bidsService(ctx: AppContext): Pick<ApiHandlers, keyof typeof bidsMethods> {
  return {
    exportBids: async ({ sessionIds, patientId, path }) => {
      const ids = new Set(sessionIds ?? []);
      if (patientId !== undefined)
        for (const s of listSessions(ctx.db, { patientId, status: 'complete' })) ids.add(s.id);
      if (ids.size === 0)
        throw new ApiFailure(
          'invalid-input',
          'Choose at least one session or a patient with sessions.',
          'sessionIds',
        );
      try {
        const files = writeBidsDataset(ctx.db, [...ids], path, {
          powerLineHz: storedMainsHz(ctx.db),
          version: (
            JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
          ).version,
        });
        return { folder: path, files };
      } catch (err) {
        if (err instanceof SessionNotFoundError) throw new ApiFailure('not-found', err.message, 'sessionIds');
        if (err instanceof RangeError) throw new ApiFailure('invalid-input', err.message, 'sessionIds');
        throw err;
      }
    },
  };
}
