import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDataFolder } from '../../../src/app/data-folder.js';
import { packageRoot } from '../../../src/app/paths.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import { runCli } from '../../../src/cli/program.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { DatabaseKeyError, KEY_FILE, newDatabaseKey } from '../../../src/storage/database-key.node.js';
import { openDatabase } from '../../../src/storage/database.node.js';

const PATIENT = 'CP-SECRET-4711';
const NOTE = 'Took it with apple puree';
const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

/** `grep -r -a -l TEXT DIR`: the files of DIR holding TEXT as bytes (grep's own exit 1 means none). */
function grepFiles(text: string, dir: string): string[] {
  try {
    return execFileSync('grep', ['-r', '-a', '-l', '-F', text, dir], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch (err) {
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

async function fillWithPatientData(app: TonusApp): Promise<number> {
  const patient = await dispatch(app.handlers, 'createPatient', { code: PATIENT });
  if (!patient.ok) throw new Error(patient.error.message);
  const dose = await dispatch(app.handlers, 'addDoses', {
    patient: PATIENT,
    doses: [
      {
        timeMs: Date.UTC(2026, 0, 5, 7),
        route: 'oral',
        kind: 'scheduled',
        amount: 5,
        unit: 'mg',
        note: NOTE,
      },
    ],
    actor: 'nurse-a',
  });
  if (!dose.ok) throw new Error(dose.error.message);
  const patientId = (patient.value as { id: number }).id;
  const imported = await dispatch(app.handlers, 'importRecordingFile', { path: fixture, patientId });
  if (!imported.ok) throw new Error(imported.error.message);
  return (imported.value as { id: number }).id;
}

const envBefore = process.env.TONUS_DB_KEY;
afterEach(() => {
  if (envBefore === undefined) delete process.env.TONUS_DB_KEY;
  else process.env.TONUS_DB_KEY = envBefore;
});

describe('encryption at rest', () => {
  it('encrypts a new data folder: grep finds no patient code, note or source path in the database, -wal or -shm', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tonus-enc-')), 'data');
    const app = createTonusApp({ dataDir, env: {} });
    try {
      const sessionId = await fillWithPatientData(app);
      // The export runs in a job worker with its own connection: it must have been given the key.
      const out = join(dataDir, '..', 'export.bdf');
      const exported = await dispatch(app.handlers, 'exportSession', { sessionId, format: 'bdf', path: out });
      expect(exported.ok, JSON.stringify(exported)).toBe(true);
      // Exports stay plain: any reader opens them without a key.
      expect(readRecordingFile(out).streams.length).toBeGreaterThan(0);
      const csv = await dispatch(app.handlers, 'exportSession', {
        sessionId,
        format: 'csv',
        path: join(out, '..', 'csv'),
      });
      if (!csv.ok) throw new Error(csv.error.message);
      const [firstCsv] = (csv.value as { files: string[] }).files;
      expect(readFileSync(firstCsv as string, 'utf8').startsWith('\ufefftime,t_s,')).toBe(true);
      const files = readdirSync(dataDir);
      expect(files).toEqual(
        expect.arrayContaining(['tonus.sqlite', 'tonus.sqlite-wal', 'tonus.sqlite-shm', KEY_FILE]),
      );
      expect(statSync(join(dataDir, 'tonus.sqlite-wal')).size).toBeGreaterThan(0);
      for (const secret of [PATIENT, NOTE, 'demo-passive-stretch', 'SQLite format 3'])
        expect(grepFiles(secret, dataDir), secret).toEqual([]);
    } finally {
      await app.close();
    }
    for (const secret of [PATIENT, NOTE, 'demo-passive-stretch'])
      expect(grepFiles(secret, dataDir), secret).toEqual([]);
    expect((statSync(join(dataDir, KEY_FILE)).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(join(dataDir, KEY_FILE), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

    // The grep above can fail: the same data in a plain folder is found at once.
    const plainDir = mkdtempSync(join(tmpdir(), 'tonus-plain-'));
    openDatabase(join(plainDir, 'tonus.sqlite')).close();
    const plain = createTonusApp({ dataDir: plainDir, env: {} });
    try {
      await fillWithPatientData(plain);
      expect(grepFiles(PATIENT, plainDir).length).toBeGreaterThan(0);
    } finally {
      await plain.close();
    }

    const again = openDataFolder(dataDir, { env: {} });
    expect(again.keySource).toContain(KEY_FILE);
    expect(again.db.prepare('SELECT code FROM patients').all()).toEqual([{ code: PATIENT }]);
    again.db.close();
  });

  it('refuses a wrong or missing key with a message that says what to do, and opens nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-enc-key-'));
    openDataFolder(dataDir, { env: {} }).db.close();
    const wrong = (): unknown => openDataFolder(dataDir, { env: { TONUS_DB_KEY: newDatabaseKey() } });
    expect(wrong).toThrow(DatabaseKeyError);
    expect(wrong).toThrow(
      /The key from the environment variable TONUS_DB_KEY does not open the Tonus database/,
    );
    expect(wrong).toThrow(/tonus\.key \(mode 0600\) or set TONUS_DB_KEY/);
    expect(() => openDataFolder(dataDir, { env: { TONUS_DB_KEY: 'not-a-key' } })).toThrow(
      /TONUS_DB_KEY is not 64 hexadecimal characters/,
    );
    copyFileSync(join(dataDir, KEY_FILE), join(dataDir, '..', `${KEY_FILE}.${process.pid}`));
    rmSync(join(dataDir, KEY_FILE));
    expect(() => openDataFolder(dataDir, { env: {} })).toThrow(/is encrypted and no key was found/);
    // Nothing was created or changed by the refused opens.
    expect(readdirSync(dataDir).sort()).toEqual(['tonus.sqlite']);
  });

  it('the CLI exits with code 6 and the message when the key is wrong', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tonus-enc-cli-'));
    expect(await runCli(['--data-dir', dataDir, 'sessions', '--json'])).toBe(0);
    process.env.TONUS_DB_KEY = newDatabaseKey();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      expect(await runCli(['--data-dir', dataDir, 'sessions'])).toBe(6);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(
      /^tonus: The key from the environment variable TONUS_DB_KEY does not open/,
    );
  });
});
