import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DoseContextSchema } from '../../src/shared/api/dosing-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { formatAngle } from '../units.js';
import { DoseContextCard } from './dose-context-card.js';

type DoseContext = z.infer<typeof DoseContextSchema>;

/** "Modified Ashworth 1+", "Tardieu X 2, R1 35°, R2 80°" in words; empty when nothing was entered. */
export function clinicalScoreRows(
  clinical: Session['clinical'],
  angleUnit: 'deg' | 'rad',
): { term: string; value: string }[] {
  if (!clinical) return [];
  const rows: { term: string; value: string }[] = [];
  if (clinical.modifiedAshworth !== undefined)
    rows.push({ term: 'Modified Ashworth', value: clinical.modifiedAshworth });
  if (clinical.tardieuQuality !== undefined)
    rows.push({ term: 'Tardieu quality of reaction (X)', value: `${clinical.tardieuQuality} of 5` });
  if (clinical.tardieuR1Deg !== undefined)
    rows.push({ term: 'Tardieu angle of catch (R1)', value: formatAngle(clinical.tardieuR1Deg, angleUnit) });
  if (clinical.tardieuR2Deg !== undefined)
    rows.push({ term: 'Tardieu full range (R2)', value: formatAngle(clinical.tardieuR2Deg, angleUnit) });
  return rows;
}

/**
 * What the clinician brought to the session: the scores entered at New session, the dose timing at the
 * session's start, and an editable note.
 */
export function SessionClinicalCard({
  api,
  session,
  onSaved,
}: {
  api: ApiClient;
  session: Session;
  onSaved?: (s: Session) => void;
}) {
  const angleUnit = useAngleUnit();
  const [context, setContext] = useState<DoseContext | null | undefined>();
  const [contextError, setContextError] = useState<string | undefined>();
  const [note, setNote] = useState(session.note ?? '');
  const [saved, setSaved] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  // Another session: its own note, no message. (A save of this one keeps the text and says "Note saved.")
  const [shownId, setShownId] = useState(session.id);
  if (shownId !== session.id) {
    setShownId(session.id);
    setNote(session.note ?? '');
    setSaved(undefined);
    setError(undefined);
  }

  useEffect(() => {
    if (session.patientId === null) {
      setContext(null);
      return;
    }
    let cancelled = false;
    setContext(undefined);
    setContextError(undefined);
    api.call('getSessionDoseContext', { sessionId: session.id }).then(
      (c) => !cancelled && setContext(c),
      (e: Error) => {
        if (cancelled) return;
        setContext(null);
        setContextError(e.message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, session.id, session.patientId]);

  const scores = clinicalScoreRows(session.clinical, angleUnit);
  const dirty = note.trim() !== (session.note ?? '');

  const save = (): void => {
    setBusy(true);
    setSaved(undefined);
    api
      .call('setSessionNote', { sessionId: session.id, note })
      .then(
        (s) => {
          setError(undefined);
          setSaved(s.note ? 'Note saved.' : 'Note cleared.');
          onSaved?.(s);
        },
        (e: Error) => setError(`The note was not saved: ${e.message}`),
      )
      .finally(() => setBusy(false));
  };

  return (
    <>
      <section className="card" aria-label="Clinical scores and note">
        <h2>Clinical scores and note</h2>
        {scores.length > 0 ? (
          <dl className="facts">
            {scores.map((r) => (
              <div key={r.term}>
                <dt>{r.term}</dt>
                <dd>{r.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="hint">No clinical scores were entered for this session.</p>
        )}
        <form
          className="session-note"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label htmlFor={`session-note-${session.id}`}>Session note</label>
          <textarea
            id={`session-note-${session.id}`}
            value={note}
            maxLength={2000}
            rows={3}
            onChange={(e) => {
              setNote(e.target.value);
              setSaved(undefined);
            }}
          />
          <div className="toolbar">
            <button type="submit" disabled={busy || !dirty}>
              Save note
            </button>
            <span role="status">{saved}</span>
          </div>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
        </form>
      </section>
      {context && <DoseContextCard context={context} title="Dose timing at this session" />}
      {context === null && (
        <p className="hint">
          {session.patientId === null
            ? 'No dose timing: this session has no patient.'
            : `No dose timing for this session: ${contextError ?? 'none could be worked out'}.`}
        </p>
      )}
    </>
  );
}
