import { useState, type DragEvent, type FormEvent } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Patient } from '../../src/shared/api/patient-api.js';
import type { Session } from '../../src/shared/api/session-api.js';
import { isBrowserShell } from '../download.js';
import { useJobProgress } from '../job-progress.js';
import { uploadForImport } from '../upload.js';
import { ImportedDosesReview } from './imported-doses.js';
import { JobProgressBar } from './job-progress-bar.js';

/**
 * Import a recording file (BDF+/EDF+, OpenBCI GUI .txt, BrainFlow CSV, XDF, OpenSignals, C3D) as a session: chosen with the
 * system's file dialog (desktop) or the browser's file chooser, dropped onto the form, or typed as a path
 * on this computer (research use, scripts). In the browser shell a chosen or dropped file is uploaded first.
 */
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
  const [busy, setBusy] = useState<string | undefined>();
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [importedId, setImportedId] = useState<number | undefined>();
  const job = useJobProgress(api);
  const pickFile = window.tonus?.pickFile;

  /** Imports the file at the path `stored` resolves with; `name` says what is being uploaded meanwhile. */
  const importFrom = (stored: Promise<string>, name: string): void => {
    setBusy(isBrowserShell() ? `Uploading ${name}` : 'Importing');
    setError(undefined);
    stored
      .then((filePath) => {
        setBusy('Importing');
        return api.call('importRecordingFile', {
          path: filePath,
          ...(patient ? { patientId: patient.id } : {}),
          jobId: job.start('import'),
        });
      })
      .then(
        (s) => {
          setImportedId(s.id);
          onImported(s);
        },
        (err: Error) => setError(`Not imported: ${err.message}`),
      )
      .finally(() => setBusy(undefined));
  };

  const importFile = (file: File | undefined): void => {
    if (file) importFrom(uploadForImport(file), file.name);
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    importFrom(Promise.resolve(path.trim()), path.trim());
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (pickFile) setError('Drop works in the browser; here, choose the file with “Choose a file…”.');
    else importFile(file);
  };

  return (
    <form
      className={`form card import-form${dragging ? ' import-form--dragging' : ''}`}
      onSubmit={submit}
      aria-labelledby="import-title"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id="import-title">Import a recording{patient ? ` for ${patient.code}` : ''}</h2>
      {pickFile ? (
        <button
          type="button"
          disabled={busy !== undefined}
          onClick={() =>
            pickFile().then(
              (chosen) => chosen && importFrom(Promise.resolve(chosen), chosen),
              (err: Error) => setError(err.message),
            )
          }
        >
          Choose a file…
        </button>
      ) : (
        <label>
          Choose a file, or drop it here
          <input
            type="file"
            accept=".bdf,.edf,.txt,.csv,.xdf,.xdfz,.c3d"
            disabled={busy !== undefined}
            onChange={(e) => {
              importFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </label>
      )}
      <p className="hint">
        BDF+/EDF+, OpenBCI GUI .txt, BrainFlow CSV, XDF, OpenSignals text or C3D. A damaged file is refused
        whole, with where it is damaged.
      </p>
      <div className="form-row import-form__path">
        <label>
          Or the path of a file on this computer
          <input
            type="text"
            required
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/home/me/recordings/session.bdf"
            aria-label="File on this computer"
          />
        </label>
        <button type="submit" disabled={busy !== undefined}>
          Import
        </button>
      </div>
      {importedId !== undefined && <ImportedDosesReview key={importedId} api={api} sessionId={importedId} />}
      {busy && <JobProgressBar action={busy} progress={job.progress} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
