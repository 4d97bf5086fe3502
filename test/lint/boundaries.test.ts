import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Lints `code` as if it were the file at `filePath`; returns the messages of the import rule. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency rules are lint errors', () => {
  it.each([
    ['src/app/acquisition.ts', "import { app } from 'electron';"],
    ['src/devices/drivers/x.ts', "import { app } from 'electron';"],
    ['renderer/screens/x.tsx', "import { readFileSync } from 'node:fs';"],
    ['renderer/screens/x.tsx', "import { readFileSync } from 'fs';"],
    ['renderer/screens/x.tsx', "import { openDatabase } from '../../src/storage/database.node.js';"],
    ['renderer/screens/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['src/shared/x.ts', "import { join } from 'node:path';"],
    ['src/shared/x.ts', "import { SyntheticDriver } from '../devices/drivers/synthetic.js';"],
    ['src/dsp/x.ts', "import { openDatabase } from '../storage/database.node.js';"],
    ['src/dsp/x.ts', "import { SerialPort } from 'serialport';"],
    ['src/indicators/x.ts', "import { x } from '../devices/registry.js';"],
    ['src/devices/codecs/x.ts', "import { SerialPort } from 'serialport';"],
    ['src/devices/x.ts', "import { MinMaxDecimator } from '../dsp/minmax-decimator.js';"],
    ['src/storage/x.ts', "import { x } from '../devices/registry.js';"],
    ['src/io/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['electron/x.ts', "import { x } from '../renderer/api.js';"],
    ['electron/x.ts', "import { x } from '../src/devices/registry.js';"],
    ['src/x.ts', "import { app } from 'electron';"],
    ['scripts/x.ts', "import { app } from 'electron';"],
    ['test/src/x.test.ts', "import { app } from 'electron';"],
  ])('%s: %s is an error', async (file, code) => {
    expect((await importErrors(file, code)).length).toBeGreaterThan(0);
  });

  it.each([
    ['src/app/acquisition.ts', "import { x } from '../devices/registry.js';"],
    ['src/devices/transports/serial.node.ts', "import { SerialPort } from 'serialport';"],
    ['src/storage/database.node.ts', "import Database from 'better-sqlite3';"],
    ['src/indicators/x.ts', "import { MinMaxDecimator } from '../dsp/minmax-decimator.js';"],
    ['renderer/screens/x.tsx', "import { apiMethods } from '../../src/shared/api-contract.js';"],
    ['renderer/screens/x.tsx', "import { MinMaxDecimator } from '../../src/dsp/minmax-decimator.js';"],
    ['electron/x.ts', "import { createTonusApp } from '../src/app/tonus-app.js';"],
    ['src/server/x.ts', "import { createServer } from 'node:http';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await importErrors(file, code)).toEqual([]);
  });

  it.each(['src/x.ts', 'src/newroom/x.ts', 'src/x.js'])(
    '%s lies outside every room: an error whatever it imports',
    async (filePath) => {
      const [result] = await eslint.lintText('export const x = 1;\n', { filePath });
      expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
    },
  );

  it('a file inside a room is not flagged for where it lies', async () => {
    const [result] = await eslint.lintText('export const x = 1;\n', { filePath: 'src/dsp/x.ts' });
    expect(result?.messages).toEqual([]);
  });
});
