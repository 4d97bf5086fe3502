import type { Page } from 'playwright-core';
import { PROTOCOL_NAMES } from '../../src/shared/indicator-catalogue.js';

/**
 * What an internal id looks like, so that none reaches a therapist: each pattern with what it catches.
 * Units (mV, dB, kHz) and words are not caught: camelCase needs two lower-case letters before the capital.
 */
export const INTERNAL_ID_PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'per-channel indicator id', pattern: /\b[a-z]{2,}[A-Z]\w*:\w+/ },
  { what: 'camelCase id or quality flag', pattern: /(?<![/\w])[a-z]{2,}[A-Z][A-Za-z0-9]*\b/ },
  { what: 'stream/channel id', pattern: /\b(emg|imu|eeg|exg|accel|gyro)\/[a-z]\w*/ },
  { what: 'versioned algorithm id', pattern: /\b[a-z][a-z-]*\/\d+(\.\d+)*\b/ },
  { what: 'algorithm version', pattern: /\/\d+\.\d+\.\d+\b/ },
  {
    what: 'protocol or marker id',
    pattern: new RegExp(
      `\\b(${[...Object.keys(PROTOCOL_NAMES).filter((id) => id.includes('-')), 'protocol-step', 'post-peak'].join('|')})\\b`,
    ),
  },
  { what: 'indicator abbreviation', pattern: /\b(aoc|dsrt|tsrt|DSRT|TSRT|romSlow|nOsc)\b/ },
  { what: 'snake_case id', pattern: /\b[A-Za-z]+_[a-z]+\b/ },
];

/**
 * Every piece of text a person meets on the page now: the visible text, option texts, and the accessible
 * names and tooltips (aria-label, title, alt, placeholder) of every element.
 */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = [document.body.innerText];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of ['aria-label', 'title', 'alt', 'placeholder', 'aria-description']) {
        const v = el.getAttribute(attr);
        if (v) texts.push(v);
      }
      if (el.tagName === 'OPTION') texts.push(el.textContent ?? '');
    }
    return texts;
  });
}

/**
 * Absolute file paths standing as words (the data folder, a chosen export folder): the user's own names, not
 * internal ids, though a random temporary name (`tonus-e2e-yedJdM`) can look like camelCase.
 */
const FILE_PATH = /(^|\s)\/[^\s"]+/g;

/** The internal ids on the page, each with its pattern and the line it stands in; empty when there is none. */
export async function internalIdsOnPage(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const text of await visibleTexts(page))
    for (const line of text.split('\n'))
      for (const { what, pattern } of INTERNAL_ID_PATTERNS) {
        const m = pattern.exec(line.replace(FILE_PATH, '$1'));
        if (m) found.push(`${where}: ${what} "${m[0]}" in "${line.trim().slice(0, 160)}"`);
      }
  return [...new Set(found)];
}
