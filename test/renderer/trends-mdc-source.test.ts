import { describe, expect, it } from 'vitest';
import type { Trend } from '../../renderer/trends-format.js';
import {
  comparisonBasis,
  mdcSourceText,
  type MeasurementErrorView,
} from '../../renderer/trends-mdc-source.js';

const key = { muscle: 'gastrocnemius', side: 'left', protocol: 'passive-stretch', algorithmVersion: '1' };
const own: MeasurementErrorView = {
  key,
  source: 'own-repeats',
  sem: 4.33,
  mdc95: 12,
  ciLow: 8.1,
  ciHigh: 17.46,
  ownRepeats: 5,
  repeatSessions: 8,
  minRepeats: 5,
};
const published: MeasurementErrorView = {
  key,
  source: 'published',
  sem: 5.41,
  mdc95: 15,
  ownRepeats: 2,
  repeatSessions: 4,
  minRepeats: 5,
  citation: 'Schless et al. 2015',
  reference: 'PLoS One 10:e0131011',
  basis: 'measurement error below 20 % of the mean',
};
const spread: MeasurementErrorView = {
  key,
  source: 'baseline-spread',
  ownRepeats: 0,
  repeatSessions: 0,
  minRepeats: 5,
};

describe('where the smallest real change comes from, in words', () => {
  it('names the own repeated sessions with the bootstrap interval', () => {
    expect(mdcSourceText(own, 'µV')).toBe(
      'Smallest real change for this patient: 12.0 µV (95 % interval 8.10–17.5 µV), from 8 of their own repeated sessions (5 repeats: a second or later session of the same muscle, side and dose phase on the same day).',
    );
  });

  it('names the published source and how many own repeats are still missing', () => {
    expect(mdcSourceText(published, 'µV')).toBe(
      'Smallest real change: 15.0 µV (published value, Schless et al. 2015: measurement error below 20 % of the mean). This patient has 2 of the 5 repeats needed to use their own (a second or later session of the same muscle, side and dose phase on the same day).',
    );
  });

  it('says when neither exists that the baseline spread is used', () => {
    expect(mdcSourceText(spread, '°')).toMatch(
      /^Smallest real change: from the spread of the first two weeks' sessions in each dose phase, because no value is published for this indicator\. This patient has 0 of the 5 repeats/,
    );
  });

  it('gives the comparison tables the source, or their own spread wording when any key lacks one', () => {
    const trend = (m: MeasurementErrorView[]) => ({ measurementErrors: m }) as unknown as Trend;
    expect(comparisonBasis(trend([own]), 'spread')).toBe(
      "The MDC95 comes from this patient's own repeated sessions, the same for every dose phase.",
    );
    expect(comparisonBasis(trend([own, { ...published, key: { ...key, side: 'right' } }]), 'spread')).toBe(
      "The MDC95 comes from this patient's own repeated sessions and a published value (Schless et al. 2015), the same for every dose phase.",
    );
    expect(comparisonBasis(trend([own, spread]), 'spread')).toBe('spread');
    expect(comparisonBasis(trend([]), 'spread')).toBe('spread');
  });
});
