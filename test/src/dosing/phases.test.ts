import { describe, expect, it } from 'vitest';
import { itbBolusPhase, oralPhase } from '../../../src/dosing/phases.js';

describe('dose-relative phases (domain spec §6.3)', () => {
  it('T20: 0.5 / 1.5 / 3.0 / 5.0 h after an oral dose → absorption / peak / post-peak / trough', () => {
    expect([0.5, 1.5, 3.0, 5.0].map((h) => oralPhase(h))).toEqual([
      'absorption',
      'peak',
      'post-peak',
      'trough',
    ]);
  });

  it('puts the boundaries where the table does', () => {
    expect(oralPhase(0.74)).toBe('absorption');
    expect(oralPhase(0.75)).toBe('peak');
    expect(oralPhase(2.5)).toBe('peak');
    expect(oralPhase(2.51)).toBe('post-peak');
    expect(oralPhase(3.99)).toBe('post-peak');
    expect(oralPhase(4)).toBe('trough');
    expect(oralPhase(24.5)).toBe('unknown');
    expect(oralPhase(undefined)).toBe('unknown');
  });

  it('gives trough precedence within 60 min before a scheduled dose', () => {
    expect(oralPhase(3.0, 0.9)).toBe('trough');
    expect(oralPhase(2.0, 1.0)).toBe('trough');
    expect(oralPhase(2.0, 1.1)).toBe('peak');
  });

  it('labels ITB bolus phases at the recommended test times −0.5, 2, 4, 6, 8 h and after washout', () => {
    expect([-0.5, 1, 2, 4, 6, 8, 9].map((h) => itbBolusPhase(h))).toEqual([
      'baseline',
      'early',
      'peak',
      'peak',
      'peak',
      'late',
      'washout',
    ]);
  });
});
