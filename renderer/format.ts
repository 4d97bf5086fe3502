/** Display helpers: local date/time and numbers with units, for therapists rather than engineers. */

export function formatDateTime(timeMs: number): string {
  return new Date(timeMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatHours(hours: number | undefined | null): string {
  if (hours === undefined || hours === null || !Number.isFinite(hours)) return '—';
  const h = Math.floor(hours);
  const m = Math.round((hours - h) * 60);
  return m === 60 ? `${h + 1} h 00 min` : `${h} h ${String(m).padStart(2, '0')} min`;
}

export function formatNumber(value: number | undefined | null, digits = 1): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** Value for an `<input type="datetime-local">` showing `timeMs` in the computer's time zone. */
export function toDateTimeLocal(timeMs: number): string {
  const d = new Date(timeMs - new Date(timeMs).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** Inverse of {@link toDateTimeLocal}: NaN when the field is empty or invalid. */
export const fromDateTimeLocal = (value: string): number => new Date(value).getTime();

/** "1 marker", "2 markers", "0 gaps": a count with its noun, plural unless it is one. */
export const countOf = (n: number, noun: string): string =>
  `${n.toLocaleString()} ${n === 1 ? noun : `${noun}s`}`;
