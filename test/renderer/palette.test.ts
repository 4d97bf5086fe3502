import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { okabeIto } from '../../renderer/charts/palette.js';

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `--name` of the stylesheet's light (`:root {`) or dark (`:root[data-theme='dark'] {`) block. */
function themeColour(theme: 'light' | 'dark', name: string): string {
  const css = readFileSync('renderer/styles.css', 'utf8');
  const head = theme === 'light' ? ':root {' : ":root[data-theme='dark'] {";
  const block = css.slice(css.indexOf(head), css.indexOf('}', css.indexOf(head)));
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(block);
  if (!m?.[1]) throw new Error(`no --${name} in the ${theme} theme`);
  return m[1];
}

describe('chart trace colours', () => {
  it('every trace has at least 3:1 contrast against the chart background and the page in both themes', () => {
    for (const theme of ['light', 'dark'] as const)
      for (const background of ['surface', 'bg'])
        for (const colour of okabeIto)
          expect(
            contrast(colour, themeColour(theme, background)),
            `${colour} on ${theme} --${background}`,
          ).toBeGreaterThanOrEqual(3);
  });

  it('computes contrast as WCAG does (black on white 21:1, the old black trace on the dark card 1.33:1)', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#000000', themeColour('dark', 'surface'))).toBeCloseTo(1.33, 2);
  });
});
