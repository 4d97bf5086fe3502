// @ts-check
/**
 * Lint rules, including the dependency table of docs/architecture (spec/architecture.md) as errors:
 * each room of the house lists the rooms it must not import.
 */
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), 'node:*'];
const nativePackages = [
  'serialport',
  '@serialport/*',
  '@stoprocent/noble',
  'better-sqlite3',
  'better-sqlite3-multiple-ciphers',
  'ws',
  'pg',
];
const rooms = ['shared', 'devices', 'dsp', 'indicators', 'dosing', 'storage', 'io', 'app', 'server', 'cli'];

/**
 * @param {string[]} forbiddenRooms src/ rooms (or 'renderer', 'electron') this room must not import
 * @param {{ node?: boolean, electron?: boolean, react?: boolean, why: string }} opts
 */
function restrict(forbiddenRooms, opts) {
  /** @type {any[]} */
  const patterns = [];
  if (forbiddenRooms.length > 0) {
    patterns.push({
      regex: `(^|/)(src/)?(${forbiddenRooms.join('|')})(/|$)`,
      message: `${opts.why} (see spec/architecture.md, dependency rules).`,
    });
  }
  if (opts.node) {
    patterns.push({ group: nodeBuiltins, message: `${opts.why}: no Node built-ins here.` });
    patterns.push({
      group: nativePackages,
      message: `${opts.why}: native and Node-only packages belong in *.node.ts files.`,
    });
  }
  if (opts.electron)
    patterns.push({ group: ['electron', 'electron/*'], message: `${opts.why}: never import electron here.` });
  if (opts.react)
    patterns.push({
      group: ['react', 'react-dom', 'react/*', 'chart.js'],
      message: `${opts.why}: no UI libraries here.`,
    });
  return { 'no-restricted-imports': ['error', { patterns }] };
}

const others = (/** @type {string[]} */ ...allowed) => rooms.filter((r) => !allowed.includes(r));

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'fixtures/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,cts,js}'],
    ignores: ['electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^electron(/.*)?$', message: 'Only electron/ may import electron.' }] },
      ],
    },
  },
  {
    files: ['src/**/*'],
    ignores: rooms.map((r) => `src/${r}/**`),
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message: `Every file under src/ belongs to a room (${rooms.join(', ')}); a new room needs its dependency rules here first (spec/architecture.md).`,
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([...others('shared', 'dsp'), 'electron'], {
      node: true,
      electron: true,
      why: 'renderer/ talks only to the API contract in src/shared (and pure dsp)',
    }),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([...others('shared'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/shared is isomorphic and imports nothing else in src',
    }),
  },
  {
    files: ['src/dsp/**/*.ts'],
    rules: restrict([...others('shared', 'dsp'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/dsp is pure: shared only',
    }),
  },
  {
    files: ['src/dosing/**/*.ts'],
    rules: restrict([...others('shared', 'dosing'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/dosing is pure: shared only',
    }),
  },
  {
    files: ['src/indicators/**/*.ts'],
    rules: restrict([...others('shared', 'dsp', 'dosing', 'indicators'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/indicators is pure: shared, dsp and dosing only',
    }),
  },
  {
    files: ['src/devices/**/*.ts'],
    ignores: ['src/devices/**/*.node.ts'],
    rules: restrict([...others('shared', 'devices'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/devices imports shared only; Node and native code only in *.node.ts',
    }),
  },
  {
    files: ['src/devices/**/*.node.ts'],
    rules: restrict([...others('shared', 'devices'), 'renderer', 'electron'], {
      electron: true,
      react: true,
      why: 'src/devices imports shared only',
    }),
  },
  {
    files: ['src/storage/**/*.ts', 'src/io/**/*.ts'],
    ignores: ['src/storage/**/*.node.ts', 'src/io/**/*.node.ts'],
    rules: restrict([...others('shared', 'storage', 'io'), 'renderer', 'electron'], {
      node: true,
      electron: true,
      react: true,
      why: 'src/storage and src/io import shared only; Node and native code only in *.node.ts',
    }),
  },
  {
    files: ['src/storage/**/*.node.ts', 'src/io/**/*.node.ts'],
    rules: restrict([...others('shared', 'storage', 'io'), 'renderer', 'electron'], {
      electron: true,
      react: true,
      why: 'src/storage and src/io import shared only',
    }),
  },
  {
    files: ['src/app/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: restrict(['renderer', 'electron'], {
      electron: true,
      react: true,
      why: 'src/app, src/server and src/cli never import electron or the renderer',
    }),
  },
  {
    files: ['electron/**/*.{ts,cts}'],
    rules: restrict([...others('app', 'shared'), 'renderer'], {
      react: true,
      why: 'electron/ binds src/app and src/shared only',
    }),
  },
);
