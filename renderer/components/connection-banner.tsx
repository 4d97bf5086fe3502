import type { ConnectionState } from '../connection-monitor.js';
import { connectionMessage } from '../connection-words.js';

/** The banner shown over every screen while the connection is lost or refused; nothing otherwise. */
export function ConnectionBanner({
  state,
  recordingStoredUpToMs,
}: {
  state: ConnectionState;
  recordingStoredUpToMs: number | undefined;
}) {
  if (state.kind !== 'lost' && state.kind !== 'refused') return null;
  return (
    <p className="connection-banner" role="alert">
      <span aria-hidden="true">⚠ </span>
      {connectionMessage(state, recordingStoredUpToMs)}
    </p>
  );
}
