import type { PointStyle } from 'chart.js';
import type { dosingMethods } from '../src/shared/api/dosing-api.js';
import type { z } from 'zod';
import { okabeIto } from './charts/palette.js';
import {
  algorithmName,
  indicatorEntry,
  indicatorName,
  protocolName,
  unitText,
} from '../src/shared/indicator-catalogue.js';

export type Trend = z.infer<typeof dosingMethods.getTrend.output>;
export type TrendLine = Trend['lines'][number];
export type TrendPoint = TrendLine['points'][number];
export type DoseResponse = z.infer<typeof dosingMethods.getDoseResponse.output>[number];
export type TherapyWindow = z.infer<typeof dosingMethods.getTherapyWindow.output>[number];
export type CRelCurve = z.infer<typeof dosingMethods.getCRelCurve.output>;
/** Predicted C_rel after one reference dose, as hours since that dose (domain spec §8.2 item 4). */
export interface DoseCurve {
  doseTime: string;
  points: { hours: number; cRel: number; p10: number; p90: number }[];
}
export type ComparableKey = Trend['baselines'][number]['key'];

/**
 * Indicator ids the Trends screen lists first, in this order (domain spec §2.4, §3.4, §4, §10); names, units
 * and whether a higher value means less resistance come from the indicator catalogue.
 */
export const TREND_INDICATORS: readonly { id: string; name: string; higherIsLessTone: boolean }[] = [
  'rmsHV',
  'rmsLV',
  'deltaRms',
  'rmsRatio',
  'aoc',
  'aocPctRom',
  'romSlow',
  'dynamicComponent',
  'dsrt',
  'thresholdVelocity',
  'tsrt',
  'A0',
  'RI',
  'R2n',
  'nOsc',
  'rmsRest',
  'clonusBeats',
].map((id) => ({
  id,
  name: indicatorName(id),
  higherIsLessTone: indicatorEntry(id)?.higherIsLessTone ?? false,
}));

export { indicatorName, unitText };

export interface PhaseStyle {
  colour: string;
  pointStyle: PointStyle;
  /** The marker's shape in words, for legends and tables. */
  shape: string;
}

/**
 * Dose phases (domain spec §6.3) as colour AND marker shape, so colour never carries the meaning alone.
 * Okabe–Ito colours; black is left out so markers stay visible in the dark theme.
 */
const PHASE_STYLES: Record<string, PhaseStyle> = {
  trough: { colour: okabeIto[0] as string, pointStyle: 'circle', shape: 'circle' },
  peak: { colour: okabeIto[1] as string, pointStyle: 'triangle', shape: 'triangle' },
  'post-peak': { colour: okabeIto[2] as string, pointStyle: 'rect', shape: 'square' },
  absorption: { colour: okabeIto[3] as string, pointStyle: 'rectRot', shape: 'diamond' },
  baseline: { colour: okabeIto[5] as string, pointStyle: 'circle', shape: 'circle' },
  early: { colour: okabeIto[3] as string, pointStyle: 'rectRot', shape: 'diamond' },
  late: { colour: okabeIto[2] as string, pointStyle: 'rect', shape: 'square' },
  washout: { colour: okabeIto[4] as string, pointStyle: 'star', shape: 'star' },
};
const OTHER_PHASE: PhaseStyle = { colour: okabeIto[7] as string, pointStyle: 'crossRot', shape: 'cross' };

const PHASE_ORDER = ['trough', 'absorption', 'peak', 'post-peak', 'baseline', 'early', 'late', 'washout'];
/** Sort rank of a phase: the dose cycle's order, unknown phases last. */
export const phaseRank = (phase: string): number => {
  const i = PHASE_ORDER.indexOf(phase);
  return i < 0 ? PHASE_ORDER.length : i;
};

export const phaseStyle = (phase: string): PhaseStyle => PHASE_STYLES[phase] ?? OTHER_PHASE;

const PHASE_TEXT: Record<string, string> = {
  trough: 'Pre-dose (trough)',
  peak: 'Post-dose (peak)',
  'post-peak': 'After peak',
  absorption: 'Just after dose',
  unknown: 'Dose time unknown',
};
export const phaseText = (phase: string): string => PHASE_TEXT[phase] ?? phase;

/** Three significant digits, as measurement values deserve. */
export const num = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * The reference dose for the within-day C_rel curve: the last taken dose at or before the trend's last
 * session, and how long its curve runs (the usual gap to the next dose, at most 8 h). Undefined without
 * doses.
 */
