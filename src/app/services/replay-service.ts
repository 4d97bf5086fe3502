import type { ApiHandlers } from '../../shared/api-contract.js';
import type { replayMethods } from '../../shared/api/replay-api.js';
import { ApiFailure } from '../../shared/result.js';
import type { AppContext } from '../app-context.js';

/** Handlers of the replay methods: seek in, and read the position of, the replay on the live stream. */
export function replayService(ctx: AppContext): Pick<ApiHandlers, keyof typeof replayMethods> {
  return {
    seekStream: async ({ positionS }) => {
      const replay = ctx.acquisition.replayControl();
      if (!replay)
        throw new ApiFailure('conflict', 'No replay is playing: start a replay of a session first.');
      replay.control.seek(positionS);
      return {
        deviceId: replay.deviceId,
        positionS: replay.control.positionS(),
        durationS: replay.control.durationS,
      };
    },
    getReplayPosition: async () => {
      const replay = ctx.acquisition.replayControl();
      return replay
        ? {
            deviceId: replay.deviceId,
            positionS: replay.control.positionS(),
            durationS: replay.control.durationS,
          }
        : null;
    },
  };
}
