import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EVENT_FIELDS,
  INDICATORS,
  QUALITY_FLAGS,
  algorithmName,
  indicatorName,
  markerText,
  protocolName,
  qualityText,
  siteName,
  unitText,
} from '../../../src/shared/indicator-catalogue.js';
import { catalogueMarkdownTables } from '../../../src/shared/indicator-catalogue-markdown.js';

const source = (path: string): string => readFileSync(path, 'utf8');

/** Indicator ids the analysis writes: `indicator('id', …` calls and the pendulum's id table. */
function producedIndicatorIds(): string[] {
  const text = ['src/indicators/session-analysis.ts', 'src/indicators/protocol-indicators.ts']
    .map(source)
    .join('\n');
  const called = [...text.matchAll(/indicator\(\s*'(\w+)'/g)].map((m) => m[1] ?? '');
  const conditional = [...text.matchAll(/\?\s*'(rms\w*)'\s*:\s*'(rms\w*)'/g)].flatMap((m) => [m[1], m[2]]);
  const pendulum = [...text.matchAll(/^\s*\['(\w+)', \(d\)/gm)].map((m) => m[1] ?? '');
  return [...new Set([...called, ...conditional, ...pendulum].filter((x): x is string => !!x))];
}

describe('indicator catalogue', () => {
  it('names every indicator the analysis produces, with a meaning and what higher means', () => {
    const ids = producedIndicatorIds();
    expect(ids.length).toBeGreaterThan(35);
    for (const id of ids) {
      const e = INDICATORS[id];
      expect(e, `no catalogue entry for ${id}`).toBeDefined();
      expect(e?.name).not.toBe(id);
      expect(e?.meaning.length).toBeGreaterThan(10);
      expect(e?.higher.length).toBeGreaterThan(5);
    }
  });

  it('names every quality flag of src/indicators/types.ts', () => {
    const text = source('src/indicators/types.ts');
    const union = /export type QualityFlag =([^;]+);/.exec(text)?.[1] ?? '';
    const flags = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1] ?? '');
    expect(flags.length).toBeGreaterThan(10);
    for (const f of flags) expect(QUALITY_FLAGS[f], `no catalogue entry for ${f}`).toBeDefined();
    expect(qualityText(['lowSnr', 'lineNoise'])).toBe('Weak signal, Mains hum');
    expect(qualityText('notRelaxed,lowSnr')).toBe('Not relaxed, Weak signal');
    expect(qualityText([])).toBe('Good');
  });

  it('names every per-event value of stretches, drops, clonus episodes and bursts', () => {
    const fieldsOf = (path: string, name: string): string[] => {
      const body =
        new RegExp(`export interface ${name}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source(path))?.[1] ?? '';
      return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1] ?? '');
    };
    const fields = [
      ...fieldsOf('src/indicators/passive-stretch.ts', 'StretchValues'),
      ...fieldsOf('src/indicators/pendulum.ts', 'PendulumResult'),
      ...fieldsOf('src/indicators/clonus.ts', 'ClonusEpisode'),
      'burstRms',
      'site',
      'kind',
      'catchPresent',
      'rejected',
    ].filter((f) => !['startS', 'endS', 'fit'].includes(f));
    expect(fields.length).toBeGreaterThan(30);
    for (const f of fields) expect(EVENT_FIELDS[f], `no catalogue name for event field ${f}`).toBeDefined();
  });

  it('turns ids into words: per-channel trends, sites, algorithms, protocols, units', () => {
    expect(indicatorName('rmsUv:emg7')).toBe('EMG amplitude (RMS), EMG 7');
    expect(indicatorName('aoc')).toBe('Angle of catch (R1)');
    expect(indicatorName('someNewValue')).toBe('Some new value');
    expect(siteName('emg/emg1')).toBe('EMG 1');
    expect(siteName('imu/gyroZ')).toBe('Gyroscope Z');
    expect(siteName('emg/rectus_femoris_mV')).toBe('rectus femoris mV');
    expect(siteName('imu/rotRate_x_rad_s')).toBe('rot Rate x rad s');
    expect(algorithmName('session-analysis/1.0.0')).toBe('Session analysis, version 1.0.0');
    expect(protocolName('passive-stretch-fast')).toBe('Passive stretch, fast');
    expect(protocolName('novel-protocol')).toBe('Novel protocol');
    expect(markerText('Protocol: passive-stretch')).toBe('Protocol: Passive stretch');
    expect(markerText('Re-check left-side')).toBe('Re-check left-side');
    expect(unitText('uV')).toBe('µV');
    expect(unitText('deg/s')).toBe('°/s');
  });

  it('is the source of the tables in docs/csv-columns.md', () => {
    const doc = source('docs/csv-columns.md');
    const cells = (line: string): string[] =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => c.trim().replace(/^-+$/, '---'));
    const section = (name: string): string[][] => {
      const m = new RegExp(
        `<!-- indicator-catalogue:${name} -->([\\s\\S]*?)<!-- /indicator-catalogue:${name} -->`,
      ).exec(doc);
      return (m?.[1] ?? '')
        .split('\n')
        .filter((l) => l.startsWith('|'))
        .map(cells);
    };
    const tables = catalogueMarkdownTables();
    expect(section('indicators')).toEqual(tables.indicators.map(cells));
    expect(section('quality')).toEqual(tables.qualityFlags.map(cells));
  });
});
