import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Settings } from '../../src/shared/api/settings-api.js';
import { SyncCard } from '../components/sync-card.js';
import { applyTheme } from '../theme.js';
import type { AngleUnit } from '../units.js';

type LoadedSettings = Settings & { dataDir: string };

/**
 * Site settings: mains frequency, theme and units. Each change is saved at once; `onAngleUnit` hears the
 * angle unit once it is saved (and the previous one again if saving fails), so every screen shows it.
 */
export function SettingsScreen({
  api,
  onAngleUnit,
}: {
  api: ApiClient;
  onAngleUnit: (unit: AngleUnit) => void;
}) {
  const [settings, setSettings] = useState<LoadedSettings | undefined>();
  const [message, setMessage] = useState<{ text: string; isError: boolean } | undefined>();

  useEffect(() => {
    api
      .call('getSettings', {})
      .then(setSettings, (e: Error) => setMessage({ text: e.message, isError: true }));
  }, [api]);

  const save = (changes: Partial<Settings>): void => {
    const previous = settings;
    if (previous) setSettings({ ...previous, ...changes });
    api.call('updateSettings', changes).then(
      (next) => {
        setSettings(next);
        applyTheme(next.theme);
        onAngleUnit(next.angleUnit);
        setMessage({ text: 'Saved.', isError: false });
      },
      (e: Error) => {
        setSettings(previous);
        if (previous) onAngleUnit(previous.angleUnit);
        setMessage({ text: `Not saved: ${e.message}`, isError: true });
      },
    );
  };

  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {settings && (
        <form className="form" onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>Mains frequency</legend>
            <div className="choices">
              {([50, 60] as const).map((hz) => (
                <label key={hz}>
                  <input
                    type="radio"
                    name="mainsHz"
                    checked={settings.mainsHz === hz}
                    onChange={() => save({ mainsHz: hz })}
                  />{' '}
                  {hz} Hz
                </label>
              ))}
            </div>
            <p className="hint">
              Used to detect and remove power-line interference from EMG (Europe 50 Hz, North America 60 Hz).
            </p>
          </fieldset>
          <fieldset>
            <legend>Theme</legend>
            <div className="choices">
              {(['system', 'light', 'dark'] as const).map((theme) => (
                <label key={theme}>
                  <input
                    type="radio"
                    name="theme"
                    checked={settings.theme === theme}
                    onChange={() => save({ theme })}
                  />{' '}
                  {theme === 'system' ? 'Same as the computer' : theme === 'light' ? 'Light' : 'Dark'}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>Angle units</legend>
            <div className="choices">
              {(['deg', 'rad'] as const).map((unit) => (
                <label key={unit}>
                  <input
                    type="radio"
                    name="angleUnit"
                    checked={settings.angleUnit === unit}
                    onChange={() => save({ angleUnit: unit })}
                  />{' '}
                  {unit === 'deg' ? 'Degrees (°, °/s)' : 'Radians (rad, rad/s)'}
                </label>
              ))}
            </div>
            <p className="hint">
              Changes how angles and angular velocities are shown on screen (live values, review, charts,
              trends). Recordings, analyses, CSV reports and exports stay in degrees, the unit of the clinical
              literature; Tardieu angles are entered in degrees, as read on a goniometer.
            </p>
          </fieldset>
          <fieldset>
            <legend>Data folder</legend>
            <p>
              <code>{settings.dataDir}</code>
            </p>
            <p className="hint">
              All patient data is kept in this folder on this computer (and sent to the clinic server below,
              when one is set up). To use another folder, start Tonus with <code>--data-dir</code>.
            </p>
          </fieldset>
        </form>
      )}
      <form className="form" onSubmit={(e) => e.preventDefault()}>
        <SyncCard api={api} />
      </form>
      {message && (
        <p className={message.isError ? 'error' : 'hint'} role={message.isError ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
