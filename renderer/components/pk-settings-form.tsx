import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { dosingMethods } from '../../src/shared/api/dosing-api.js';

type PkSettings = z.infer<typeof dosingMethods.getPkSettings.output>;

const AGE_TEXT: Record<PkSettings['ageGroup'], string> = { child: 'Child', adult: 'Adult' };

/**
 * The patient's PK settings (domain spec §6.2): age group, half-life, time to peak, time zone and absolute
 * mode, saved with setPkSettings. Defaults are marked as such; the API's warnings (e.g. a half-life that
 * suggests renal impairment, the absolute-mode caveat) are shown in words after loading and saving.
 */
export function PkSettingsForm({
  api,
  patientCode,
  onSaved,
}: {
  api: ApiClient;
  patientCode: string;
  onSaved?: () => void;
}) {
  const [loaded, setLoaded] = useState<PkSettings | undefined>();
  const [ageGroup, setAgeGroup] = useState<PkSettings['ageGroup']>('child');
  const [halfLife, setHalfLife] = useState('');
  const [tmax, setTmax] = useState('');
  const [timeZone, setTimeZone] = useState('');
  const [absolute, setAbsolute] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);

  const show = (s: PkSettings): void => {
    setLoaded(s);
    setAgeGroup(s.ageGroup);
    setHalfLife(String(s.halfLifeH));
    setTmax(String(s.tmaxH));
    setTimeZone(s.timeZone);
    setAbsolute(s.absoluteMode);
  };

  useEffect(() => {
    setSaved(false);
    setError(undefined);
    api
      .call('getPkSettings', { patient: patientCode })
      .then(show, (e: Error) => setError(`Could not load the PK settings: ${e.message}`));
  }, [api, patientCode]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    api
      .call('setPkSettings', {
        patient: patientCode,
        ageGroup,
        halfLifeH: Number(halfLife),
        tmaxH: Number(tmax),
        timeZone: timeZone.trim(),
        absoluteMode: absolute,
        ...(loaded?.ke0PerH === undefined ? {} : { ke0PerH: loaded.ke0PerH }),
      })
      .then(
        (s) => {
          show(s);
          setSaved(true);
          onSaved?.();
        },
        (err: Error) => setError(`Not saved: ${err.message}. Correct the field and save again.`),
      );
  };

  return (
    <form className="form card pk-form" onSubmit={submit} aria-labelledby="pk-title">
      <h2 id="pk-title">Dose model (PK) for {patientCode}</h2>
      {loaded?.isDefault && (
        <p className="hint" role="status">
          Using the defaults for a {AGE_TEXT[loaded.ageGroup].toLowerCase()}; save to keep settings for this
          patient.
        </p>
      )}
      <label>
        Age group
        <select value={ageGroup} onChange={(e) => setAgeGroup(e.target.value as PkSettings['ageGroup'])}>
          {(Object.keys(AGE_TEXT) as PkSettings['ageGroup'][]).map((a) => (
            <option key={a} value={a}>
              {AGE_TEXT[a]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Half-life t½ (hours)
        <input
          type="number"
          required
          min="0.1"
          step="0.1"
          value={halfLife}
          onChange={(e) => setHalfLife(e.target.value)}
          aria-describedby="pk-hint"
        />
      </label>
      <label>
        Time to peak Tmax (hours)
        <input
          type="number"
          required
          min="0.1"
          step="0.1"
          value={tmax}
          onChange={(e) => setTmax(e.target.value)}
          aria-describedby="pk-hint"
        />
      </label>
      <p id="pk-hint" className="hint">
        Usual ranges: t½ 2–8 h (child default 4.5 h, adult 3.5 h), Tmax 0.5–3 h (default 1 h).
      </p>
      <label>
        Time zone of the dose times
        <input
          type="text"
          required
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          placeholder="e.g. Europe/Amsterdam"
        />
      </label>
      <label className="pk-form__check">
        <input type="checkbox" checked={absolute} onChange={(e) => setAbsolute(e.target.checked)} /> Show
        absolute concentrations (research)
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p className="hint" role="status">
          PK settings saved; dose contexts of this patient&apos;s sessions were recomputed.
        </p>
      )}
      {loaded && loaded.warnings.length > 0 && (
        <ul className="pk-form__warnings" aria-label="Warnings about these settings">
          {loaded.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <button type="submit">Save PK settings</button>
    </form>
  );
}
