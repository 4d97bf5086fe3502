import type { ConnectionState } from './connection-monitor.js';

/** Local wall-clock time with seconds on the 24-hour clock, e.g. 10:41:07. */
export const formatClockTime = (timeMs: number): string =>
  new Date(timeMs).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });

/**
 * What the page says while it cannot reach Tonus: that the connection is lost, how much of a recording in
 * progress is known to be stored, and that it is reconnecting; or that the access token was refused.
 */
export function connectionMessage(state: ConnectionState, recordingStoredUpToMs: number | undefined): string {
  if (state.kind === 'refused')
    return 'Tonus refused the access token of this page: open the address Tonus printed when it started (it carries the token). Your data is not affected.';
  const stored =
    recordingStoredUpToMs === undefined
      ? ''
      : `: the recording is stored up to ${formatClockTime(recordingStoredUpToMs)}`;
  return `Connection to Tonus lost${stored}; reconnecting… Controls are disabled until it is back.`;
}
