import { useMemo } from 'react';
import { createApiClient } from './api.js';
import { LiveScreen } from './screens/live-screen.js';

export function App() {
  const api = useMemo(() => createApiClient(), []);
  return (
    <div className="app">
      <nav className="app__nav" aria-label="Main">
        <span className="app__brand">Tonus</span>
      </nav>
      <main className="app__main">
        <LiveScreen api={api} />
      </main>
    </div>
  );
}
