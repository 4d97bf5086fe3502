import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { LiveIndicatorsPayload } from '../../src/shared/api/device-api.js';
import type { RecordingStatus, Session } from '../../src/shared/api/session-api.js';
import {
  guidanceStep,
  ProtocolGuide,
  protocolTargetOf,
  type Guidance,
} from '../../src/shared/protocol-guidance.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { useConnectionLost } from '../connection-context.js';
import type { LiveMarkerList } from '../charts/live-markers.js';
import { countOf } from '../format.js';
import { protocolGuidance, protocolLabel } from '../protocols.js';
import { formatAngularVelocity } from '../units.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const formatElapsed = (s: number): string => `${pad(Math.floor(s / 60))}:${pad(Math.floor(s % 60))}`;

/** Redraws of the guidance per second: readable, far below the live event rate. */
const GUIDANCE_UPDATES_PER_S = 5;

/** An icon per kind of advice; the sentence beside it always says the same in words. */
const CUE_ICON: Record<Guidance['cue'], string> = {
  go: '▶',
  wait: '◔',
  good: '✓',
  'too-fast': '⚠',
  'too-slow': '⚠',
  still: '●',
  moving: '⚠',
  paused: '❚❚',
  done: '✓',
  none: '',
};

/** Keys that act on the recording unless the user is typing (inputs, selects, text areas). */
function isShortcut(e: KeyboardEvent, key: string): boolean {
  const target = e.target as HTMLElement | null;
  if (e.key.toLowerCase() !== key || e.ctrlKey || e.metaKey || e.altKey) return false;
  return !(target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

const sameGuidance = (a: Guidance, b: Guidance): boolean =>
  a.text === b.text && a.cue === b.cue && a.count === b.count && a.isComplete === b.isComplete;

/**
 * The recording in progress: what, how long (recorded time; it stops while paused), what was lost, counted
 * protocol guidance with velocity feedback, markers (button or M key; not while paused, as nothing is stored
 * then; drawn on the live charts), pause/resume (button or P key), stop. Screen readers hear one polite
 * announcement per guidance step (a repetition counted, paused, resumed, done), never the running counters.
 */
export function RecordingPanel({
  api,
  session,
  markers: chartMarkers,
  onStopped,
}: {
  api: ApiClient;
  session: Session;
  /** Where stored markers go to be drawn on the live charts. */
  markers: LiveMarkerList;
  onStopped: (s: Session) => void;
}) {
  const [status, setStatus] = useState<RecordingStatus | undefined>();
  const [markers, setMarkers] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const guide = useMemo(() => new ProtocolGuide(protocolTargetOf(session.protocol)), [session.protocol]);
  const [guidance, setGuidance] = useState<Guidance>(() =>
    guide.update({ nowMs: Date.now(), recordedS: 0, paused: false }),
  );
  const statusRef = useRef<RecordingStatus | undefined>(undefined);
  const liveRef = useRef<LiveIndicatorsPayload | undefined>(undefined);
  const paused = status?.paused === true;
  const angleUnit = useAngleUnit();
  const connectionLost = useConnectionLost();

  useEffect(
    () =>
      api.on('recordingStatus', (s) => {
        if (s.sessionId !== session.id) return;
        statusRef.current = s;
        setStatus(s);
      }),
    [api, session.id],
  );

  useEffect(() => {
    const observe = (): Guidance =>
      guide.update({
        nowMs: Date.now(),
        recordedS: statusRef.current?.elapsedS ?? 0,
        paused: statusRef.current?.paused === true,
        ...(liveRef.current ? { live: liveRef.current } : {}),
        formatVelocityDegS: (speedDegS) => formatAngularVelocity(speedDegS, angleUnit),
      });
    // Every live event is observed (the guide counts transitions); the sentence is redrawn a few times a second.
    const off = api.on('liveIndicators', (p) => {
      if (p.deviceId !== session.deviceId) return;
      liveRef.current = p;
      observe();
    });
    // Re-rendered only when the sentence or the count changes, not on every tick.
    const timer = setInterval(() => {
      const next = observe();
      setGuidance((prev) => (sameGuidance(prev, next) ? prev : next));
    }, 1000 / GUIDANCE_UPDATES_PER_S);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [api, guide, session.deviceId, angleUnit]);

  const addMarker = (): void => {
    if (paused) return;
    api.call('addMarker', { sessionId: session.id, text: `Marker ${markers + 1}` }).then(
      (m) => {
        chartMarkers.add({ timeMs: m.timeMs, text: m.text });
        setMarkers((n) => n + 1);
      },
      (e: Error) => setError(`Marker not saved: ${e.message}`),
    );
  };

  // A press while the last one is still on its way is kept, not dropped: the status event of a pause can show
  // "paused" before the pause's own answer arrives, and a P pressed then must still resume. The toggle reads
  // refs, not this render's values, so it starts from the state the server last confirmed.
  const busyRef = useRef(false);
  const pendingToggleRef = useRef(false);
  const togglePause = (): void => {
    if (busyRef.current) {
      pendingToggleRef.current = true;
      return;
    }
    busyRef.current = true;
    setBusy(true);
    const wasPaused = statusRef.current?.paused === true;
    api
      .call(wasPaused ? 'resumeRecording' : 'pauseRecording', {})
      .then(
        (s) => {
          statusRef.current = s;
          setStatus(s);
          setError(undefined);
        },
        (e: Error) => setError(`Could not ${wasPaused ? 'resume' : 'pause'}: ${e.message}`),
      )
      .finally(() => {
        busyRef.current = false;
        setBusy(false);
        if (pendingToggleRef.current) {
          pendingToggleRef.current = false;
          togglePause();
        }
      });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isShortcut(e, 'm')) {
        e.preventDefault();
        addMarker();
      } else if (isShortcut(e, 'p')) {
        e.preventDefault();
        togglePause();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const stop = (): void => {
    api.call('stopRecording', {}).then(onStopped, (e: Error) => setError(`Could not stop: ${e.message}`));
  };

  const icon = CUE_ICON[guidance.cue];
  const step = guidanceStep(guide.target, guidance);
  return (
    <section
      className={`card recording${paused || connectionLost ? ' recording--paused' : ''}`}
      aria-label="Recording"
      tabIndex={-1}
      data-focus-first
    >
      <div className="recording__head">
        {!connectionLost && <span className="recording__dot" aria-hidden="true" />}
        <strong>
          {connectionLost ? 'Recording state unknown (connection lost)' : 'Recording'}{' '}
          {session.patientCode ?? ''} · {protocolLabel(session.protocol)}
          {session.muscle ? ` · ${session.muscle}` : ''}
          {session.side ? ` ${session.side}` : ''}
        </strong>
        {paused && <span className="recording__state">Paused — nothing is being stored</span>}
        <span
          className="recording__clock"
          role="timer"
          aria-label={
            connectionLost ? 'Recorded time unknown' : paused ? 'Recorded time, paused' : 'Recorded time'
          }
        >
          {connectionLost ? '--:--' : formatElapsed(status?.elapsedS ?? 0)}
        </span>
      </div>
      {guidance.cue !== 'none' && !connectionLost && (
        <p
          className={`recording__guidance recording__guidance--${guidance.cue}`}
          aria-label="Protocol guidance"
        >
          {icon && (
            <span className="recording__cue" aria-hidden="true">
              {icon}
            </span>
          )}
          <span>{guidance.text}</span>
        </p>
      )}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {paused ? 'Recording paused, nothing is being stored. ' : ''}
        {step}
      </p>
      <p className="hint">{protocolGuidance(session.protocol, angleUnit)}</p>
      {/* Read on demand, never announced: the counters change twice a second. */}
      <p role="status" aria-live="off">
        {paused ? 'Paused · ' : ''}
        {countOf(status?.samples ?? 0, 'sample')} stored · {status?.droppedSamples ?? 0} dropped ·{' '}
        {countOf(status?.gapCount ?? 0, 'gap')} · {countOf(markers, 'marker')}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="toolbar">
        <button
          type="button"
          onClick={addMarker}
          disabled={paused}
          title={paused ? 'Resume to add markers' : undefined}
        >
          Add marker <kbd>M</kbd>
        </button>
        <button type="button" onClick={togglePause} disabled={busy}>
          {paused ? 'Resume recording' : 'Pause recording'} <kbd>P</kbd>
        </button>
        <button type="button" className="primary" onClick={stop}>
          Stop recording
        </button>
      </div>
    </section>
  );
}
