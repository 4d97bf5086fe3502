import { useState, type FormEvent } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import { useJobProgress } from '../job-progress.js';
import { ImportedDosesReview } from './imported-doses.js';
import { JobProgressBar } from './job-progress-bar.js';

/** Import a recording file from this computer (BDF+/EDF+, OpenBCI GUI .txt, BrainFlow CSV, XDF, OpenSignals, C3D). */
export function ImportForm({
  api,
  patient,
  onImported,
}: {
  api: ApiClient;
  patient: Patient | undefined;
  onImported: (s: Session) => void;
}) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [importedId, setImportedId] = useState<number | undefined>();
  const job = useJobProgress(api);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    api
      .call('importRecordingFile', {
        path: path.trim(),
        ...(patient ? { patientId: patient.id } : {}),
        jobId: job.start('import'),
      })
      .then(
        (s) => {
          setImportedId(s.id);
          onImported(s);
        },
        (err: Error) => setError(`Not imported: ${err.message}`),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="form card" onSubmit={submit} aria-labelledby="import-title">
      <h2 id="import-title">Import a recording{patient ? ` for ${patient.code}` : ''}</h2>
      <label>
        File on this computer
        <input
          type="text"
          required
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/recordings/session.bdf"
        />
      </label>
      <p className="hint">
        BDF+/EDF+, OpenBCI GUI .txt, BrainFlow CSV, XDF, OpenSignals .txt or C3D. A damaged file is refused
        whole, with where it is damaged.
      </p>
      <button type="submit" disabled={busy}>
        Import
      </button>
      {busy && <JobProgressBar action="Importing" progress={job.progress} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {importedId !== undefined && <ImportedDosesReview key={importedId} api={api} sessionId={importedId} />}
    </form>
  );
}
