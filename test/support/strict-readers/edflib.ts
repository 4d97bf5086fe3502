import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../../src/app/paths.js';

/** What EDFlib (`edflib-dump.c`) saw in a file; times in EDFlib's units of 100 ns. */
export interface EdflibView {
  error?: number;
  filetype: number;
  signalCount: number;
  start: string;
  startSubsecond: number;
  fileDuration: number;
  recordDuration: number;
  records: number;
  patientCode: string;
  sex: string;
  birthdate: string;
  patientName: string;
  patientAdditional: string;
  admincode: string;
  technician: string;
  equipment: string;
  recordingAdditional: string;
  signals: {
    label: string;
    unit: string;
    transducer: string;
    samplesInFile: number;
    samplesPerRecord: number;
    digitalMin: number;
    digitalMax: number;
    read: number;
    first: number;
    last: number;
    sum: number;
  }[];
  annotations: { onset: number; duration: number; text: string }[];
}

/** EDFlib's `filetype` values. */
export const EDFLIB_FILETYPE = { edfPlus: 1, bdfPlus: 3 } as const;

/**
 * Builds `edflib-dump.c` against Debian's libedf-dev into a fresh temporary folder (never into the
 * repository) and returns a function that runs it on a file.
 */
export function buildEdflibDump(): (path: string) => EdflibView {
  const out = join(mkdtempSync(join(tmpdir(), 'tonus-edflib-')), 'edflib-dump');
  const source = join(packageRoot(), 'test', 'support', 'strict-readers', 'edflib-dump.c');
  execFileSync('gcc', ['-Wall', '-Werror', '-O2', source, '-ledf', '-o', out], { stdio: 'pipe' });
  return (path) => {
    const r = spawnSync(out, [path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return JSON.parse(r.stdout) as EdflibView;
  };
}
