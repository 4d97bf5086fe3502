import type { ApiHandlers } from '../../shared/api-contract.js';
import type { analysisMethods } from '../../shared/api/analysis-api.js';
import { ApiFailure } from '../../shared/result.js';
import { latestAnalysis } from '../../storage/analyses.node.js';
import { remoteSignalsWords } from '../../storage/remote-signals.node.js';
import type { AppContext } from '../app-context.js';
import { sessionForUser } from '../session-for-user.js';

/** Handlers of the analysis methods: run the per-session analysis on demand and read the newest one. */
export function analysisService(ctx: AppContext): Pick<ApiHandlers, keyof typeof analysisMethods> {
  const requireSession = (sessionId: number): void => {
    sessionForUser(ctx.db, sessionId);
  };
  return {
    analyzeSession: async ({ sessionId }) => {
      requireSession(sessionId);
      const elsewhere = remoteSignalsWords(ctx.db, sessionId);
      if (elsewhere !== undefined)
        throw new ApiFailure(
          'conflict',
          `This session cannot be analysed here: ${elsewhere[0]!.toLowerCase()}${elsewhere.slice(1)} Its stored analysis is the one shown.`,
          'sessionId',
        );
      await ctx.analyses.enqueue(sessionId);
      const stored = latestAnalysis(ctx.db, sessionId);
      if (!stored) throw new ApiFailure('internal', `The analysis of session ${sessionId} did not finish.`);
      return stored;
    },
    getSessionAnalysis: async ({ sessionId }) => {
      requireSession(sessionId);
      return latestAnalysis(ctx.db, sessionId) ?? null;
    },
  };
}
