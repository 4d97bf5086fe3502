import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../src/shared/api-contract.js';
import type { JobKind, JobProgress } from '../src/shared/api/job-api.js';

/** A fresh job id for a request (`export-1a2b3c4d`), matching the contract's job id pattern. */
export const newJobId = (kind: JobKind): string => `${kind}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * Follows the progress of the one job this component started: `start(kind)` gives the id to send with the
 * request and forgets the previous job's progress; `progress` is the latest `jobProgress` event of that job
 * (undefined until the first one arrives). Subscribes once, before any request is sent, so no event is lost.
 */
export function useJobProgress(api: ApiClient): {
  progress: JobProgress | undefined;
  start: (kind: JobKind) => string;
} {
  const current = useRef<string | undefined>(undefined);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  useEffect(
    () =>
      api.on('jobProgress', (p) => {
        if (p.jobId === current.current) setProgress(p);
      }),
    [api],
  );
  const start = useCallback((kind: JobKind): string => {
    const id = newJobId(kind);
    current.current = id;
    setProgress(undefined);
    return id;
  }, []);
  return { progress, start };
}

/** The latest analysis progress of `sessionId` (undefined until one arrives); `reset` forgets it. */
export function useAnalysisProgress(
  api: ApiClient,
  sessionId: number,
): { progress: JobProgress | undefined; reset: () => void } {
  const [progress, setProgress] = useState<JobProgress | undefined>();
  useEffect(
    () =>
      api.on('jobProgress', (p) => {
        if (p.kind === 'analysis' && p.sessionId === sessionId) setProgress(p);
      }),
    [api, sessionId],
  );
  const reset = useCallback(() => setProgress(undefined), []);
  return { progress, reset };
}
