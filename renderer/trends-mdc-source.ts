import { count, num, type Trend } from './trends-format.js';

export type MeasurementErrorView = Trend['measurementErrors'][number];

/**
 * Where the smallest real change (MDC95) of one muscle and side comes from, in words (domain spec §8.2):
 * "Smallest real change for this patient: 12.0 µV (95 % interval 8.10–17.5 µV), from 8 of their own repeated
 * sessions …", or "Smallest real change: 15.0 µV (published value, Schless et al. 2015: …)". Says how many
 * repeats the patient has of those needed to use their own.
 */
export function mdcSourceText(me: MeasurementErrorView, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  const repeats = `a second or later session of the same muscle, side and dose phase on the same day`;
  if (me.source === 'own-repeats' && me.mdc95 !== undefined)
    return (
      `Smallest real change for this patient: ${num(me.mdc95)}${u}` +
      (me.ciLow === undefined || me.ciHigh === undefined
        ? ''
        : ` (95 % interval ${num(me.ciLow)}–${num(me.ciHigh)}${u})`) +
      `, from ${me.repeatSessions} of their own repeated sessions (${count(me.ownRepeats, 'repeat')}: ${repeats}).`
    );
  const own = `This patient has ${me.ownRepeats} of the ${me.minRepeats} repeats needed to use their own (${repeats}).`;
  if (me.source === 'published' && me.mdc95 !== undefined)
    return `Smallest real change: ${num(me.mdc95)}${u} (published value, ${me.citation ?? 'source not recorded'}: ${me.basis ?? ''}). ${own}`;
  return `Smallest real change: from the spread of the first two weeks' sessions in each dose phase, because no value is published for this indicator. ${own}`;
}

/**
 * The basis line under a comparison table: where its MDC95 comes from. `spreadBasis` describes the
 * baseline-spread fallback of that table; it is used when some muscle and side has neither own repeats nor
 * a published value.
 */
export function comparisonBasis(trend: Trend, spreadBasis: string): string {
  const sources = trend.measurementErrors;
  if (sources.length === 0 || sources.some((m) => m.source === 'baseline-spread')) return spreadBasis;
  const words = [
    ...new Set(
      sources.map((m) =>
        m.source === 'own-repeats'
          ? "this patient's own repeated sessions"
          : `a published value (${m.citation ?? 'source not recorded'})`,
      ),
    ),
  ];
  return `The MDC95 comes from ${words.join(' and ')}, the same for every dose phase.`;
}

/** The MDC95's source in a few words, after a judgement: "MDC95 from 8 of their own repeated sessions". */
export function mdcSourceShort(trend: Trend, key: MeasurementErrorView['key']): string | undefined {
  const same = (a: MeasurementErrorView['key']): boolean =>
    a.muscle === key.muscle &&
    a.side === key.side &&
    a.protocol === key.protocol &&
    a.algorithmVersion === key.algorithmVersion;
  const me = trend.measurementErrors.find((m) => same(m.key));
  if (!me) return undefined;
  if (me.source === 'own-repeats') return `MDC95 from ${me.repeatSessions} of their own repeated sessions`;
  if (me.source === 'published') return `MDC95: published value, ${me.citation ?? 'source not recorded'}`;
  return 'MDC95 from the spread of the first two weeks; no published value';
}
