import { finiteOrNull, type AnalysisValue, type IndicatorValue } from '../shared/analysis.js';
import { coefficientOfVariation } from './types.js';

/** An object's plain values as analysis values: numbers finite or null, string lists joined with commas. */
export const flat = (o: object): Record<string, AnalysisValue> => {
  const out: Record<string, AnalysisValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'number') out[k] = finiteOrNull(v);
    else if (typeof v === 'boolean' || typeof v === 'string' || v === null) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v.join(',');
  }
  return out;
};

/**
 * An indicator value with its unit, site, algorithm version and parameters; undefined when there is no finite
 * value (nothing is stored then). With `values` (per trial), the coefficient of variation is added.
 */
export function indicator(
  id: string,
  value: number | boolean | string | null | undefined,
  unit: string,
  site: string,
  algorithmVersion: string,
  params: Record<string, number | string | boolean>,
  extra: { n?: number; values?: number[]; quality?: string[]; rejected?: number } = {},
): IndicatorValue | undefined {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value)))
    return undefined;
  const cv = extra.values && extra.values.length >= 2 ? coefficientOfVariation(extra.values) : NaN;
  return {
    id,
    value,
    unit,
    n: extra.n ?? 1,
    ...(Number.isFinite(cv) ? { cv } : {}),
    trialsRejected: extra.rejected ?? 0,
    quality: extra.quality ?? [],
    algorithmVersion,
    params,
    site,
  };
}
