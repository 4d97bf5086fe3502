import { useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { CohortGroupView } from '../../src/shared/api/sync-api.js';
import { countOf, formatNumber } from '../format.js';
import { indicatorName, TREND_INDICATORS } from '../trends-format.js';

const PHASE_WORDS: Record<string, string> = { unknown: 'Dose phase unknown' };

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
          <table>
            <caption>{indicatorName(indicator)} by dose phase and relative concentration (C_rel)</caption>
            <thead>
              <tr>
                <th scope="col">Dose phase</th>
                <th scope="col">C_rel</th>
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
                  <td>{PHASE_WORDS[g.phase] ?? g.phase}</td>
                  <td>{g.cRelBand === 'unknown' ? 'unknown' : g.cRelBand}</td>
                  <td>
                    {formatNumber(g.mean, 2)} {g.unit}
                  </td>
                  <td>
                    {formatNumber(g.median, 2)} {g.unit}
                  </td>
                  <td>{g.sd === null ? '—' : `${formatNumber(g.sd, 2)} ${g.unit}`}</td>
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
