import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Patient } from '../src/shared/api/patient-api.js';
import type { Session } from '../src/shared/api/session-api.js';
import { AngleUnitContext } from './angle-unit-context.js';
import { createApiClient } from './api.js';
import { routeFromHash, routes, type RouteId } from './routes.js';
import { DevicesScreen } from './screens/devices-screen.js';
import { DosesScreen } from './screens/doses-screen.js';
import { LiveScreen } from './screens/live-screen.js';
import { NewSessionScreen } from './screens/new-session-screen.js';
import { PatientsScreen } from './screens/patients-screen.js';
import { ReviewScreen } from './screens/review-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';
import { CohortScreen } from './screens/cohort-screen.js';
import { TrendsScreen } from './screens/trends-screen.js';
import { applyTheme } from './theme.js';
import type { AngleUnit } from './units.js';

export function App() {
  const api = useMemo(() => createApiClient(), []);
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash));
  const [patient, setPatient] = useState<Patient | undefined>();
  const [recording, setRecording] = useState<Session | undefined>();
  const [reviewId, setReviewId] = useState<number | undefined>();
  const [angleUnit, setAngleUnit] = useState<AngleUnit>('deg');

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
    // A recording started before the page was (re)loaded keeps running: show it. (An import being stored is
    // `recording` too for a moment: only a live recording counts.)
    api.call('listSessions', { status: 'recording', origin: 'live', limit: 1 }).then(
      ([s]) => s && setRecording(s),
      () => undefined,
    );
    return () => window.removeEventListener('hashchange', onHash);
  }, [api]);

  const shell = (
    <div className="app">
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
                {r.id === 'live' && recording ? ' ●' : ''}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app__main">
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
            <DosesScreen api={api} patientCode={patient.code} />
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
        {route === 'cohort' && <CohortScreen api={api} />}
        {route === 'settings' && <SettingsScreen api={api} onAngleUnit={setAngleUnit} />}
      </main>
    </div>
  );
  // Every screen reads the angle unit from here; Settings reports a saved change.
  return <AngleUnitContext.Provider value={angleUnit}>{shell}</AngleUnitContext.Provider>;
}
