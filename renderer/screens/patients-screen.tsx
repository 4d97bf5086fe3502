import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { AffectedSide, Patient } from '../../src/shared/api/patient-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import type { z } from 'zod';
import type { PatientGlanceSchema } from '../../src/shared/api/dosing-api.js';
import { birthYearWarnings } from '../../src/shared/plausibility.js';
import { describedBy, FieldNote, saveErrorOf, type SaveError } from '../components/field-note.js';
import type { DeletedItem } from '../../src/shared/api/deletion-api.js';
import { TrendGlance } from '../components/trend-glance.js';
import { UndoNotice } from '../components/undo-notice.js';
import { focusOnMount } from '../focus.js';
import { formatDateTime } from '../format.js';
import { protocolLabel } from '../protocols.js';
import { TREND_INDICATORS } from '../trends-format.js';

type Glance = z.infer<typeof PatientGlanceSchema>;

const SIDE_TEXT: Record<AffectedSide, string> = {
  left: 'Left',
  right: 'Right',
  bilateral: 'Both sides',
  none: 'None',
};

export interface PatientsScreenProps {
  api: ApiClient;
  selected: Patient | undefined;
  /** Selects a patient; undefined deselects (after the selected patient is deleted). */
  onSelect: (patient: Patient | undefined) => void;
  onNewSession: (patient: Patient) => void;
}

