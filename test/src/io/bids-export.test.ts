/**
 * EMG-BIDS export of a patient (two sessions, EMG + IMU), checked against the BIDS 1.11.0 schema rules
 * (vendored in fixtures/bids-schema-1.11.0) and read back with MNE and EDFlib.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import type { TonusApp } from '../../../src/app/tonus-app.js';
import { createTonusApp } from '../../../src/app/tonus-app.js';
import { callApi } from '../../support/app-under-test.js';
import type { Patient } from '../../../src/shared/api/patient-api.js';
import type { Session } from '../../../src/shared/api/session-api.js';
import {
  checkDatasetDescription,
  checkFileName,
  checkSidecar,
  checkTable,
  readDatasetFile,
} from '../../support/bids-schema.js';
import { buildEdflibDump } from '../../support/strict-readers/edflib.js';

const dir = mkdtempSync(join(tmpdir(), 'tonus-bids-'));
const out = join(dir, 'bids');
let app: TonusApp;
let files: string[] = [];
const sessions: Session[] = [];

const call = <T>(method: string, input: unknown): Promise<T> => callApi<T>(app, method, input);

beforeAll(async () => {
  app = createTonusApp({ dataDir: join(dir, 'data') });
  const p = await call<Patient>('createPatient', { code: 'P-0042', gmfcsLevel: 2, affectedSide: 'right' });
  for (const f of ['demo-passive-stretch.bdf', 'demo-rest.bdf'])
    sessions.push(
      await call<Session>('importRecordingFile', {
        path: join(packageRoot(), 'fixtures', f),
        patientId: p.id,
        muscle: 'gastrocnemius',
        side: 'right',
      }),
    );
  await call('addDoses', {
    patient: 'P-0042',
    doses: [
      { timeMs: sessions[0]!.startTimeMs + 5000, route: 'oral', kind: 'scheduled', amount: 10, unit: 'mg' },
    ],
    actor: 'test',
  });
  files = (await call<{ files: string[] }>('exportBids', { patientId: p.id, path: out })).files;
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe('EMG-BIDS export of a patient', () => {
  it('writes the dataset files, with the data files under the names the schema allows', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dataset_description.json',
        'participants.tsv',
        'sub-P0042/sub-P0042_sessions.tsv',
        'sub-P0042/ses-02/sub-P0042_ses-02_scans.tsv',
        'sub-P0042/ses-02/emg/sub-P0042_ses-02_task-passiveStretch_emg.bdf',
        'sub-P0042/ses-02/emg/sub-P0042_ses-02_task-passiveStretch_emg.json',
        'sub-P0042/ses-02/emg/sub-P0042_ses-02_task-passiveStretch_channels.tsv',
        'sub-P0042/ses-02/emg/sub-P0042_ses-02_task-passiveStretch_events.tsv',
        'sub-P0042/ses-02/motion/sub-P0042_ses-02_task-passiveStretch_tracksys-imu_motion.tsv',
        'sub-P0042/ses-02/motion/sub-P0042_ses-02_task-passiveStretch_tracksys-imu_motion.json',
        'sub-P0042/ses-02/motion/sub-P0042_ses-02_task-passiveStretch_tracksys-imu_channels.tsv',
        'sub-P0042/ses-01/emg/sub-P0042_ses-01_task-rest_emg.bdf',
      ]),
    );
    const problems = files
      .filter((f) => f.includes('/emg/') || f.includes('/motion/'))
      .flatMap(checkFileName);
    expect(problems).toEqual([]);
    // A file name the rules forbid is caught (the checker is not blind).
    expect(checkFileName('sub-P0042/ses-01/motion/sub-P0042_ses-01_task-rest_motion.tsv')).toEqual([
      'sub-P0042/ses-01/motion/sub-P0042_ses-01_task-rest_motion.tsv: missing required tracksys',
    ]);
  });

  it('has every required sidecar field and table column', () => {
    const json = (rel: string): Record<string, unknown> =>
      JSON.parse(readDatasetFile(out, rel)) as Record<string, unknown>;
    expect(checkDatasetDescription(json('dataset_description.json'))).toEqual([]);
    expect(json('dataset_description.json').BIDSVersion).toBe('1.11.0');
    const problems: string[] = [];
    for (const f of files) {
      const text = (): string => readDatasetFile(out, f);
      if (f.endsWith('_emg.json')) problems.push(...checkSidecar(json(f), 'rules/sidecars/emg.yaml', 'emg'));
      if (f.endsWith('_motion.json'))
        problems.push(...checkSidecar(json(f), 'rules/sidecars/motion.yaml', 'motion'));
      if (f.includes('/emg/') && f.endsWith('_channels.tsv'))
        problems.push(...checkTable(text(), 'rules/tabular_data/emg.yaml', 'EMGChannels'));
      if (f.includes('/motion/') && f.endsWith('_channels.tsv'))
        problems.push(...checkTable(text(), 'rules/tabular_data/motion.yaml', 'motionChannels'));
      if (f.endsWith('_events.tsv'))
        problems.push(...checkTable(text(), 'rules/tabular_data/events.yaml', 'Events'));
      if (f.endsWith('_scans.tsv'))
        problems.push(...checkTable(text(), 'rules/tabular_data/modality_agnostic.yaml', 'Scans'));
      if (f.endsWith('_sessions.tsv'))
        problems.push(...checkTable(text(), 'rules/tabular_data/modality_agnostic.yaml', 'Sessions'));
    }
    problems.push(
      ...checkTable(
        readDatasetFile(out, 'participants.tsv'),
        'rules/tabular_data/modality_agnostic.yaml',
        'Participants',
      ),
    );
    expect(problems).toEqual([]);
    expect(checkSidecar({ TaskName: 'x' }, 'rules/sidecars/emg.yaml', 'emg')).toContain(
      'missing required field EMGPlacementScheme',
    );
    const participants = readDatasetFile(out, 'participants.tsv').trim().split('\n');
    expect(participants).toEqual([
      'participant_id\tspecies\tgmfcs_level\taffected_side',
      'sub-P0042\thomo sapiens\t2\tright',
    ]);
  });

  it('lists markers, protocol steps and doses in events.tsv, and IMU rows in SI units without a header', () => {
    // Sessions are numbered by start time: the rest recording came first.
    const base = 'sub-P0042/ses-02';
    const events = readDatasetFile(out, `${base}/emg/sub-P0042_ses-02_task-passiveStretch_events.tsv`)
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(events[0]).toEqual(['onset', 'duration', 'trial_type', 'value']);
    expect(events).toContainEqual(['5.0000', '0.0000', 'dose', 'Dose: Baclofen 10 mg PO']);
    expect(events.some((e) => e[3] === 'Slow stretch' || e[3] === 'Fast stretch')).toBe(true);
    expect(events).toContainEqual(['0.0000', '0.0000', 'session_fact', 'Protocol: passive-stretch']);
    const channels = readDatasetFile(
      out,
      `${base}/motion/sub-P0042_ses-02_task-passiveStretch_tracksys-imu_channels.tsv`,
    )
      .trim()
      .split('\n');
    const rows = readDatasetFile(
      out,
      `${base}/motion/sub-P0042_ses-02_task-passiveStretch_tracksys-imu_motion.tsv`,
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t').map(Number));
    expect(rows.every((r) => r.length === channels.length - 1 && r.every(Number.isFinite))).toBe(true);
    expect(channels[1]!.split('\t').slice(0, 5)).toEqual([
      'Accel X',
      'x',
      'ACCEL',
      'rightGastrocnemius',
      'm/s^2',
    ]);
    // At rest the accelerometer reads about 1 g = 9.8 m/s² in magnitude.
    const [x, y, z] = rows[0]!;
    expect(Math.hypot(x!, y!, z!)).toBeGreaterThan(9);
    expect(Math.hypot(x!, y!, z!)).toBeLessThan(11);
  });

  it('reads back in MNE and EDFlib with the channels, rate and duration the sidecars state', () => {
    const bdfs = files.filter((f) => f.endsWith('_emg.bdf'));
    const script = `
import json, sys, warnings
warnings.simplefilter('ignore')
import mne
out = {}
for p in sys.argv[1:]:
    raw = mne.io.read_raw_bdf(p, verbose='error')
    out[p] = {'names': raw.ch_names, 'sfreq': float(raw.info['sfreq']), 'n': int(raw.n_times),
              'ann': [a['description'] for a in raw.annotations]}
print(json.dumps(out))
`;
    const paths = bdfs.map((f) => join(out, f));
    const mne = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, ...paths], { encoding: 'utf8' }),
    ) as Record<string, { names: string[]; sfreq: number; n: number; ann: string[] }>;
    const edflib = buildEdflibDump();
    for (const f of bdfs) {
      const sidecar = JSON.parse(readDatasetFile(out, f.replace('_emg.bdf', '_emg.json'))) as {
        SamplingFrequency: number;
        RecordingDuration: number;
        EMGChannelCount: number;
      };
      const names = readDatasetFile(out, f.replace('_emg.bdf', '_channels.tsv'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t')[0]);
      const view = mne[join(out, f)]!;
      expect(view.names).toEqual(names);
      expect(view.names).toHaveLength(sidecar.EMGChannelCount);
      expect(view.sfreq).toBe(sidecar.SamplingFrequency);
      expect(view.n / view.sfreq).toBeCloseTo(sidecar.RecordingDuration, 6);
      expect(view.ann.some((a) => a.startsWith('Protocol: '))).toBe(true);
      const lib = edflib(join(out, f));
      expect(lib.error).toBeUndefined();
      expect(lib.signals.map((s) => s.label.trim())).toEqual(names);
    }
  });
});
