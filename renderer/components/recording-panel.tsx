import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { RecordingStatus, Session } from '../../src/shared/api/session-api.js';
import { protocolLabel, protocols } from '../protocols.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const formatElapsed = (s: number): string => `${pad(Math.floor(s / 60))}:${pad(Math.floor(s % 60))}`;

/** The recording in progress: what, how long, what was lost, guidance, markers (button or M key), stop. */
export function RecordingPanel({
  api,
  session,
  onStopped,
}: {
  api: ApiClient;
  session: Session;
  onStopped: (s: Session) => void;
}) {
  const [status, setStatus] = useState<RecordingStatus | undefined>();
  const [markers, setMarkers] = useState(0);
  const [error, setError] = useState<string | undefined>();

  useEffect(
    () => api.on('recordingStatus', (s) => s.sessionId === session.id && setStatus(s)),
    [api, session.id],
  );

  const addMarker = (): void => {
    api.call('addMarker', { sessionId: session.id, text: `Marker ${markers + 1}` }).then(
      () => setMarkers((n) => n + 1),
      (e: Error) => setError(`Marker not saved: ${e.message}`),
    );
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (e.key.toLowerCase() !== 'm' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      e.preventDefault();
      addMarker();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const stop = (): void => {
    api.call('stopRecording', {}).then(onStopped, (e: Error) => setError(`Could not stop: ${e.message}`));
  };

  return (
    <section className="card recording" aria-label="Recording">
      <div className="recording__head">
        <span className="recording__dot" aria-hidden="true" />
        <strong>
          Recording {session.patientCode ?? ''} · {protocolLabel(session.protocol)}
          {session.muscle ? ` · ${session.muscle}` : ''}
          {session.side ? ` ${session.side}` : ''}
        </strong>
        <span className="recording__clock" role="timer" aria-label="Elapsed time">
          {formatElapsed(status?.elapsedS ?? 0)}
        </span>
      </div>
      <p className="hint">{protocols.find((p) => p.id === session.protocol)?.guidance}</p>
      <p role="status" aria-live="polite">
        {(status?.samples ?? 0).toLocaleString()} samples stored · {status?.droppedSamples ?? 0} dropped ·{' '}
        {status?.gapCount ?? 0} gaps · {markers} markers
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="toolbar">
        <button type="button" onClick={addMarker}>
          Add marker <kbd>M</kbd>
        </button>
        <button type="button" className="primary" onClick={stop}>
          Stop recording
        </button>
      </div>
    </section>
  );
}
