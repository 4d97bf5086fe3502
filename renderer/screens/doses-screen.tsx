import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AmountField } from '../components/amount-field.js';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type {
  DoseContextSchema,
  DoseKindSchema,
  DoseLog,
  DoseRouteSchema,
  DoseUnitSchema,
  RegimenSchema,
  SideEffectSchema,
} from '../../src/shared/api/dosing-api.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import { doseWarnings, oralMgLast24h, type DoseContextForChecks } from '../../src/shared/plausibility.js';
import { DoseContextCard } from '../components/dose-context-card.js';
import { saveErrorOf, type SaveError } from '../components/field-note.js';
import { focusOnMount } from '../focus.js';
import { ACTOR_KEY, DoseEditPanel, type DoseAction } from '../components/dose-edit-panel.js';
import { PkSettingsForm } from '../components/pk-settings-form.js';
import { formatDateTime, fromDateTimeLocal, toDateTimeLocal } from '../format.js';

type Route = z.infer<typeof DoseRouteSchema>;
type Kind = z.infer<typeof DoseKindSchema>;
type Unit = z.infer<typeof DoseUnitSchema>;
type SideEffect = z.infer<typeof SideEffectSchema>;

const ROUTE_TEXT: Record<Route, string> = {
  oral: 'Oral tablet',
  itb_bolus: 'Intrathecal bolus',
  itb_continuous: 'Intrathecal pump rate',
  injection: 'Injection',
};
const DEFAULT_UNIT: Record<Route, Unit> = {
  oral: 'mg',
  itb_bolus: 'ug',
  itb_continuous: 'ug_per_day',
  injection: 'mg',
};
const DEFAULT_KIND: Record<Route, Kind> = {
  oral: 'scheduled',
  itb_bolus: 'flex_bolus',
  itb_continuous: 'rate_change',
  injection: 'extra',
};
const UNIT_TEXT: Record<Unit, string> = { mg: 'mg', ug: 'µg', ug_per_day: 'µg/day' };
type Dose = DoseLog['doses'][number];

/**
 * Dose log of one patient: quick entry, regimen, side effects, withdrawal-risk notes, the patient's PK
 * settings, and editing or deleting an entry with a reason, with its audit trail. The forms used less often
 * (regimen, side effect, PK settings) are folded, so the keyboard path to logging a dose stays short.
 */
