import type { Settings } from '../src/shared/api/settings-api.js';

const prefersDark = window.matchMedia('(prefers-color-scheme: dark)');
let followSystem: (() => void) | undefined;

/**
 * Applies the theme setting to the document as `data-theme="light" | "dark"` (the one place the stylesheet
 * and the charts read it): 'system' follows the operating system's preference, also when it changes later.
 */
export function applyTheme(theme: Settings['theme']): void {
  if (followSystem) prefersDark.removeEventListener('change', followSystem);
  followSystem = undefined;
  const set = (): void =>
    document.documentElement.setAttribute(
      'data-theme',
      theme === 'system' ? (prefersDark.matches ? 'dark' : 'light') : theme,
    );
  set();
  if (theme === 'system') {
    followSystem = set;
    prefersDark.addEventListener('change', set);
  }
}