export function referenceDose(trend: Trend): { timeMs: number; time: string; spanMs: number } | undefined {
  const lastMs = Math.max(...trend.lines.flatMap((l) => l.points.map((p) => p.startTimeMs)));
  const taken = trend.doseEvents.filter((d) => d.status === 'taken' && d.route === 'oral');
  const ref = taken.filter((d) => d.timeMs <= lastMs).at(-1);
  if (!ref) return undefined;
  const gaps = taken
    .slice(1)
    .map((d, i) => d.timeMs - (taken[i] as { timeMs: number }).timeMs)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)] ?? 8 * 3_600_000;
  return { timeMs: ref.timeMs, time: ref.time, spanMs: Math.min(usual, 8 * 3_600_000) };
}

/** The MDC95 judgement of a change in words (the table's last column). */
export const judgementText = (exceedsMdc: boolean): string =>
  exceedsMdc ? 'Real change (beyond MDC95)' : 'No change beyond measurement error';

/**
 * One comparison judged against MDC95 as a sentence, e.g. "From 60.2 µV (pre-dose) to 45.1 µV (post-dose), a
 * change of −15.1 µV. That is larger than the smallest real change (MDC95 = 8.20 µV): a real change."
 */
export function mdcSentence(
  c: { before: number; after: number; delta: number; mdc95: number; exceedsMdc: boolean },
  unit: string,
  labels: readonly [string, string],
): string {
  const u = unit ? ` ${unit}` : '';
  const change = `From ${num(c.before)}${u} (${labels[0]}) to ${num(c.after)}${u} (${labels[1]}), a change of ${signed(c.delta)}${u}.`;
  const mdc = `the smallest real change (MDC95 = ${num(c.mdc95)}${u})`;
  return c.exceedsMdc
    ? `${change} That is larger than ${mdc}: a real change.`
    : `${change} That is within ${mdc}: no change beyond measurement error.`;
}

/** A dose amount as written on a prescription: 7.5, 10, 0.25. */
export const amountText = (v: number): string => String(Number(v.toPrecision(4)));

/** "1 side effect", "2 side effects". */
export const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export const signed = (v: number): string => (v > 0 ? `+${num(v)}` : v < 0 ? `−${num(-v)}` : '0');

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

/**
 * An API ISO text with its patient's offset ("2026-09-01T13:30:00.000+02:00"), shown in that local time.
 * The offset is read from the text, so the browser's own zone never shifts what the clinic saw.
 */
export function localTime(iso: string, withTime = true): string {
  const m = /([+-])(\d\d):(\d\d)$/.exec(iso);
  const offsetMs = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  const local = new Date(Date.parse(iso) + offsetMs);
  return (withTime ? dateTimeFormat : dateFormat).format(local);
}

/** "gastrocnemius, left · passive-stretch (alg. passive-stretch/1)" */
export function keyText(key: ComparableKey, withProtocol = true): string {
  const where = [key.muscle ?? 'muscle not set', key.side ?? ''].filter(Boolean).join(', ');
  return withProtocol
    ? `${where} · ${protocolName(key.protocol)} (${algorithmName(key.algorithmVersion)})`
    : where;
}

/**
 * What tells `key` apart from the other `keys` on the same view: only the fields that differ among them
 * (muscle, side, protocol, algorithm), e.g. "algorithm passive-stretch/2". Used to label lines, bands and
 * rows when a view holds more than one comparable key.
 */
export function keyDistinction(key: ComparableKey, keys: readonly ComparableKey[]): string {
  const differs = (f: keyof ComparableKey): boolean => new Set(keys.map((k) => k[f])).size > 1;
  const parts = [
    differs('muscle') ? (key.muscle ?? 'muscle not set') : '',
    differs('side') ? (key.side ?? 'side not set') : '',
    differs('protocol') ? protocolName(key.protocol) : '',
    differs('algorithmVersion') ? algorithmName(key.algorithmVersion) : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : keyText(key, false);
}

export const sameKey = (a: ComparableKey, b: ComparableKey): boolean =>
  a.muscle === b.muscle &&
  a.side === b.side &&
  a.protocol === b.protocol &&
  a.algorithmVersion === b.algorithmVersion;

/** Reads the theme's colours from the page's CSS variables (light or dark, whichever is in force). */
export function themeColours(): { text: string; muted: string; grid: string; surface: string } {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b1f24'),
    muted: v('--muted', '#5a6270'),
    grid: v('--grid', 'rgba(0,0,0,0.1)'),
    surface: v('--surface', '#ffffff'),
  };
}

/** `#RRGGBB` with an alpha, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
