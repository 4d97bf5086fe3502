import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { SyncStatusView } from '../../src/shared/api/sync-api.js';
import { syncSummary } from '../sync-words.js';

/** Seconds between status refreshes while Settings is open. */
const REFRESH_S = 10;

/**
 * Settings card of the clinic server: where this computer syncs to, when it last did, what waits, and the last
 * error in words; "Sync now"; and the server's address with the password kept in the system keychain (the
 * desktop app) — elsewhere the password comes from `.pgpass`.
 */
export function SyncCard({ api }: { api: ApiClient }) {
  const [status, setStatus] = useState<SyncStatusView | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [form, setForm] = useState({
    host: '',
    port: '5432',
    database: 'tonus',
    user: '',
    caFile: '',
    password: '',
  });

  const refresh = useCallback(() => {
    api.call('getSyncStatus', {}).then(setStatus, (e: Error) => setProblem(e.message));
  }, [api]);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_S * 1000);
    return () => clearInterval(timer);
  }, [refresh]);

  const syncNow = (): void => {
    if (status) setStatus({ ...status, syncing: true });
    api.call('syncNow', {}).then(setStatus, (e: Error) => setProblem(e.message));
  };

  const saveServer = (): void => {
    const port = Number(form.port);
    api
      .call('setSyncServer', {
        host: form.host.trim(),
        port,
        database: form.database.trim(),
        user: form.user.trim(),
        ...(form.caFile.trim() ? { caFile: form.caFile.trim() } : {}),
        ...(form.password ? { password: form.password } : {}),
      })
      .then(
        (next) => {
          setStatus(next);
          setProblem(undefined);
          setForm({ ...form, password: '' });
        },
        (e: Error) => setProblem(`Not saved: ${e.message}`),
      );
  };

  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label>
      {label}{' '}
      <input
        type={type}
        value={form[key]}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );

  return (
    <fieldset aria-labelledby="sync-title">
      <legend id="sync-title">Clinic server</legend>
      {status && (
        <>
          {status.server && (
            <p>
              Server: <code>{status.server}</code>
            </p>
          )}
          <div aria-live="polite">
            {syncSummary(status).map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
          {status.error && (
            <p className="error" role="alert">
              Last sync failed: {status.error}
            </p>
          )}
          <p>
            <button type="button" onClick={syncNow} disabled={!status.server || status.syncing}>
              Sync now
            </button>
          </p>
          <details>
            <summary>Set the server</summary>
            <div className="form">
              {field('host', 'Server name')}
              {field('port', 'Port', 'number')}
              {field('database', 'Database')}
              {field('user', 'Site role')}
              {field('caFile', 'CA certificate file (optional)')}
              {status.keychain && field('password', 'Password (kept in the system keychain)', 'password')}
              <button type="button" onClick={saveServer} disabled={!form.host.trim() || !form.user.trim()}>
                Save server
              </button>
            </div>
            <p className="hint">
              Tonus connects over TLS and checks the server’s certificate and name (verify-full).
              {status.keychain
                ? ' The password is kept in the system keychain, never in a file.'
                : ' Put the password in ~/.pgpass (see docs/server.md); it is never stored by Tonus here.'}{' '}
              Recording never waits for the server: changes wait here until the next sync.
            </p>
          </details>
        </>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </fieldset>
  );
}
