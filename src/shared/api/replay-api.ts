import { z } from 'zod';

/** Where a replay is: `positionS` of `durationS` seconds of the recording played back. */
export const ReplayPositionSchema = z.object({
  deviceId: z.string(),
  positionS: z.number().min(0),
  durationS: z.number().min(0),
});
export type ReplayPosition = z.infer<typeof ReplayPositionSchema>;

/** Controlling the replay of a recording file or stored session on the live stream. */
export const replayMethods = {
  /**
   * Moves the running replay to `positionS` (clamped to the recording) and answers the new position. A
   * backward seek plays the earlier part again with later timestamps; a forward seek shows as a gap.
   * Fails with `conflict` when no replay is streaming.
   */
  seekStream: {
    input: z.object({ positionS: z.number().finite() }).strict(),
    output: ReplayPositionSchema,
  },
  /** The running replay's position, or null when the live stream is not a replay (or nothing streams). */
  getReplayPosition: {
    input: z.object({}).strict(),
    output: ReplayPositionSchema.nullable(),
  },
} as const;