/** Patients: search, add, edit, pick one, and see each one's last session and key trend at a glance. */
export function PatientsScreen({ api, selected, onSelect, onNewSession }: PatientsScreenProps) {
  const [patients, setPatients] = useState<Patient[]>([]);
  const [lastSession, setLastSession] = useState<Map<number, Session>>(new Map());
  const [glances, setGlances] = useState<Map<string, Glance>>(new Map());
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Patient | 'new' | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** The last patient deleted here, and whether it was the selected one (Undo selects it again). */
  const [deleted, setDeleted] = useState<
    { item: DeletedItem; patient: Patient; wasSelected: boolean } | undefined
  >();
  const [savedNotice, setSavedNotice] = useState<{ text: string; seq: number } | undefined>();

  const reload = (): void => {
    api.call('listPatients', {}).then(setPatients, (e: Error) => setError(e.message));
    api.call('listSessions', { limit: 500 }).then(
      (sessions) => {
        const latest = new Map<number, Session>();
        for (const s of sessions) {
          if (s.patientId === null) continue;
          const prev = latest.get(s.patientId);
          if (!prev || prev.startTimeMs < s.startTimeMs) latest.set(s.patientId, s);
        }
        setLastSession(latest);
      },
      (e: Error) => setError(e.message),
    );
    api.call('getPatientGlances', { prefer: TREND_INDICATORS.map((i) => i.id) }).then(
      (list) => setGlances(new Map(list.map((g) => [g.patientCode, g]))),
      (e: Error) => setError(`Could not load the trends at a glance: ${e.message}`),
    );
  };
  useEffect(reload, [api]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q
      ? patients.filter((p) => p.code.toLowerCase().includes(q) || (p.note ?? '').toLowerCase().includes(q))
      : patients;
  }, [patients, query]);

  return (
    <section className="screen" aria-labelledby="patients-title">
      <header className="screen__header">
        <h1 id="patients-title">Patients</h1>
        <div className="toolbar">
          <label>
            Search{' '}
            <input
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder="Patient code"
            />
          </label>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add patient
          </button>
        </div>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {deleted && (
        <UndoNotice
          key={deleted.item.id}
          api={api}
          item={deleted.item}
          onUndone={() => {
            if (deleted.wasSelected) onSelect(deleted.patient);
            reload();
          }}
        />
      )}
      {savedNotice && !editing && (
        <p key={savedNotice.seq} className="hint" role="status" tabIndex={-1} ref={focusOnMount}>
          {savedNotice.text}
        </p>
      )}
      {editing && (
        <PatientForm
          api={api}
          patient={editing === 'new' ? undefined : editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) {
              onSelect(saved);
              reload();
              setSavedNotice((n) => ({
                text: `Patient ${saved.code} saved and selected.`,
                seq: (n?.seq ?? 0) + 1,
              }));
            }
          }}
        />
      )}
      <div className="table-scroll">
        <table className="table" aria-label="Patients">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Born</th>
              <th scope="col">GMFCS</th>
              <th scope="col">Affected side</th>
              <th scope="col">Weight</th>
              <th scope="col">Last session</th>
              <th scope="col">Trend at a glance</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={8}>
                  {patients.length === 0
                    ? 'No patients yet: add the first one.'
                    : 'No patient matches the search.'}
                </td>
              </tr>
            )}
            {shown.map((p) => {
              const last = lastSession.get(p.id);
              return (
                <tr
                  key={p.id}
                  aria-selected={selected?.id === p.id}
                  className={selected?.id === p.id ? 'row--selected' : undefined}
                >
                  <th scope="row">{p.code}</th>
                  <td>{p.birthYear ?? '—'}</td>
                  <td>{p.gmfcsLevel ?? '—'}</td>
                  <td>{p.affectedSide ? SIDE_TEXT[p.affectedSide] : '—'}</td>
                  <td>{p.weightKg !== null ? `${p.weightKg} kg` : '—'}</td>
                  <td>
                    {last
                      ? `${formatDateTime(last.startTimeMs)}, ${protocolLabel(last.protocol)}${last.muscle ? ` (${last.muscle})` : ''}`
                      : 'none'}
                  </td>
                  <td>
                    {(() => {
                      const g = glances.get(p.code)?.indicator;
                      return g ? (
                        <TrendGlance glance={g} />
                      ) : (
                        <span className="hint">no indicator values</span>
                      );
                    })()}
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => onSelect(p)} aria-label={`Select ${p.code}`}>
                      Select
                    </button>
                    <button type="button" onClick={() => setEditing(p)} aria-label={`Edit ${p.code}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        api.call('deleteItem', { entity: 'patient', id: p.id }).then(
                          (item) => {
                            const wasSelected = selected?.id === p.id;
                            if (wasSelected) onSelect(undefined);
                            setSavedNotice(undefined);
                            // Gone from the list in the same render that shows Undo, not after the reload.
                            setPatients((list) => list.filter((x) => x.id !== p.id));
                            setDeleted({ item, patient: p, wasSelected });
                            reload();
                          },
                          (e: Error) => setError(`${p.code} was not deleted: ${e.message}`),
                        )
                      }
                      aria-label={`Delete ${p.code}`}
                    >
                      Delete
                    </button>
                    <button
                      type="button"
                      className="primary"
                      onClick={() => onNewSession(p)}
                      aria-label={`New session for ${p.code}`}
                    >
                      New session
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Fields of the patient form that show their own save errors. */
const FIELDS = ['code', 'birthYear', 'gmfcsLevel', 'weightKg', 'note'];

function numberOrNull(value: string): number | null {
  return value.trim() === '' ? null : Number(value);
}

function PatientForm({
  api,
  patient,
  onDone,
}: {
  api: ApiClient;
  patient: Patient | undefined;
  onDone: (saved?: Patient) => void;
}) {
  const [code, setCode] = useState(patient?.code ?? '');
  const [birthYear, setBirthYear] = useState(patient?.birthYear?.toString() ?? '');
  const [gmfcs, setGmfcs] = useState(patient?.gmfcsLevel?.toString() ?? '');
  const [side, setSide] = useState<AffectedSide | ''>(patient?.affectedSide ?? '');
  const [weight, setWeight] = useState(patient?.weightKg?.toString() ?? '');
  const [note, setNote] = useState(patient?.note ?? '');
  const [saveError, setSaveError] = useState<SaveError | undefined>();
  const warnings = birthYearWarnings(numberOrNull(birthYear), Date.now());
  const atField = (field: string): string | undefined =>
    saveError?.field === field ? saveError.message : undefined;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const fields = {
      code: code.trim(),
      birthYear: numberOrNull(birthYear),
      gmfcsLevel: numberOrNull(gmfcs),
      affectedSide: side === '' ? null : side,
      weightKg: numberOrNull(weight),
      note: note.trim() === '' ? null : note.trim(),
    };
    const action = patient
      ? api.call('updatePatient', { id: patient.id, patch: fields })
      : api.call('createPatient', fields);
    setSaveError(undefined);
    action.then(onDone, (err: unknown) => setSaveError(saveErrorOf(err)));
  };

  return (
    <form className="form card" onSubmit={submit} aria-labelledby="patient-form-title">
      <h2 id="patient-form-title">{patient ? `Edit ${patient.code}` : 'New patient'}</h2>
      <label>
        Pseudonymous code
        <input
          type="text"
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby={atField('code') ? 'code-hint patient-code-note' : 'code-hint'}
          {...(atField('code') ? { 'aria-invalid': true } : {})}
          autoFocus
        />
      </label>
      <p id="code-hint" className="hint">
        No names: use the clinic's study or record code, e.g. P-014.
      </p>
      <FieldNote id="patient-code-note" error={atField('code')} />
      <label>
        Birth year
        <input
          type="number"
          min="1900"
          max="2100"
          value={birthYear}
          onChange={(e) => setBirthYear(e.target.value)}
          {...describedBy('patient-birth-year-note', atField('birthYear'), warnings)}
        />
      </label>
      <FieldNote id="patient-birth-year-note" error={atField('birthYear')} warnings={warnings} />
      <label>
        GMFCS level
        <select
          value={gmfcs}
          onChange={(e) => setGmfcs(e.target.value)}
          {...describedBy('patient-gmfcs-note', atField('gmfcsLevel'))}
        >
          <option value="">Not recorded</option>
          {[1, 2, 3, 4, 5].map((l) => (
            <option key={l} value={l}>
              Level {l}
            </option>
          ))}
        </select>
      </label>
      <FieldNote id="patient-gmfcs-note" error={atField('gmfcsLevel')} />
      <label>
        Affected side
        <select value={side} onChange={(e) => setSide(e.target.value as AffectedSide | '')}>
          <option value="">Not recorded</option>
          {(Object.keys(SIDE_TEXT) as AffectedSide[]).map((s) => (
            <option key={s} value={s}>
              {SIDE_TEXT[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Weight (kg, for mg/kg doses)
        <input
          type="number"
          min="0"
          step="0.1"
          value={weight}
          onChange={(e) => setWeight(e.target.value)}
          {...describedBy('patient-weight-note', atField('weightKg'))}
        />
      </label>
      <FieldNote id="patient-weight-note" error={atField('weightKg')} />
      <label>
        Note
        <input
          type="text"
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
          {...describedBy('patient-note-note', atField('note'))}
        />
      </label>
      <FieldNote id="patient-note-note" error={atField('note')} />
      {saveError && !FIELDS.includes(saveError.field ?? '') && (
        <p className="error" role="alert">
          Not saved: {saveError.message}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="primary">
          {warnings.length > 0 ? 'Save anyway' : 'Save'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
