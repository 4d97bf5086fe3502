import { describe, expect, it } from 'vitest';
import { judgementText, mdcSentence } from '../../renderer/trends-format.js';

describe('MDC judgement in words', () => {
  it('says a change beyond MDC95 is real and one within it is no change beyond measurement error', () => {
    expect(
      mdcSentence({ before: 60.2, after: 45.1, delta: -15.1, mdc95: 8.2, exceedsMdc: true }, 'µV', [
        'pre-dose',
        'post-dose',
      ]),
    ).toBe(
      'From 60.2 µV (pre-dose) to 45.1 µV (post-dose), a change of −15.1 µV. That is larger than the smallest real change (MDC95 = 8.20 µV): a real change.',
    );
    expect(
      mdcSentence({ before: 60.2, after: 57, delta: -3.2, mdc95: 8.2, exceedsMdc: false }, '', [
        'before',
        'after',
      ]),
    ).toBe(
      'From 60.2 (before) to 57.0 (after), a change of −3.20. That is within the smallest real change (MDC95 = 8.20): no change beyond measurement error.',
    );
    expect(judgementText(true)).toBe('Real change (beyond MDC95)');
    expect(judgementText(false)).toBe('No change beyond measurement error');
  });
});
