import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Patient } from '../src/shared/api/patient-api.js';
import type { Session } from '../src/shared/api/session-api.js';
import { AngleUnitContext } from './angle-unit-context.js';
import { createApiClient } from './api.js';
import { ConnectionBanner } from './components/connection-banner.js';
import { formatClockTime } from './connection-words.js';
import { ConnectionLostContext } from './connection-context.js';
import { ConnectionMonitor } from './connection-monitor.js';
import { routeFromHash, routes, type RouteId } from './routes.js';
import { DevicesScreen } from './screens/devices-screen.js';
import { DosesScreen } from './screens/doses-screen.js';
import { LiveScreen } from './screens/live-screen.js';
import { NewSessionScreen } from './screens/new-session-screen.js';
import { PatientsScreen } from './screens/patients-screen.js';
import { ReportScreen } from './screens/report-screen.js';
import { ReviewScreen } from './screens/review-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';
import { CohortScreen } from './screens/cohort-screen.js';
import { TrendsScreen } from './screens/trends-screen.js';
import { focusScreenStart } from './focus.js';
import { applyTheme } from './theme.js';
import type { AngleUnit } from './units.js';

export function App() {
  const connection = useMemo(() => new ConnectionMonitor(), []);
  const api = useMemo(() => createApiClient(connection), [connection]);
  const connectionState = useSyncExternalStore(connection.subscribe, connection.get);
  const lost = connectionState.kind === 'lost' || connectionState.kind === 'refused';
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash));
  const [patient, setPatient] = useState<Patient | undefined>();
  const [recording, setRecording] = useState<Session | undefined>();
  const [reviewId, setReviewId] = useState<number | undefined>();
  const [angleUnit, setAngleUnit] = useState<AngleUnit>('deg');
  /** Wall time of the last flush of the running recording that the page heard of (stored up to then). */
  // A ref, not state: flushes arrive twice a second and must not re-render the app; the banner reads it when the
  // connection state changes.
  const storedUpToMs = useRef<number | undefined>(undefined);
  const [resyncNotice, setResyncNotice] = useState<{ text: string; sessionId: number } | undefined>();
  const recordingRef = useRef<Session | undefined>(undefined);
  recordingRef.current = recording;
  const mainRef = useRef<HTMLElement>(null);
  const shownRoute = useRef(route);

  // A change of screen moves focus to the new screen (its heading, or what it marks to start at).
  useEffect(() => {
    if (shownRoute.current === route) return;
    shownRoute.current = route;
    focusScreenStart(mainRef.current);
  }, [route]);

  const go = useCallback((to: RouteId) => {
    window.location.hash = `#/${to}`;
    setRoute(to);
  }, []);

  useEffect(() => {
    const onHash = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    api.call('getSettings', {}).then(
      (s) => {
        applyTheme(s.theme);
        setAngleUnit(s.angleUnit);
      },
      () => undefined,
    );
    return () => window.removeEventListener('hashchange', onHash);
  }, [api]);

  useEffect(
    () =>
      api.on('recordingStatus', (s) => {
        if (s.status === 'recording' && !s.paused) storedUpToMs.current = Date.now();
      }),
    [api],
  );

  // At start and after every reconnection (the resync): a recording started before the page was (re)loaded
  // keeps running, so show it; one that ended while the page could not see it is said to have ended. (An
  // import being stored is `recording` too for a moment: only a live recording counts.)
  const generation = connection.generation;
  useEffect(() => {
    api.call('listSessions', { status: 'recording', origin: 'live', limit: 1 }).then(
      ([running]) => {
        const before = recordingRef.current;
        setRecording(running);
        if (!running) storedUpToMs.current = undefined;
        if (!before || running?.id === before.id) return;
        api.call('getSession', { sessionId: before.id }).then(
          (ended) =>
            setResyncNotice({
              sessionId: ended.id,
              text:
                `The recording of ${ended.patientCode ?? 'this patient'} ended while Tonus was unreachable` +
                (ended.endTimeMs === null
                  ? '.'
                  : `: it is stored up to ${formatClockTime(ended.endTimeMs)}.`),
            }),
          () => undefined,
        );
      },
      () => undefined,
    );
  }, [api, generation]);

  const shell = (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // The address's fragment holds the route: move focus without navigating.
          e.preventDefault();
          focusScreenStart(mainRef.current);
        }}
      >
        Skip to the screen
      </a>
      <nav className="app__nav" aria-label="Main">
        <span className="app__brand">Tonus</span>
        <p className="app__patient" aria-live="polite">
          {patient ? `Patient ${patient.code}` : 'No patient selected'}
        </p>
        <ul>
          {routes.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={r.id === route ? 'page' : undefined}>
                {r.label}
                {r.id === 'live' && recording && !lost ? ' ●' : ''}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app__main" id="main" ref={mainRef}>
        <ConnectionBanner
          state={connectionState}
          recordingStoredUpToMs={recording ? (storedUpToMs.current ?? recording.startTimeMs) : undefined}
        />
        {resyncNotice && (
          <p className="resync-notice" role="status">
            {resyncNotice.text}{' '}
            <button
              type="button"
              onClick={() => {
                setReviewId(resyncNotice.sessionId);
                setResyncNotice(undefined);
                go('review');
              }}
            >
              Review it
            </button>
          </p>
        )}
        {/* Disabled as a whole while the connection is lost; remounted (every screen reloads) when it is back. */}
        <fieldset key={generation} className="app__screen" disabled={lost}>
          {route === 'patients' && (
            <PatientsScreen
              api={api}
              selected={patient}
              onSelect={setPatient}
              onNewSession={(p) => {
                setPatient(p);
                go('new-session');
              }}
            />
          )}
          {route === 'new-session' && (
            <NewSessionScreen
              api={api}
              patient={patient}
              onStarted={(s) => {
                setRecording(s);
                storedUpToMs.current = s.startTimeMs;
                go('live');
              }}
              onChoosePatient={() => go('patients')}
              onLogDose={() => go('doses')}
            />
          )}
          {route === 'live' && (
            <LiveScreen
              api={api}
              recording={recording}
              onRecordingStopped={(s) => {
                setRecording(undefined);
                setReviewId(s.id);
                go('review');
              }}
              onNewSession={() => go(patient ? 'new-session' : 'patients')}
            />
          )}
          {route === 'review' && (
            <ReviewScreen
              api={api}
              patient={patient}
              sessionId={reviewId}
              onOpen={setReviewId}
              onReplay={() => go('live')}
            />
          )}
          {route === 'doses' &&
            (patient ? (
              <DosesScreen api={api} patient={patient} />
            ) : (
              <section className="screen">
                <h1>Doses</h1>
                <p>Choose a patient first.</p>
                <button type="button" className="primary" onClick={() => go('patients')}>
                  Choose patient
                </button>
              </section>
            ))}
          {route === 'devices' && <DevicesScreen api={api} onUse={() => go('live')} />}
          {route === 'trends' && <TrendsScreen api={api} patient={patient?.code} />}
          {route === 'report' && (
            <ReportScreen
              api={api}
              patient={patient}
              sessionId={reviewId}
              onChoosePatient={() => go('patients')}
            />
          )}
          {route === 'cohort' && <CohortScreen api={api} />}
          {route === 'settings' && <SettingsScreen api={api} onAngleUnit={setAngleUnit} />}
        </fieldset>
      </main>
    </div>
  );
  // Every screen reads the angle unit from here; Settings reports a saved change.
  return (
    <ConnectionLostContext.Provider value={lost}>
      <AngleUnitContext.Provider value={angleUnit}>{shell}</AngleUnitContext.Provider>
    </ConnectionLostContext.Provider>
  );
}