export function DosesScreen({ api, patient }: { api: ApiClient; patient: Patient }) {
  const patientCode = patient.code;
  const [log, setLog] = useState<DoseLog | undefined>();
  const [context, setContext] = useState<z.infer<typeof DoseContextSchema> | undefined>();
  const [regimens, setRegimens] = useState<z.infer<typeof RegimenSchema>[]>([]);
  const [sideEffects, setSideEffects] = useState<SideEffect[]>([]);
  const [error, setError] = useState<string | undefined>();
  // `seq` makes the same message a new one (focused again) after each action.
  const [notice, setNoticeState] = useState<{ text: string; seq: number } | undefined>();
  const setNotice = (text: string): void => setNoticeState((n) => ({ text, seq: (n?.seq ?? 0) + 1 }));
  const [chosen, setChosen] = useState<{ dose: Dose; action: DoseAction } | undefined>();

  const reload = useCallback(() => {
    const now = Date.now();
    Promise.all([
      api.call('listDoses', { patient: patientCode, fromMs: now - 14 * 86_400_000, toMs: now + 86_400_000 }),
      api.call('getDoseContext', { patient: patientCode, timeMs: now }),
      api.call('listRegimens', { patient: patientCode }),
      api.call('listSideEffects', { patient: patientCode }),
    ]).then(
      ([l, c, r, s]) => {
        setLog(l);
        setContext(c);
        setRegimens(r);
        setSideEffects(s);
      },
      (e: Error) => setError(e.message),
    );
  }, [api, patientCode]);

  useEffect(reload, [reload]);
  useEffect(() => setChosen(undefined), [patientCode]);

  const run = (action: Promise<unknown>, done: string): void => {
    setError(undefined);
    action.then(
      () => {
        setNotice(done);
        reload();
      },
      (e: Error) => setError(e.message),
    );
  };

  return (
    <section className="screen" aria-labelledby="doses-title">
      <h1 id="doses-title">Doses — {patientCode}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && !error && (
        <p key={notice.seq} className="hint" role="status" tabIndex={-1} ref={focusOnMount}>
          {notice.text}
        </p>
      )}
      <div className="columns">
        <div>
          <DoseEntryForm
            checksAt={(timeMs) => ({
              birthYear: patient.birthYear,
              weightKg: patient.weightKg,
              otherOralMgLast24h: oralMgLast24h(log?.doses ?? [], timeMs),
            })}
            onSubmit={(dose, actor) =>
              api.call('addDoses', { patient: patientCode, doses: [dose], actor }).then(() => {
                setError(undefined);
                setNotice('Dose logged.');
                reload();
              })
            }
          />
          <details className="disclosure">
            <summary>Enter a regimen</summary>
            <RegimenForm
              onSubmit={(text, startMs) =>
                run(api.call('addRegimen', { patient: patientCode, text, startMs }), 'Regimen saved.')
              }
            />
          </details>
          <details className="disclosure">
            <summary>Log a side effect</summary>
            <SideEffectForm
              onSubmit={(effect) =>
                run(api.call('addSideEffect', { patient: patientCode, ...effect }), 'Side effect logged.')
              }
            />
          </details>
        </div>
        <div>
          {context && <DoseContextCard context={context} />}
          {log && log.flags.length > 0 && (
            <section className="card card--notice" aria-label="Notes for review">
              <h2>For review</h2>
              <ul>
                {log.flags.map((f) => (
                  <li key={`${f.kind}-${f.timeMs}`}>
                    {formatDateTime(f.timeMs)}: {f.text}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <details className="disclosure">
            <summary>Dose model (PK) settings</summary>
            <PkSettingsForm api={api} patientCode={patientCode} onSaved={reload} />
          </details>
          <section className="card" aria-label="Regimens">
            <h2>Regimen</h2>
            {regimens.length === 0 ? (
              <p className="hint">No regimen entered.</p>
            ) : (
              <ul>
                {regimens.map((r) => (
                  <li key={r.id}>
                    {r.amountMg} mg at {r.timesLocal.join(', ')} since {formatDateTime(r.startMs)}
                    {r.endMs !== undefined ? ` until ${formatDateTime(r.endMs)}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      {chosen && (
        <DoseEditPanel
          key={`${chosen.dose.id}-${chosen.action}`}
          api={api}
          patientCode={patientCode}
          dose={chosen.dose}
          action={chosen.action}
          checksAt={(timeMs) => ({
            birthYear: patient.birthYear,
            weightKg: patient.weightKg,
            otherOralMgLast24h: oralMgLast24h(log?.doses ?? [], timeMs, chosen.dose.id),
          })}
          onCancel={() => setChosen(undefined)}
          onDone={(message) => {
            setChosen(undefined);
            setNotice(message);
            reload();
          }}
        />
      )}
      {log && <DoseTable log={log} onChoose={(dose, action) => setChosen({ dose, action })} />}
      {sideEffects.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-label="Side effects">
            <caption>Side effects</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Effect</th>
                <th scope="col">Severity</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {sideEffects.map((s) => (
                <tr key={s.id}>
                  <td>{formatDateTime(s.timeMs)}</td>
                  <td>{s.kind}</td>
                  <td>{s.severity}</td>
                  <td>{s.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DoseTable({ log, onChoose }: { log: DoseLog; onChoose: (dose: Dose, action: DoseAction) => void }) {
  const missed = log.expected.filter((e) => e.status === 'missed');
  const rows = [
    ...log.doses.map((d) => ({
      key: `d${d.id}`,
      timeMs: d.timeMs,
      what: `${ROUTE_TEXT[d.route]}, ${d.kind.replace('_', ' ')}`,
      amount: `${d.amount} ${UNIT_TEXT[d.unit]}`,
      status: d.status,
      note: d.note ?? '',
      dose: d as Dose | undefined,
    })),
    ...missed.map((e) => ({
      key: `m${e.timeMs}`,
      timeMs: e.timeMs,
      what: 'Expected by regimen',
      amount: `${e.amountMg} mg`,
      status: 'missed' as const,
      note: '',
      dose: undefined,
    })),
  ].sort((a, b) => b.timeMs - a.timeMs);
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Dose log">
        <caption>Dose log, last 14 days (time zone {log.timeZone})</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">What</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Note</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={6}>No doses logged yet.</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.key} className={r.status === 'missed' ? 'row--missed' : undefined}>
              <td>{formatDateTime(r.timeMs)}</td>
              <td>{r.what}</td>
              <td>{r.amount}</td>
              <td>{r.status === 'missed' ? '✗ missed' : '✓ taken'}</td>
              <td>{r.note}</td>
              <td className={r.dose ? 'actions' : undefined}>
                {r.dose && (
                  <>
                    <button
                      type="button"
                      onClick={() => onChoose(r.dose as Dose, 'edit')}
                      aria-label={`Change the dose of ${formatDateTime(r.timeMs)}`}
                    >
                      Change
                    </button>
                    <button
                      type="button"
                      onClick={() => onChoose(r.dose as Dose, 'delete')}
                      aria-label={`Delete the dose of ${formatDateTime(r.timeMs)}`}
                    >
                      Delete
                    </button>
                    <button
                      type="button"
                      onClick={() => onChoose(r.dose as Dose, 'audit')}
                      aria-label={`History of the dose of ${formatDateTime(r.timeMs)}`}
                    >
                      History
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface DoseDraft {
  timeMs: number;
  route: Route;
  kind: Kind;
  amount: number;
  unit: Unit;
  status: 'taken' | 'missed';
  note?: string;
}

/**
 * Quick dose entry. Unusual amounts are warned about at the field as they are typed (never blocked: the
 * button then says "Log dose anyway"); a refused save is shown at its field, in words.
 */
function DoseEntryForm({
  checksAt,
  onSubmit,
}: {
  /** What the plausibility checks need to know for a dose at this time. */
  checksAt: (timeMs: number) => DoseContextForChecks;
  onSubmit: (dose: DoseDraft, actor: string) => Promise<void>;
}) {
  const [time, setTime] = useState(() => toDateTimeLocal(Date.now()));
  const [route, setRoute] = useState<Route>('oral');
  const [amount, setAmount] = useState('5');
  const [status, setStatus] = useState<'taken' | 'missed'>('taken');
  const [note, setNote] = useState('');
  const [actor, setActor] = useState(() => localStorage.getItem(ACTOR_KEY) ?? '');
  const [saveError, setSaveError] = useState<SaveError | undefined>();
  const timeMs = fromDateTimeLocal(time);
  const draft: DoseDraft = {
    timeMs,
    route,
    kind: DEFAULT_KIND[route],
    amount: Number(amount),
    unit: DEFAULT_UNIT[route],
    status,
    ...(note ? { note } : {}),
  };
  const warnings = amount.trim() === '' ? [] : doseWarnings(draft, checksAt(timeMs));
  const atField = (field: string): string | undefined =>
    saveError?.field === field ? saveError.message : undefined;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    localStorage.setItem(ACTOR_KEY, actor);
    setSaveError(undefined);
    onSubmit(draft, actor).then(
      () => setNote(''),
      (err: unknown) => setSaveError(saveErrorOf(err)),
    );
  };

  return (
    <form className="form card" onSubmit={submit} aria-labelledby="dose-entry-title">
      <h2 id="dose-entry-title">Log a dose</h2>
      <label>
        Time
        <input type="datetime-local" required value={time} onChange={(e) => setTime(e.target.value)} />
      </label>
      <label>
        Route
        <select value={route} onChange={(e) => setRoute(e.target.value as Route)}>
          {(Object.keys(ROUTE_TEXT) as Route[]).map((r) => (
            <option key={r} value={r}>
              {ROUTE_TEXT[r]}
            </option>
          ))}
        </select>
      </label>
      <AmountField
        id="dose-amount"
        unit={UNIT_TEXT[DEFAULT_UNIT[route]]}
        value={amount}
        onChange={setAmount}
        error={atField('amount')}
        warnings={warnings}
      />
      <fieldset>
        <legend>Status</legend>
        <div className="choices">
          <label>
            <input
              type="radio"
              name="dose-status"
              checked={status === 'taken'}
              onChange={() => setStatus('taken')}
            />{' '}
            Taken
          </label>
          <label>
            <input
              type="radio"
              name="dose-status"
              checked={status === 'missed'}
              onChange={() => setStatus('missed')}
            />{' '}
            Missed
          </label>
        </div>
      </fieldset>
      <label>
        Note
        <input type="text" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label>
        Entered by (initials)
        <input
          type="text"
          required
          maxLength={100}
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
      </label>
      {saveError && !['amount'].includes(saveError.field ?? '') && (
        <p className="error" role="alert">
          Not logged: {saveError.message}
        </p>
      )}
      <button type="submit" className="primary">
        {warnings.length > 0 ? 'Log dose anyway' : 'Log dose'}
      </button>
    </form>
  );
}

function RegimenForm({ onSubmit }: { onSubmit: (text: string, startMs: number) => void }) {
  const [text, setText] = useState('5 mg TID');
  const [start, setStart] = useState(() => toDateTimeLocal(Date.now()));
  return (
    <form
      className="form card"
      aria-labelledby="regimen-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(text, fromDateTimeLocal(start));
      }}
    >
      <h2 id="regimen-title">Regimen</h2>
      <label>
        Prescription
        <input
          type="text"
          required
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby="regimen-hint"
        />
      </label>
      <p id="regimen-hint" className="hint">
        For example “5 mg TID” or “2.5 mg at 07:00, 15:00, 23:00” (local clock times).
      </p>
      <label>
        From
        <input type="datetime-local" required value={start} onChange={(e) => setStart(e.target.value)} />
      </label>
      <button type="submit">Save regimen</button>
    </form>
  );
}

function SideEffectForm({
  onSubmit,
}: {
  onSubmit: (effect: {
    timeMs: number;
    kind: SideEffect['kind'];
    severity: SideEffect['severity'];
    note?: string;
  }) => void;
}) {
  const [kind, setKind] = useState<SideEffect['kind']>('drowsiness');
  const [severity, setSeverity] = useState<SideEffect['severity']>('mild');
  const [time, setTime] = useState(() => toDateTimeLocal(Date.now()));
  return (
    <form
      className="form card"
      aria-labelledby="side-effect-title"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ timeMs: fromDateTimeLocal(time), kind, severity });
      }}
    >
      <h2 id="side-effect-title">Side effect</h2>
      <label>
        Effect
        <select value={kind} onChange={(e) => setKind(e.target.value as SideEffect['kind'])}>
          {(['dizziness', 'nausea', 'fatigue', 'drowsiness', 'weakness', 'other'] as const).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Severity
        <select value={severity} onChange={(e) => setSeverity(e.target.value as SideEffect['severity'])}>
          {(['mild', 'moderate', 'severe'] as const).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Time
        <input type="datetime-local" required value={time} onChange={(e) => setTime(e.target.value)} />
      </label>
      <button type="submit">Log side effect</button>
    </form>
  );
}
