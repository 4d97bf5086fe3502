import { describe, expect, it } from 'vitest';
import {
  formatIsoWithOffset,
  instantOfWallTime,
  isoFormatter,
  offsetMinutesAt,
  parseTimeInZone,
  startOfLocalDay,
} from '../../../src/dosing/time-zone.js';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;

describe('time zones', () => {
  it('knows the Amsterdam offsets either side of the 2026 changes', () => {
    expect(offsetMinutesAt(Date.UTC(2026, 2, 29, 0, 59), AMS)).toBe(60);
    expect(offsetMinutesAt(Date.UTC(2026, 2, 29, 1, 0), AMS)).toBe(120);
    expect(offsetMinutesAt(Date.UTC(2026, 9, 25, 0, 59), AMS)).toBe(120);
    expect(offsetMinutesAt(Date.UTC(2026, 9, 25, 1, 0), AMS)).toBe(60);
  });

  it('maps local wall times to instants, with a skipped time moved forward and a repeated one taken first', () => {
    const wall = (month: number, day: number, hour: number, minute = 0) =>
      instantOfWallTime({ year: 2026, month, day, hour, minute, second: 0 }, AMS);
    expect(wall(3, 29, 8)).toBe(Date.UTC(2026, 2, 29, 6));
    expect(wall(3, 28, 8)).toBe(Date.UTC(2026, 2, 28, 7));
    expect(wall(3, 29, 2, 30)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(wall(10, 25, 2, 30)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(startOfLocalDay(Date.UTC(2026, 2, 29, 12), AMS)).toBe(Date.UTC(2026, 2, 28, 23));
  });

  it('writes ISO 8601 with the offset in force and reads it back', () => {
    const t = Date.UTC(2026, 2, 29, 1, 0, 0, 5);
    expect(formatIsoWithOffset(t, AMS)).toBe('2026-03-29T03:00:00.005+02:00');
    expect(formatIsoWithOffset(t - 6, AMS)).toBe('2026-03-29T01:59:59.999+01:00');
    expect(formatIsoWithOffset(t, 'UTC')).toBe('2026-03-29T01:00:00.005+00:00');
    expect(formatIsoWithOffset(Date.UTC(2026, 0, 1, 12), 'America/New_York')).toBe(
      '2026-01-01T07:00:00.000-05:00',
    );
    expect(parseTimeInZone('2026-03-29T03:00:00.005+02:00', AMS)).toBe(t);
    expect(parseTimeInZone('2026-03-29T01:00:00.005Z', AMS)).toBe(t);
    expect(parseTimeInZone('2026-03-29 08:00', AMS)).toBe(Date.UTC(2026, 2, 29, 6));
    expect(parseTimeInZone('29/03/2026 08:00', AMS)).toBeUndefined();
    expect(parseTimeInZone('2026-13-01T08:00', AMS)).toBeUndefined();
  });

  it('measures the real interval across the night of a clock change', () => {
    const evening = parseTimeInZone('2026-03-28T20:00', AMS) as number;
    const morning = parseTimeInZone('2026-03-29T08:00', AMS) as number;
    expect((morning - evening) / H).toBe(11);
    const evening2 = parseTimeInZone('2026-10-24T20:00', AMS) as number;
    const morning2 = parseTimeInZone('2026-10-25T08:00', AMS) as number;
    expect((morning2 - evening2) / H).toBe(13);
  });
});

describe('isoFormatter', () => {
  it('agrees with formatIsoWithOffset every 6 h over two years in zones with and without DST', () => {
    for (const zone of [
      'Europe/Amsterdam',
      'America/Santiago',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'UTC',
    ]) {
      const fast = isoFormatter(zone);
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 6 * H + 7)
        expect(fast(t)).toBe(formatIsoWithOffset(t, zone));
    }
  });

  it('agrees with formatIsoWithOffset on every minute across both 2026 Amsterdam changes', () => {
    const fast = isoFormatter(AMS);
    for (const start of [Date.UTC(2026, 2, 29, 0), Date.UTC(2026, 9, 25, 0)])
      for (let m = 0; m < 120; m++) {
        const t = start + m * 60_000 + 123;
        expect(fast(t)).toBe(formatIsoWithOffset(t, AMS));
      }
  });
});
