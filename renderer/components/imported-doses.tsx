import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { ImportedDoses } from '../../src/shared/api/imported-dose-api.js';
import { formatDateTime } from '../format.js';

/**
 * The doses an imported file states, for review: each waits, unticked, until a person adds it to the dose
 * log of the patient the file names. Shows nothing when the file states no doses.
 */
export function ImportedDosesReview({ api, sessionId }: { api: ApiClient; sessionId: number }) {
  const [found, setFound] = useState<ImportedDoses | undefined>();
  const [chosen, setChosen] = useState<number[]>([]);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.call('listImportedDoses', { sessionId }).then(setFound, (err: Error) => setError(err.message));
  }, [api, sessionId]);

  if (found === undefined || found.doses.length === 0) return error ? <p className="error">{error}</p> : null;
  const waiting = found.doses.filter((d) => !d.inLog);
  const confirm = (): void => {
    setError(undefined);
    api.call('confirmImportedDoses', { sessionId, markerIds: chosen, actor: 'import review' }).then(
      (next) => {
        setFound(next);
        setChosen([]);
      },
      (err: Error) => setError(`Not added: ${err.message}`),
    );
  };
  return (
    <fieldset>
      <legend>
        Doses in the file, for {found.patientCode ?? 'no patient'}: {waiting.length} to review
      </legend>
      <ul>
        {found.doses.map((d) => (
          <li key={d.markerId}>
            <label>
              <input
                type="checkbox"
                disabled={d.inLog}
                checked={d.inLog || chosen.includes(d.markerId)}
                onChange={(e) =>
                  setChosen((c) =>
                    e.target.checked ? [...c, d.markerId] : c.filter((x) => x !== d.markerId),
                  )
                }
              />{' '}
              {formatDateTime(d.timeMs)}:{' '}
              {d.text.replace(/^Dose( missed)?: /, d.status === 'missed' ? 'missed: ' : '')}
              {d.inLog ? ' (in the dose log)' : ''}
            </label>
          </li>
        ))}
      </ul>
      <button type="button" disabled={chosen.length === 0 || found.patientCode === null} onClick={confirm}>
        Add {chosen.length === 1 ? 'this dose' : `these ${chosen.length} doses`} to the dose log
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
