import { useEffect, useState, type FormEvent } from 'react';
import { AmountField } from './amount-field.js';
import { doseWarnings, type DoseContextForChecks } from '../../src/shared/plausibility.js';
import { saveErrorOf, type SaveError } from './field-note.js';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DoseAuditSchema, DoseLog } from '../../src/shared/api/dosing-api.js';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../format.js';

type Dose = DoseLog['doses'][number];
type AuditEntry = z.infer<typeof DoseAuditSchema>;
/** What the panel does with the chosen entry. */
export type DoseAction = 'edit' | 'delete' | 'audit';

/** Where the actor's initials are remembered between entries (shared with the dose entry form). */
export const ACTOR_KEY = 'tonus-actor';
const UNIT_TEXT: Record<Dose['unit'], string> = { mg: 'mg', ug: 'µg', ug_per_day: 'µg/day' };
const ACTION_TEXT: Record<AuditEntry['action'], string> = {
  create: 'Entered',
  update: 'Changed',
  delete: 'Deleted',
};
const FIELD_TEXT: Record<string, string> = {
  timeMs: 'time',
  amount: 'amount',
  status: 'status',
  note: 'note',
  route: 'route',
  kind: 'kind',
  unit: 'unit',
};

/** "amount 5 → 7.5; note '' → 'vomited'": the fields an audit entry changed, in words. */
function changeText(entry: AuditEntry): string {
  const before = entry.oldValue ?? {};
  const after = entry.newValue ?? {};
  const show = (field: string, v: unknown): string =>
    v === undefined || v === null
      ? '(empty)'
      : field === 'timeMs' && typeof v === 'number'
        ? formatDateTime(v)
        : String(v);
  return Object.keys(FIELD_TEXT)
    .filter((f) => entry.action === 'update' && JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => `${FIELD_TEXT[f]} ${show(f, before[f])} → ${show(f, after[f])}`)
    .join('; ');
}

/**
 * Edit, delete (each with the reason required and the actor's initials, both kept in the audit trail) or
 * show the audit trail of one dose entry. `onDone(message)` is called after a change is saved.
 */
export function DoseEditPanel({
  api,
  patientCode,
  dose,
  action,
  checksAt,
  onDone,
  onCancel,
}: {
  api: ApiClient;
  patientCode: string;
  dose: Dose;
  action: DoseAction;
  /** What the plausibility checks need to know for a dose at this time (the entry itself left out). */
  checksAt: (timeMs: number) => DoseContextForChecks;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [time, setTime] = useState(() => toDateTimeLocal(dose.timeMs));
  const [amount, setAmount] = useState(String(dose.amount));
  const [status, setStatus] = useState(dose.status);
  const [note, setNote] = useState(dose.note ?? '');
  const [reason, setReason] = useState('');
  const [actor, setActor] = useState(() => localStorage.getItem(ACTOR_KEY) ?? '');
  const [audit, setAudit] = useState<AuditEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saveError, setSaveError] = useState<SaveError | undefined>();

  useEffect(() => {
    if (action !== 'audit') return;
    api
      .call('getDoseAudit', { patient: patientCode, doseId: dose.id })
      .then(setAudit, (e: Error) => setError(`Could not load the audit trail: ${e.message}`));
  }, [api, patientCode, dose.id, action]);

  const title = `${formatDateTime(dose.timeMs)}, ${dose.amount} ${UNIT_TEXT[dose.unit]}`;
  const editedTimeMs = fromDateTimeLocal(time);
  const warnings =
    action === 'edit' && amount.trim() !== ''
      ? doseWarnings(
          { route: dose.route, unit: dose.unit, amount: Number(amount), status, timeMs: editedTimeMs },
          checksAt(editedTimeMs),
        )
      : [];

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    localStorage.setItem(ACTOR_KEY, actor);
    // The field shows whole minutes: the time changes only if the user changed the field.
    const patch = {
      ...(time !== toDateTimeLocal(dose.timeMs) ? { timeMs: fromDateTimeLocal(time) } : {}),
      ...(Number(amount) !== dose.amount ? { amount: Number(amount) } : {}),
      ...(status !== dose.status ? { status } : {}),
      ...(note !== (dose.note ?? '') ? { note } : {}),
    };
    const call =
      action === 'delete'
        ? api.call('deleteDose', { id: dose.id, actor, reason })
        : api.call('updateDose', { id: dose.id, patch, actor, reason });
    setSaveError(undefined);
    call.then(
      () => onDone(action === 'delete' ? 'Dose entry deleted.' : 'Dose entry changed.'),
      (err: unknown) => setSaveError(saveErrorOf(err)),
    );
  };

  if (action === 'audit')
    return (
      <section className="card dose-panel" aria-labelledby="dose-panel-title">
        <h2 id="dose-panel-title">History of the dose entry {title}</h2>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {audit && (
          <ol className="dose-panel__audit" aria-label="Audit trail">
            {audit.map((a) => (
              <li key={a.id}>
                {`${ACTION_TEXT[a.action]} by ${a.changedBy} on ${formatDateTime(Date.parse(a.changedAt))}`}
                {changeText(a) && `: ${changeText(a)}`}
                {a.reason && ` — reason: ${a.reason}`}
              </li>
            ))}
          </ol>
        )}
        <button type="button" onClick={onCancel} autoFocus>
          Close
        </button>
      </section>
    );

  return (
    <form className="form card dose-panel" onSubmit={submit} aria-labelledby="dose-panel-title">
      <h2 id="dose-panel-title">
        {action === 'delete' ? 'Delete the dose entry' : 'Change the dose entry'} {title}
      </h2>
      {action === 'edit' && (
        <>
          <label>
            Time
            <input
              type="datetime-local"
              required
              value={time}
              onChange={(e) => setTime(e.target.value)}
              autoFocus
            />
          </label>
          <AmountField
            id="dose-edit-amount"
            unit={UNIT_TEXT[dose.unit]}
            value={amount}
            onChange={setAmount}
            error={saveError?.field === 'amount' ? saveError.message : undefined}
            warnings={warnings}
          />
          <label>
            Status
            <select value={status} onChange={(e) => setStatus(e.target.value as Dose['status'])}>
              <option value="taken">Taken</option>
              <option value="missed">Missed</option>
            </select>
          </label>
          <label>
            Note
            <input type="text" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
        </>
      )}
      <label>
        Reason for the {action === 'delete' ? 'deletion' : 'change'}
        <input
          type="text"
          required
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoFocus={action === 'delete'}
        />
      </label>
      <label>
        Changed by (initials)
        <input
          type="text"
          required
          maxLength={100}
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
      </label>
      <p className="hint">
        The old values, your initials and the reason are kept in the entry&apos;s history.
      </p>
      {saveError && saveError.field !== 'amount' && (
        <p className="error" role="alert">
          Not saved: {saveError.message}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className={action === 'delete' ? 'danger' : 'primary'}>
          {action === 'delete' ? 'Delete entry' : warnings.length > 0 ? 'Save change anyway' : 'Save change'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
