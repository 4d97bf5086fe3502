/**
 * Instants and wall-clock times in a patient's IANA time zone. Tonus stores instants (ms since the Unix
 * epoch, UTC) and the zone name; regimen times such as 08:00 are local wall-clock times and become instants
 * only through this module, so intervals across a daylight-saving change stay exact.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True if the runtime knows `timeZone` as an IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local calendar fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of `instantMs` in `timeZone` (whole seconds). Throws on an unknown zone. */
export function wallTimeOf(instantMs: number, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(instantMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** UTC offset of `timeZone` at `instantMs`, in minutes east of UTC (Amsterdam summer: +120). */
export function offsetMinutesAt(instantMs: number, timeZone: string): number {
  const w = wallTimeOf(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return Math.round((asUtc - wholeSecond) / 60_000);
}

/**
 * The instant of a local wall-clock time. A time skipped by a spring-forward change (02:30 in Amsterdam on
 * the last Sunday of March) maps to the instant the same number of minutes after the change (03:30 CEST);
 * a time repeated by a fall-back change maps to its first occurrence.
 */
export function instantOfWallTime(w: WallTime, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const before = offsetMinutesAt(asUtc - 86_400_000 / 2, timeZone);
  const after = offsetMinutesAt(asUtc + 86_400_000 / 2, timeZone);
  const candidates = [asUtc - before * 60_000, asUtc - after * 60_000].filter((t) =>
    wallMatches(t, w, timeZone),
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return asUtc - before * 60_000;
}

function wallMatches(instantMs: number, w: WallTime, timeZone: string): boolean {
  const x = wallTimeOf(instantMs, timeZone);
  return (
    x.year === w.year && x.month === w.month && x.day === w.day && x.hour === w.hour && x.minute === w.minute
  );
}

/** Local midnight of the calendar day containing `instantMs` (first instant of that day in the zone). */
export function startOfLocalDay(instantMs: number, timeZone: string): number {
  const w = wallTimeOf(instantMs, timeZone);
  return instantOfWallTime({ ...w, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** The next calendar day's fields (Gregorian arithmetic, no zone involved). */
export function addDays(
  w: Pick<WallTime, 'year' | 'month' | 'day'>,
  days: number,
): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width = 2): string => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/**
 * ISO 8601 text of an instant in a zone with its offset, e.g. `2026-03-29T03:00:00.000+02:00`; with
 * `timeZone` 'UTC' the offset is `+00:00`. Milliseconds are kept so the text round-trips to the instant.
 */
export function formatIsoWithOffset(instantMs: number, timeZone: string): string {
  const offsetMin = offsetMinutesAt(instantMs, timeZone);
  const local = new Date(instantMs + offsetMin * 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(Math.abs(offsetMin) / 60)}:${pad(Math.abs(offsetMin) % 60)}`
  );
}

/**
 * Parses ISO 8601 with an explicit offset or `Z` into an instant; a local time without an offset
 * (`2026-03-29T08:00`) is read in `timeZone`. Returns undefined for text that is not such a time.
 */
export function parseTimeInZone(text: string, timeZone: string): number | undefined {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const w: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.second > 59)
    return undefined;
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  if (zone === undefined) return instantOfWallTime(w, timeZone) + ms;
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms);
  if (zone === 'Z') return asUtc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return asUtc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Offset transitions of one zone in one UTC year: instants where the offset changes, and the offsets. */
interface YearTable {
  /** `starts[i]` is the first instant with offset `offsets[i]`; starts[0] is the year's start. */
  starts: number[];
  offsets: number[];
}

const yearTables = new Map<string, YearTable>();

function yearTable(timeZone: string, year: number): YearTable {
  const key = `${timeZone}|${year}`;
  let table = yearTables.get(key);
  if (table) return table;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const starts = [start];
  const offsets = [offsetMinutesAt(start, timeZone)];
  const DAY_MS = 86_400_000;
  for (let t = start; t < end; t += DAY_MS) {
    const next = Math.min(t + DAY_MS, end);
    const before = offsets[offsets.length - 1] as number;
    if (offsetMinutesAt(next, timeZone) === before) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (mid <= lo) break;
      if (offsetMinutesAt(mid, timeZone) === before) lo = mid;
      else hi = mid;
    }
    starts.push(hi);
    offsets.push(offsetMinutesAt(hi, timeZone));
  }
  table = { starts, offsets };
  yearTables.set(key, table);
  return table;
}

/**
 * {@link offsetMinutesAt} from a per-zone, per-year table of offset transitions (built once with ~370
 * lookups, exact to the minute), for formatting many instants. Assumes at most one change per day.
 */
export function cachedOffsetMinutesAt(instantMs: number, timeZone: string): number {
  const t = yearTable(timeZone, new Date(instantMs).getUTCFullYear());
  let lo = 0;
  let hi = t.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((t.starts[mid] as number) <= instantMs) lo = mid;
    else hi = mid - 1;
  }
  return t.offsets[lo] as number;
}

/**
 * A fast {@link formatIsoWithOffset} for many instants (trends, raw-sample export), using the cached
 * offset table; output is identical.
 */
export function isoFormatter(timeZone: string): (instantMs: number) => string {
  let cachedOffset = Number.NaN;
  let suffix = '';
  return (instantMs) => {
    const offsetMin = cachedOffsetMinutesAt(instantMs, timeZone);
    if (offsetMin !== cachedOffset) {
      cachedOffset = offsetMin;
      suffix = `${offsetMin < 0 ? '-' : '+'}${pad(Math.abs(offsetMin) / 60)}:${pad(Math.abs(offsetMin) % 60)}`;
    }
    return new Date(Math.floor(instantMs) + offsetMin * 60_000).toISOString().slice(0, 23) + suffix;
  };
}
