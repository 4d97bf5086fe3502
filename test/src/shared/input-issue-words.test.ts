import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueInWords } from '../../../src/shared/input-issue-words.js';
import { NewPatientSchema } from '../../../src/shared/api/patient-api.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import type { ApiHandlers } from '../../../src/shared/api-contract.js';

const wordsFor = (schema: z.ZodType, value: unknown): string[] => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map(issueInWords);
};

describe('schema issues in words', () => {
  it('says what a value must be, never the library text', () => {
    expect(wordsFor(NewPatientSchema, { code: 'P-1', weightKg: 5000 })).toEqual(['Must be at most 500.']);
    expect(wordsFor(NewPatientSchema, { code: 'P-1', weightKg: 0 })).toEqual(['Must be more than 0.']);
    expect(wordsFor(NewPatientSchema, { code: 'P-1', birthYear: 1850 })).toEqual(['Must be at least 1900.']);
    expect(wordsFor(NewPatientSchema, { code: 'P-1', gmfcsLevel: 2.5 })).toEqual(['Must be a whole number.']);
    expect(wordsFor(NewPatientSchema, { code: '' })[0]).toBe('Required.');
    expect(wordsFor(NewPatientSchema, { code: 'P 1' })).toEqual([
      'A patient code holds letters, digits, dot, dash or underscore only.',
    ]);
    expect(wordsFor(z.object({ side: z.enum(['left', 'right']) }), { side: 'up' })).toEqual([
      'Must be one of: left, right.',
    ]);
    expect(wordsFor(z.object({ n: z.number() }), {})).toEqual(['Must be a number.']);
  });

  it('is what every binding answers, with the field in `where`', async () => {
    const r = await dispatch({} as ApiHandlers, 'createPatient', { code: 'P-1', weightKg: 5000 });
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Must be at most 500.', where: 'createPatient.weightKg' },
    });
  });
});
