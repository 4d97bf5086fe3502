import type { Settings } from '../src/shared/api/settings-api.js';

/** Applies the theme setting to the document: 'system' follows the operating system's preference. */
export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}
