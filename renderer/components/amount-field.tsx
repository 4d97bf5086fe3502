import type { PlausibilityWarning } from '../../src/shared/plausibility.js';
import { describedBy, FieldNote } from './field-note.js';

/**
 * The dose amount input of the dose forms: a required non-negative number labelled with its unit, with its
 * save error and plausibility warnings beneath it.
 */
export function AmountField({
  id,
  unit,
  value,
  onChange,
  error,
  warnings = [],
}: {
  /** Unique on the page; names the note under the field. */
  id: string;
  unit: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  warnings?: readonly PlausibilityWarning[];
}) {
  const noteId = `${id}-note`;
  return (
    <>
      <label>
        Amount ({unit})
        <input
          type="number"
          required
          min="0"
          step="any"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          {...describedBy(noteId, error, warnings)}
        />
      </label>
      <FieldNote id={noteId} error={error} warnings={warnings} />
    </>
  );
}
