import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import type { Marker, Session, SessionDetail } from '../../src/shared/api/session-api.js';
import { AnalysisPanel } from '../components/analysis-panel.js';
import { ImportForm } from '../components/import-form.js';
import { SessionActions } from '../components/session-actions.js';
import { SessionClinicalCard } from '../components/session-clinical-card.js';
import { UndoNotice } from '../components/undo-notice.js';
import type { DeletedItem } from '../../src/shared/api/deletion-api.js';
import { formatDateTime, formatNumber } from '../format.js';
import { protocolLabel } from '../protocols.js';
import { markerText } from '../../src/shared/indicator-catalogue.js';
import { endReasonWords } from '../../src/shared/session-end.js';

const STATUS_TEXT: Record<Session['status'], string> = {
  recording: 'Recording…',
  complete: 'Complete',
  interrupted: 'Interrupted (data kept up to the interruption)',
};

/** Marker kinds in words. */
const MARKER_KIND_TEXT: Record<Marker['kind'], string> = {
  marker: 'Marker',
  'protocol-step': 'Protocol step',
  gap: 'Signal lost',
  dose: 'Dose',
  note: 'Note',
  pause: 'Pause',
};

export interface ReviewScreenProps {
  api: ApiClient;
  patient: Patient | undefined;
  sessionId: number | undefined;
  onOpen: (sessionId: number) => void;
  onReplay: () => void;
}

