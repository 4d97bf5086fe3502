import { z } from 'zod';

/** Most columns a trace may carry: the chart of one event never needs more than a column per pixel. */
export const MAX_TRACE_POINTS = 2000;

export const SignalTraceIdSchema = z.enum(['angle', 'velocity', 'envelope']);

/**
 * One min/max-decimated trace of a stored session: column i covers the samples around `timesS[i]` (s from
 * the session start, increasing) and holds their minimum `min[i]` and maximum `max[i]`; the three arrays
 * have the same length, at most the requested `maxPoints`.
 */
export const SignalTraceSchema = z.object({
  id: SignalTraceIdSchema,
  label: z.string(),
  unit: z.string(),
  /** Where the trace comes from, `stream/channel` (e.g. `imu/gz`, `emg/emg1`). */
  site: z.string(),
  timesS: z.array(z.number()),
  min: z.array(z.number()),
  max: z.array(z.number()),
});
export type SignalTrace = z.infer<typeof SignalTraceSchema>;

/** Reading derived signals of a stored session for a time window (the charts of each event in review). */
export const signalMethods = {
  /**
   * Joint angle (deg, integrated joint-axis gyro, or the angle channel), angular velocity (deg/s) and the
   * linear EMG envelope of the first EMG channel for `[fromS, toS]` of a stored session, each decimated to at
   * most `maxPoints` min/max columns. Traces the session cannot give (no IMU, no EMG) are left out. Times
   * are on the same clock as the analysis events (s from the session start). Fails with `not-found` for
   * an unknown session and `invalid-input` when `toS <= fromS`; with `not-found` and words saying where the
   * signals are when the session was recorded on another workstation and its signals are not here.
   */
  getSessionTraces: {
    input: z
      .object({
        sessionId: z.number().int().positive(),
        fromS: z.number().finite(),
        toS: z.number().finite(),
        maxPoints: z.number().int().min(16).max(MAX_TRACE_POINTS).default(600),
      })
      .strict(),
    output: z.object({ fromS: z.number(), toS: z.number(), traces: z.array(SignalTraceSchema) }),
  },
} as const;
