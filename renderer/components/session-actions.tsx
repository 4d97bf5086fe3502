import { useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { Session } from '../../src/shared/api/session-api.js';
import { downloadPrepared, isBrowserShell } from '../download.js';
import { useJobProgress } from '../job-progress.js';
import { JobProgressBar } from './job-progress-bar.js';

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64] as const;

export interface SessionActionsProps {
  api: ApiClient;
  session: Session;
  /** Called once the replay stream runs, with the device to show on the Live screen. */
  onReplay: () => void;
}

/** Replay a stored session at a chosen speed, and export it as BDF+ or CSV to a folder on this computer. */
export function SessionActions({ api, session, onReplay }: SessionActionsProps) {
  const [speed, setSpeed] = useState<number>(8);
  const [format, setFormat] = useState<'bdf' | 'csv'>('csv');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; isError: boolean } | undefined>();
  const [replayError, setReplayError] = useState<string | undefined>();
  const job = useJobProgress(api);

  const replay = (): void => {
    const id = `session:${session.id}?speed=${speed}`;
    setReplayError(undefined);
    api.call('startStream', { deviceId: id }).then(
      () => onReplay(),
      (e: Error) => setReplayError(`Replay did not start: ${e.message}`),
    );
  };

  const exportNow = (): void => {
    const base = folder.trim().replace(/\/+$/, '');
    const path = format === 'bdf' ? `${base}/session-${session.id}.bdf` : base;
    setBusy(true);
    setResult(undefined);
    api
      .call('exportSession', { sessionId: session.id, format, path, jobId: job.start('export') })
      .then(
        (r) => setResult({ text: `Saved: ${r.files.join(', ')}`, isError: false }),
        (e: Error) => setResult({ text: `Not exported: ${e.message}`, isError: true }),
      )
      .finally(() => setBusy(false));
  };

  /** EMG-BIDS (BIDS 1.11) dataset of this session and every other complete session of its patient. */
  const exportBids = (): void => {
    const base = folder.trim().replace(/\/+$/, '');
    if (base === '' || session.patientId === null) return;
    setBusy(true);
    setResult(undefined);
    api
      .call('exportBids', {
        sessionIds: [session.id],
        patientId: session.patientId,
        path: `${base}/tonus-bids`,
      })
      .then(
        (r) =>
          setResult({
            text: `Saved an EMG-BIDS dataset of ${r.files.length} files in ${r.folder}`,
            isError: false,
          }),
        (e: Error) => setResult({ text: `Not exported: ${e.message}`, isError: true }),
      )
      .finally(() => setBusy(false));
  };

  const downloadNow = (): void => {
    setBusy(true);
    setResult(undefined);
    api
      .call('prepareDownload', { sessionId: session.id, format, jobId: job.start('export') })
      .then(async (r) => {
        await downloadPrepared(r.files);
        setResult({ text: `Downloaded: ${r.files.map((f) => f.name).join(', ')}`, isError: false });
      })
      .catch((e: Error) => setResult({ text: `Not downloaded: ${e.message}`, isError: true }))
      .finally(() => setBusy(false));
  };
  const browser = isBrowserShell();
  const pickFolder = window.tonus?.pickFolder;
  const chooseFolder = (): void => {
    if (!pickFolder) return;
    pickFolder().then(
      (picked) => {
        if (picked !== null) setFolder(picked);
      },
      (e: Error) => setResult({ text: `No folder chosen: ${e.message}`, isError: true }),
    );
  };

  return (
    <div className="columns">
      <section className="card" aria-label="Replay">
        <h2>Replay</h2>
        <div className="toolbar">
          <label>
            Speed{' '}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={replay}>
            Replay on Live screen
          </button>
        </div>
        {replayError && (
          <p className="error" role="alert">
            {replayError}
          </p>
        )}
      </section>
      <section className="card" aria-label="Export">
        <h2>Export</h2>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            exportNow();
          }}
        >
          <label>
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as 'bdf' | 'csv')}>
              <option value="csv">CSV, one file per stream</option>
              <option value="bdf">BDF+ (EDFbrowser, MNE, …)</option>
            </select>
          </label>
          {browser && (
            <>
              <button type="button" className="primary" onClick={downloadNow} disabled={busy}>
                Download
              </button>
              <p className="hint">The files go to this browser&apos;s downloads. Or save them in a folder:</p>
            </>
          )}
          {!browser && pickFolder && (
            <button type="button" onClick={chooseFolder} disabled={busy}>
              Choose folder…
            </button>
          )}
          <label>
            Folder on this computer
            <input
              type="text"
              required
              value={folder}
              onChange={(e) => setFolder(e.target.value)}
              placeholder="/home/me/exports"
            />
          </label>
          <button type="submit" disabled={busy}>
            Export
          </button>
          <button
            type="button"
            onClick={exportBids}
            disabled={busy || session.patientId === null || folder.trim() === ''}
          >
            Save the patient&apos;s sessions as EMG-BIDS
          </button>
          {session.patientId === null && (
            <p className="hint">EMG-BIDS needs a patient: this session has none.</p>
          )}
          {busy && <JobProgressBar action="Exporting" progress={job.progress} />}
        </form>
        {result && (
          <p className={result.isError ? 'error' : 'hint'} role={result.isError ? 'alert' : 'status'}>
            {result.text}
          </p>
        )}
      </section>
    </div>
  );
}