/** A patient's sessions, and one session in detail: what was recorded, its quality, its markers. */
export function ReviewScreen({ api, patient, sessionId, onOpen, onReplay }: ReviewScreenProps) {
  const [sessions, setSessions] = useState<Session[]>([]);
  const [generation, setGeneration] = useState(0);
  const [detail, setDetail] = useState<SessionDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [deleted, setDeleted] = useState<DeletedItem | undefined>();
  const shown = detail && !(deleted?.entity === 'session' && deleted.id === detail.id) ? detail : undefined;

  useEffect(() => {
    api.call('listSessions', patient ? { patientId: patient.id, limit: 200 } : { limit: 200 }).then(
      (list) => setSessions([...list].sort((a, b) => b.startTimeMs - a.startTimeMs)),
      (e: Error) => setError(e.message),
    );
  }, [api, patient, generation]);

  useEffect(() => {
    if (sessionId === undefined) return setDetail(undefined);
    api.call('getSession', { sessionId }).then(setDetail, (e: Error) => setError(e.message));
  }, [api, sessionId]);

  return (
    <section className="screen" aria-labelledby="review-title">
      <h1 id="review-title">Sessions{patient ? ` — ${patient.code}` : ''}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {deleted && (
        <UndoNotice
          key={deleted.id}
          api={api}
          item={deleted}
          onUndone={() => {
            setDeleted(undefined);
            setGeneration((g) => g + 1);
          }}
        />
      )}
      {shown && <SessionCard session={shown} />}
      {shown?.signalsElsewhere && (
        <p className="card card--notice" role="note">
          {shown.signalsElsewhere}
        </p>
      )}
      {shown && (
        <SessionClinicalCard
          api={api}
          session={shown}
          onSaved={(s) => setDetail((d) => (d && d.id === s.id ? { ...d, note: s.note } : d))}
        />
      )}
      {shown && (
        <AnalysisPanel
          api={api}
          sessionId={shown.id}
          signalsElsewhere={shown.signalsElsewhere !== undefined}
        />
      )}
      {shown && <SessionActions api={api} session={shown} onReplay={onReplay} />}
      {shown && shown.status !== 'recording' && (
        <p>
          <button
            type="button"
            onClick={() =>
              api.call('deleteItem', { entity: 'session', id: shown.id }).then(
                (item) => {
                  setDeleted(item);
                  setGeneration((g) => g + 1);
                },
                (e: Error) => setError(`The session was not deleted: ${e.message}`),
              )
            }
          >
            Delete this session
          </button>
        </p>
      )}
      {shown && shown.patientId !== null && (
        <p>
          <a href="#/report">Visit report of this day, for the patient record (PDF)</a>
        </p>
      )}
      <ImportForm
        api={api}
        patient={patient}
        onImported={(s) => {
          setGeneration((g) => g + 1);
          onOpen(s.id);
        }}
      />
      <div className="table-scroll">
        <table className="table" aria-label="Sessions">
          <thead>
            <tr>
              <th scope="col">Start</th>
              <th scope="col">Patient</th>
              <th scope="col">Protocol</th>
              <th scope="col">Muscle</th>
              <th scope="col">Duration</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.length === 0 && (
              <tr>
                <td colSpan={7}>No sessions yet.</td>
              </tr>
            )}
            {sessions.map((s) => (
              <tr key={s.id} className={s.id === sessionId ? 'row--selected' : undefined}>
                <td>{formatDateTime(s.startTimeMs)}</td>
                <td>{s.patientCode ?? '—'}</td>
                <td>{protocolLabel(s.protocol)}</td>
                <td>{[s.muscle, s.side].filter(Boolean).join(' ') || '—'}</td>
                <td>
                  {s.endTimeMs === null ? '—' : `${formatNumber((s.endTimeMs - s.startTimeMs) / 1000, 0)} s`}
                </td>
                <td>
                  {STATUS_TEXT[s.status]}
                  {s.status === 'interrupted' && s.endReason !== null
                    ? `: ${endReasonWords(s.endReason)}`
                    : ''}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => onOpen(s.id)}
                    aria-label={`Open session of ${formatDateTime(s.startTimeMs)}`}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function SessionCard({ session }: { session: SessionDetail }) {
  const durationS = session.endTimeMs === null ? undefined : (session.endTimeMs - session.startTimeMs) / 1000;
  return (
    <section className="card" aria-label="Session summary">
      <h2>
        {[
          protocolLabel(session.protocol),
          [session.muscle, session.side].filter(Boolean).join(' '),
          formatDateTime(session.startTimeMs),
        ]
          .filter(Boolean)
          .join(' · ')}
      </h2>
      <dl className="facts">
        <div>
          <dt>Patient</dt>
          <dd>{session.patientCode ?? '—'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{STATUS_TEXT[session.status]}</dd>
        </div>
        {session.problem === null ? null : (
          <div>
            <dt>Problem</dt>
            <dd role="alert">{session.problem}</dd>
          </div>
        )}
        {session.endReason === null ? null : (
          <div>
            <dt>Ended</dt>
            <dd>
              {endReasonWords(session.endReason)}
              {session.endDetail === null ? '' : ` — ${session.endDetail}`}
            </dd>
          </div>
        )}
        <div>
          <dt>Duration</dt>
          <dd>{durationS === undefined ? '—' : `${formatNumber(durationS, 1)} s`}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{session.deviceName}</dd>
        </div>
        <div>
          <dt>Dropped samples</dt>
          <dd>{session.droppedSamples}</dd>
        </div>
        <div>
          <dt>Gaps</dt>
          <dd>{session.gapCount}</dd>
        </div>
      </dl>
      <div className="table-scroll">
        <table className="table" aria-label="Signal quality per stream">
          <caption>Signal quality</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Nominal rate</th>
              <th scope="col">Effective rate</th>
              <th scope="col">Samples stored</th>
              <th scope="col">Dropped</th>
            </tr>
          </thead>
          <tbody>
            {session.streams.map((st) => {
              const q = session.quality?.[st.id];
              return (
                <tr key={st.id}>
                  <td>
                    {st.label} ({st.channels.length} ch)
                  </td>
                  <td>{st.sampleRateHz} Hz</td>
                  <td>{q?.effectiveHz != null ? `${formatNumber(q.effectiveHz, 1)} Hz` : '—'}</td>
                  <td>
                    {session.signalsElsewhere
                      ? 'On the recording workstation'
                      : (session.storedSamples[st.id] ?? 0).toLocaleString()}
                  </td>
                  <td>{q?.droppedSamples ?? 0}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {session.markers.length > 0 && (
        <div className="table-scroll">
          <table className="table" aria-label="Markers">
            <caption>Markers</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Kind</th>
                <th scope="col">Text</th>
              </tr>
            </thead>
            <tbody>
              {session.markers.map((m) => (
                <tr key={m.id}>
                  <td>{formatNumber((m.timeMs - session.startTimeMs) / 1000, 1)} s</td>
                  <td>{MARKER_KIND_TEXT[m.kind]}</td>
                  <td>{markerText(m.text)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
