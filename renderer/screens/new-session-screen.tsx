import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeviceInfo } from '../../src/shared/api/device-api.js';
import type { DoseContextSchema } from '../../src/shared/api/dosing-api.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import type { BodySide, ClinicalScores, Session } from '../../src/shared/api/session-api.js';
import { DoseContextCard } from '../components/dose-context-card.js';
import { OtherDeviceForm, type OtherDeviceChoice } from '../components/other-device-form.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { muscles, protocolGuidance, protocols, type ProtocolId } from '../protocols.js';

const MAS = ['0', '1', '1+', '2', '3', '4'] as const;
/** The device choice that opens the guided "Other device" form. */
const OTHER_DEVICE = 'other';

export interface NewSessionScreenProps {
  api: ApiClient;
  patient: Patient | undefined;
  onStarted: (session: Session) => void;
  onChoosePatient: () => void;
  onLogDose: () => void;
}

/** Everything needed before recording, on one screen: protocol, muscle, side, scores, device, dose timing. */
export function NewSessionScreen({
  api,
  patient,
  onStarted,
  onChoosePatient,
  onLogDose,
}: NewSessionScreenProps) {
  const [devices, setDevices] = useState<DeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('synthetic');
  const [other, setOther] = useState<OtherDeviceChoice>({ spec: '', problems: {} });
  const [showOtherProblems, setShowOtherProblems] = useState(false);
  const [protocol, setProtocol] = useState<ProtocolId>('passive-stretch-fast');
  const [muscle, setMuscle] = useState<string>(muscles[0]);
  const [side, setSide] = useState<BodySide>(patient?.affectedSide === 'right' ? 'right' : 'left');
  const [mas, setMas] = useState<(typeof MAS)[number] | ''>('');
  const [r1, setR1] = useState('');
  const [r2, setR2] = useState('');
  const [quality, setQuality] = useState('');
  const [context, setContext] = useState<z.infer<typeof DoseContextSchema> | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const angleUnit = useAngleUnit();

  useEffect(() => {
    api.call('listDevices', {}).then(setDevices, (e: Error) => setError(e.message));
  }, [api]);
  useEffect(() => {
    if (!patient) return;
    api
      .call('getDoseContext', { patient: patient.code, timeMs: Date.now() })
      .then(setContext, () => setContext(undefined));
  }, [api, patient]);

  if (!patient) {
    return (
      <section className="screen" aria-labelledby="new-session-title">
        <h1 id="new-session-title">New session</h1>
        <p>Choose the patient first.</p>
        <button type="button" className="primary" onClick={onChoosePatient}>
          Choose patient
        </button>
      </section>
    );
  }

  const isOther = deviceId === OTHER_DEVICE;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (isOther && other.spec === '') {
      setShowOtherProblems(true);
      return;
    }
    const clinical: ClinicalScores = {
      ...(mas ? { modifiedAshworth: mas } : {}),
      ...(quality ? { tardieuQuality: Number(quality) } : {}),
      ...(r1 ? { tardieuR1Deg: Number(r1) } : {}),
      ...(r2 ? { tardieuR2Deg: Number(r2) } : {}),
    };
    setBusy(true);
    setError(undefined);
    api
      .call('startRecording', {
        patientId: patient.id,
        protocol,
        muscle,
        side,
        deviceId: isOther ? other.spec : deviceId,
        ...(Object.keys(clinical).length > 0 ? { clinical } : {}),
      })
      .then(onStarted, (err: Error) => setError(`Recording did not start: ${err.message}`))
      .finally(() => setBusy(false));
  };

  return (
    <section className="screen" aria-labelledby="new-session-title">
      <h1 id="new-session-title">New session — {patient.code}</h1>
      <div className="columns">
        <form className="form card" onSubmit={submit} aria-label="Session set-up">
          <label>
            Protocol
            <select value={protocol} onChange={(e) => setProtocol(e.target.value as ProtocolId)}>
              {protocols.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <p className="hint">{protocolGuidance(protocol, angleUnit)}</p>
          <div className="form-row">
            <label>
              Muscle
              <select value={muscle} onChange={(e) => setMuscle(e.target.value)}>
                {muscles.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <fieldset>
              <legend>Side</legend>
              <div className="choices">
                {(['left', 'right'] as const).map((s) => (
                  <label key={s}>
                    <input type="radio" name="side" checked={side === s} onChange={() => setSide(s)} />{' '}
                    {s === 'left' ? 'Left' : 'Right'}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <fieldset>
            <legend>Clinical scores (optional)</legend>
            <div className="form-row">
              <label>
                Modified Ashworth
                <select value={mas} onChange={(e) => setMas(e.target.value as (typeof MAS)[number] | '')}>
                  <option value="">Not scored</option>
                  {MAS.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Tardieu quality X (0–5)
                <input
                  type="number"
                  min="0"
                  max="5"
                  step="1"
                  value={quality}
                  onChange={(e) => setQuality(e.target.value)}
                />
              </label>
              <label>
                Tardieu R1, angle of catch (°)
                <input
                  type="number"
                  min="-180"
                  max="180"
                  value={r1}
                  onChange={(e) => setR1(e.target.value)}
                />
              </label>
              <label>
                Tardieu R2, slow range (°)
                <input
                  type="number"
                  min="-180"
                  max="180"
                  value={r2}
                  onChange={(e) => setR2(e.target.value)}
                />
              </label>
            </div>
            {angleUnit === 'rad' && (
              <p className="hint">
                Tardieu angles are entered in degrees (°), as read on a goniometer, although angles are shown
                in radians elsewhere.
              </p>
            )}
          </fieldset>
          <label>
            Device
            <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} aria-label="Device">
              {devices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
              <option value={OTHER_DEVICE}>Other device (USB, serial or Bluetooth)…</option>
            </select>
          </label>
          {isOther && <OtherDeviceForm api={api} onChange={setOther} showProblems={showOtherProblems} />}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              Start recording
            </button>
          </div>
        </form>
        <div>
          {context && <DoseContextCard context={context} />}
          <button type="button" onClick={onLogDose}>
            Log a dose for {patient.code}
          </button>
        </div>
      </div>
    </section>
  );
}
