import { useEffect, useMemo, useState } from 'react';
import { createApiClient } from './api.js';
import { routeFromHash, routes, type RouteId } from './routes.js';
import { LiveScreen } from './screens/live-screen.js';
import { SettingsScreen } from './screens/settings-screen.js';
import { TrendsScreen } from './screens/trends-screen.js';
import { applyTheme } from './theme.js';

export function App() {
  const api = useMemo(() => createApiClient(), []);
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash));

  useEffect(() => {
    const onHash = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    api.call('getSettings', {}).then(
      (s) => applyTheme(s.theme),
      () => undefined,
    );
    return () => window.removeEventListener('hashchange', onHash);
  }, [api]);

  return (
    <div className="app">
      <nav className="app__nav" aria-label="Main">
        <span className="app__brand">Tonus</span>
        <ul>
          {routes.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={r.id === route ? 'page' : undefined}>
                {r.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app__main">
        {route === 'live' && <LiveScreen api={api} />}
        {route === 'trends' && <TrendsScreen api={api} />}
        {route === 'settings' && <SettingsScreen api={api} />}
      </main>
    </div>
  );
}
