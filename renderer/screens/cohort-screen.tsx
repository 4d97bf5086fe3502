import { useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { CohortGroupView } from '../../src/shared/api/sync-api.js';
import { countOf, formatNumber } from '../format.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { indicatorName, phaseText, TREND_INDICATORS } from '../trends-format.js';
import { displayDigits, displayUnit } from '../units.js';

/**
 * For researchers: one indicator by dose phase and C_rel band across every patient and site of the study
 * server, computed on the server (pooled pseudonymous data only), with the number of sessions, patients
 * and sites behind each value.
 */
export function CohortScreen({ api }: { api: ApiClient }) {
  const [indicator, setIndicator] = useState(TREND_INDICATORS[0]?.id ?? 'rmsHV');
  const [groups, setGroups] = useState<CohortGroupView[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const angleUnit = useAngleUnit();
  /** A pooled value in the unit the user chose (angles in ° or rad), with its unit text. */
  const shown = (value: number, unit: string): string => {
    const u = displayUnit(unit, angleUnit);
    return `${formatNumber(value * u.factor, u.isAngular ? displayDigits(2, angleUnit) : 2)} ${u.text}`.trim();
  };

  const load = (): void => {
    setBusy(true);
    setProblem(undefined);
    api.call('getCohort', { indicator }).then(
      (r) => {
        setGroups(r.groups);
        setBusy(false);
      },
      (e: Error) => {
        setGroups(undefined);
        setProblem(e.message);
        setBusy(false);
      },
    );
  };

  return (
    <section className="screen" aria-labelledby="cohort-title">
      <h1 id="cohort-title">Cohort</h1>
      <p className="hint">
        Pooled across patients and sites of the study server, pseudonymous: no patient codes or notes.
        Decision support for research, never dosing advice.
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          Indicator{' '}
          <select value={indicator} onChange={(e) => setIndicator(e.target.value)}>
            {TREND_INDICATORS.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Computing on the server…' : 'Show cohort'}
        </button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {groups && groups.length === 0 && <p>No sessions with {indicatorName(indicator)} on the server yet.</p>}
      {groups && groups.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <caption>{indicatorName(indicator)} by dose phase and relative concentration</caption>
            <thead>
              <tr>
                <th scope="col">Dose phase</th>
                <th scope="col">Relative concentration</th>
                <th scope="col">Mean</th>
                <th scope="col">Median</th>
                <th scope="col">SD</th>
                <th scope="col">Sessions</th>
                <th scope="col">Patients</th>
                <th scope="col">Sites</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={`${g.phase} ${g.cRelBand}`}>
                  <td>{phaseText(g.phase)}</td>
                  <td>{g.cRelBand === 'unknown' ? 'Unknown' : g.cRelBand}</td>
                  <td>{shown(g.mean, g.unit)}</td>
                  <td>{shown(g.median, g.unit)}</td>
                  <td>{g.sd === null ? '—' : shown(g.sd, g.unit)}</td>
                  <td>{countOf(g.sessions, 'session')}</td>
                  <td>{countOf(g.patients, 'patient')}</td>
                  <td>{countOf(g.sites, 'site')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
