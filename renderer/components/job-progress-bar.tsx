import type { JobProgress } from '../../src/shared/api/job-api.js';

/** "Exporting… 42 %": the text of a running job's progress (without a percentage before the first event). */
export function progressText(action: string, progress: JobProgress | undefined): string {
  return progress ? `${action}… ${Math.floor(progress.fraction * 100)} %` : `${action}…`;
}

/**
 * A running job's progress: a determinate bar once the job has told how far it is (indeterminate before),
 * with the percentage and stage as text and as the bar's `aria-valuetext`.
 */
export function JobProgressBar({ action, progress }: { action: string; progress: JobProgress | undefined }) {
  const text = progressText(action, progress);
  return (
    <div className="job-progress">
      <progress
        aria-label={action}
        aria-valuetext={text}
        {...(progress ? { value: progress.fraction, max: 1 } : {})}
      />{' '}
      <span>
        {text}
        {progress && progress.fraction < 1 ? ` ${progress.stage}` : ''}
      </span>
    </div>
  );
}
