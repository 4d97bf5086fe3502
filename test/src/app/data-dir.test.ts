import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../../src/app/data-dir.js';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then TONUS_DATA_DIR, then the platform folder', () => {
    expect(resolveDataDir('/explicit', { TONUS_DATA_DIR: '/env', HOME: '/home/u' }, 'linux')).toBe(
      '/explicit',
    );
    expect(resolveDataDir(undefined, { TONUS_DATA_DIR: '/env', HOME: '/home/u' }, 'linux')).toBe('/env');
    expect(resolveDataDir(undefined, { HOME: '/home/u' }, 'linux')).toBe('/home/u/.local/share/tonus');
    expect(resolveDataDir(undefined, { HOME: '/home/u', XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/tonus');
    expect(resolveDataDir(undefined, { HOME: '/Users/u' }, 'darwin')).toBe(
      '/Users/u/Library/Application Support/Tonus',
    );
  });
});
