import type { PlausibilityWarning } from '../../src/shared/plausibility.js';
import { ApiFailure } from '../../src/shared/result.js';

/** The form field an API error belongs to: the last part of its `where` ("addDoses.doses.0.amount" → "amount"). */
export function fieldOfError(err: unknown): string | undefined {
  if (!(err instanceof ApiFailure) || err.where === undefined) return undefined;
  return err.where.split('.').at(-1);
}

/** An error from a save, placed at its field when it names one. */
export interface SaveError {
  field: string | undefined;
  message: string;
}

export const saveErrorOf = (err: unknown): SaveError => ({
  field: fieldOfError(err),
  message: err instanceof Error ? err.message : String(err),
});

/**
 * What to say under one field: the save error (in words) and the plausibility warnings, each with its reason
 * and source. The input points at it with `aria-describedby={id}`, so it is read with the field.
 */
export function FieldNote({
  id,
  error,
  warnings = [],
}: {
  id: string;
  error?: string | undefined;
  warnings?: readonly PlausibilityWarning[];
}) {
  if (!error && warnings.length === 0) return null;
  return (
    <div id={id} className="field-note">
      {error && (
        <p className="field-note__error">
          <span aria-hidden="true">✖ </span>
          {error}
        </p>
      )}
      {warnings.map((w) => (
        <p key={w.text} className="field-note__warning">
          <span aria-hidden="true">⚠ </span>
          <span className="visually-hidden">Warning: </span>
          {w.text} <span className="field-note__source">Source: {w.source}.</span>
        </p>
      ))}
    </div>
  );
}

/** Props that tie an input to its {@link FieldNote}. */
export function describedBy(
  id: string,
  error: string | undefined,
  warnings: readonly unknown[] = [],
): { 'aria-describedby'?: string; 'aria-invalid'?: true } {
  return {
    ...(error || warnings.length > 0 ? { 'aria-describedby': id } : {}),
    ...(error ? { 'aria-invalid': true as const } : {}),
  };
}
