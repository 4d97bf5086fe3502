import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { packageRoot } from '../../src/app/paths.js';
import { butterworthSos } from '../../src/dsp/butterworth.js';
import { rms } from '../../src/dsp/envelope.js';
import {
  detectOnsets,
  SESSION_ONSET_METHOD,
  sessionOnsetInput,
  type OnsetMethod,
} from '../../src/dsp/onset.js';
import { bonatoBursts } from '../../src/dsp/onset-bonato.js';
import { sosfiltfilt } from '../../src/dsp/sos-filter.js';
import { mdc95, standardErrorOfMeasurement } from '../../src/dosing/trend-statistics.js';
import { measurementError } from '../../src/dosing/measurement-error.js';
import { publishedSem } from '../../src/dosing/published-measurement-error.js';
import { batemanUnit, rateConstants, solveKa, keFromHalfLife } from '../../src/dosing/pk-model.js';
import { derivative } from '../../src/dsp/imu.js';
import {
  analyzePendulumDrop,
  detectDrops,
  PENDULUM_ALGORITHM_VERSION,
  shankAnthropometrics,
  simulatePendulum,
} from '../../src/indicators/pendulum.js';
import { fitTsrt, STRETCH_ALGORITHM_VERSION } from '../../src/indicators/passive-stretch.js';
import { QUALITY_ALGORITHM_VERSION } from '../../src/indicators/quality.js';
import {
  analyzeRecording,
  SESSION_ANALYSIS_VERSION,
  spectrumSegmentLength,
} from '../../src/indicators/session-analysis.js';
import { tremorPeak } from '../../src/indicators/tremor.js';
import { readTextRecording } from '../../src/io/text-recording.node.js';
import {
  burstAgreement,
  MAX_EXTRA_BURSTS,
  referenceBursts,
  type BurstAgreement,
  type SampleBurst,
} from '../support/burst-agreement.js';
import { externalDataDir } from '../support/external-data.js';
import { EMG_FILES, SCIPY_MDF_MNF } from '../support/reference-spectra.js';
import { relativeError, runScipy } from '../src/dsp/scipy-reference.js';

/**
 * docs/validation.md: every indicator with its definition and algorithm version, and tables against every
 * reference that runs on this machine (scipy via /usr/bin/python3, the reference onset detectors in
 * test/reference/emg_onsets.py, published values with their sources) on every real recording in
 * fixtures/external, with pass/fail per stated tolerance. Deterministic: no dates, timings or host names.
 */

const EXT = externalDataDir();
const ok = (pass: boolean): string => (pass ? 'pass' : '**FAIL**');
const f = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
const sci = (v: number): string => (v === 0 ? '0' : v.toExponential(1));
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function scipyVersion(): string {
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', 'import numpy, scipy; print(numpy.__version__, scipy.__version__)'],
    {
      encoding: 'utf8',
    },
  );
  const [np, sp] = r.stdout.trim().split(' ');
  return `numpy ${np ?? '?'}, scipy ${sp ?? '?'}`;
}

async function emgChannels(file: string): Promise<{ x: Float32Array; fs: number; label: string }[]> {
  const rec = await readTextRecording(`${EXT}/${file}`);
  return rec.streams.flatMap((s) =>
    s.descriptor.channels.flatMap((ch, k) => {
      const x = s.data[k];
      return ch.kind === 'emg' && x ? [{ x, fs: s.descriptor.sampleRateHz, label: ch.label }] : [];
    }),
  );
}

const DEFINITIONS = (): string =>
  table(
    ['indicator', 'definition', 'version'],
    [
      [
        'EMG band-pass',
        '4th-order Butterworth 20–450 Hz (≤ 0.45·fs), zero-phase (scipy `sosfiltfilt`)',
        QUALITY_ALGORITHM_VERSION,
      ],
      ['EMG RMS', 'RMS of the band-passed signal over the recording', QUALITY_ALGORITHM_VERSION],
      [
        'EMG median / mean frequency',
        'Welch PSD with scipy defaults (periodic Hann, 50 % overlap, mean detrend), segment = power of two nearest 0.5 s; MDF interpolated where cumulative power crosses half, MNF = Σf·P/ΣP, over the band',
        SESSION_ANALYSIS_VERSION,
      ],
      [
        'EMG onsets (session)',
        `method \`${SESSION_ONSET_METHOD}\`: BioSPPy find_onsets (high-pass 100 Hz, rectify, boxcar + Parzen 50 ms, threshold 1.2·mean + 2·SD over the recording)`,
        SESSION_ANALYSIS_VERSION,
      ],
      [
        'Tremor peak',
        'Welch peak in 3–12 Hz of one axis (parabolic refinement), kept if its ±1 Hz band holds ≥ 22 % of 1–20 Hz power',
        SESSION_ANALYSIS_VERSION,
      ],
      [
        'Pendulum RI, R2n',
        'RI = A1 / A0 (first-swing excursion over start-to-rest angle), R2n = RI / 1.6',
        PENDULUM_ALGORITHM_VERSION,
      ],
      [
        'Pendulum fd, ζ (half-swing)',
        'mean half-period of the first 4 half-swings (release included); ζ from their log decrement',
        PENDULUM_ALGORITHM_VERSION,
      ],
      [
        'Pendulum fd, ζ (full period)',
        'mean period between successive flexion minima (|φ| ≥ 2°); ζ from successive flexion amplitudes',
        PENDULUM_ALGORITHM_VERSION,
      ],
      [
        'Pendulum K, B',
        'nonlinear ODE I·θ̈ + B·θ̇ + K·(θ − θ_K) + m·g·l_c·sin θ = 0 fitted to the first 3 s, with R² and residual RMS',
        PENDULUM_ALGORITHM_VERSION,
      ],
      [
        'Catch (AOC1)',
        'angle at maximum deceleration; present if before R2 − max(5°, 10 %), R2 = slow-stretch range or the stretch’s own end range',
        STRETCH_ALGORITHM_VERSION,
      ],
      ['TSRT', 'least squares DSRT = TSRT + μ·ω over stretches with a reflex', STRETCH_ALGORITHM_VERSION],
      [
        'MDC95',
        "1.96·√2·SEM; SEM = √(within-set mean square) of the patient's own repeats (same indicator, muscle, side, protocol, day and dose phase, within 1 h; Weir 2005) from 5 degrees of freedom, else published (Schless et al. 2015 EMG in stretches, Choi et al. 2018 angles, SD·√(1 − ICC) for TSRT)",
        'measurement-error',
      ],
      ['Baclofen C_rel', 'one-compartment Bateman model, ka solved from Tmax', 'pk-model'],
    ],
  );

async function filterAndSpectrumTables(): Promise<{ filters: string; spectra: string; allPass: boolean }> {
  const filterRows: (string | number)[][] = [];
  const spectrumRows: (string | number)[][] = [];
  let allPass = true;
  for (const file of EMG_FILES) {
    const rec = await readTextRecording(`${EXT}/${file}`);
    const a = analyzeRecording(rec);
    for (const e of a.summary.emg) {
      const s = rec.streams.find((x) => x.descriptor.id === e.stream);
      const k = s?.descriptor.channels.findIndex((c) => c.id === e.channel) ?? -1;
      const x = s?.data[k];
      if (!x) continue;
      const fs = e.sampleRateHz;
      const ref = runScipy(
        `${SCIPY_MDF_MNF}
out['y'] = signal.sosfiltfilt(signal.butter(4, [lo, hi], 'bandpass', fs=fs, output='sos'), x)`,
        {
          x,
          fs,
          lo: e.bandHz[0],
          hi: e.bandHz[1],
          notch: e.notchApplied ? 1 : 0,
          mains: 50,
          nperseg: spectrumSegmentLength(x.length, fs),
        },
      );
      const y = sosfiltfilt(butterworthSos(4, e.bandHz, 'bandpass', fs), x);
      const yRef = ref.y ?? [];
      const err = relativeError(y, yRef);
      const rmsDiffPct = (100 * Math.abs(rms(y) - rms(yRef))) / rms(yRef);
      const filterPass = err < 1e-6;
      filterRows.push([file, e.label, sci(err), f(rmsDiffPct, 4), '1e-6 rel.', ok(filterPass)]);
      const dMdf = Math.abs((e.medianFrequencyHz ?? NaN) - (ref.mdf?.[0] ?? NaN));
      const dMnf = Math.abs((e.meanFrequencyHz ?? NaN) - (ref.mnf?.[0] ?? NaN));
      const specPass = dMdf < 0.01 && dMnf < 0.01;
      spectrumRows.push([
        file,
        e.label,
        f(e.medianFrequencyHz, 3),
        f(ref.mdf?.[0], 3),
        f(e.meanFrequencyHz, 3),
        f(ref.mnf?.[0], 3),
        '0.01 Hz',
        ok(specPass),
      ]);
      allPass &&= filterPass && specPass;
    }
  }
  return {
    filters: table(
      ['recording', 'channel', 'max rel. error', 'RMS difference %', 'tolerance', 'result'],
      filterRows,
    ),
    spectra: table(
      ['recording', 'channel', 'MDF Tonus', 'MDF scipy', 'MNF Tonus', 'MNF scipy', 'tolerance', 'result'],
      spectrumRows,
    ),
    allPass,
  };
}

/** Detected bursts identical (same start and end sample) to a reference burst. */
function identicalBursts(
  port: readonly { start: number; end: number }[],
  ref: readonly SampleBurst[],
): number {
  const keys = new Set(ref.map((x) => `${x.start},${x.end}`));
  return port.filter((x) => keys.has(`${x.start},${x.end}`)).length;
}

async function onsetTables(): Promise<{
  perChannel: string;
  methods: string;
  ports: string;
  emg1Pass: boolean;
  emg1HodgesBuiOnsetMs: string;
}> {
  const rows: (string | number)[][] = [];
  const methods: OnsetMethod[] = ['biosppy', 'tkeo', 'threshold', 'double'];
  const totals = new Map<string, { agreeing: number; extra: number }>();
  const addTotal = (name: string, a: BurstAgreement): void => {
    const t = totals.get(name) ?? { agreeing: 0, extra: 0 };
    totals.set(name, { agreeing: t.agreeing + a.agreeing, extra: t.extra + a.extra });
  };
  const ports = new Map<
    string,
    { channels: number; identicalChannels: number; bursts: number; identical: number }
  >();
  const addPort = (
    name: string,
    port: readonly { start: number; end: number }[],
    ref: readonly SampleBurst[],
  ) => {
    const t = ports.get(name) ?? { channels: 0, identicalChannels: 0, bursts: 0, identical: 0 };
    const same = identicalBursts(port, ref);
    ports.set(name, {
      channels: t.channels + 1,
      identicalChannels: t.identicalChannels + (same === ref.length && same === port.length ? 1 : 0),
      bursts: t.bursts + ref.length,
      identical: t.identical + same,
    });
  };
  let reference = 0;
  let emg1Pass = false;
  let emg1HodgesBuiOnsetMs = '';
  for (const file of EMG_FILES) {
    const channels = await emgChannels(file);
    const fs = channels[0]?.fs ?? 1000;
    const xs = channels.map((c) => c.x);
    const refs = referenceBursts(xs, fs, 'biosppy');
    const hb = referenceBursts(xs, fs, 'hodges_bui');
    const bonatoRef = referenceBursts(xs, fs, 'bonato');
    channels.forEach((c, i) => {
      const ref = refs[i] ?? [];
      reference += ref.length;
      const y = sosfiltfilt(butterworthSos(4, [20, Math.min(450, 0.45 * c.fs)], 'bandpass', c.fs), c.x);
      const raw = detectOnsets(c.x, c.fs, { method: 'biosppy' }).bursts;
      const bandPassed = burstAgreement(ref, detectOnsets(y, c.fs, { method: 'biosppy' }).bursts, c.fs);
      const hbAgree = burstAgreement(ref, hb[i] ?? [], c.fs);
      for (const m of methods) {
        const detected = detectOnsets(sessionOnsetInput(m, c.x, y), c.fs, { method: m }).bursts;
        const a = burstAgreement(ref, detected, c.fs);
        addTotal(m, a);
        if (m === 'threshold')
          addPort('Hodges–Bui (`threshold`, after the band-pass)', detected, hb[i] ?? []);
        if (m !== SESSION_ONSET_METHOD) continue;
        const diffs = a.matches.flatMap((x) => (x.onsetDiffMs === null ? [] : [Math.abs(x.onsetDiffMs)]));
        const pass = a.agreeing === a.reference && a.extra <= MAX_EXTRA_BURSTS;
        if (file === 'biosppy/emg_1.txt') {
          emg1Pass = pass;
          emg1HodgesBuiOnsetMs = hbAgree.matches
            .map((x) => (x.onsetDiffMs === null ? '—' : signedMs(x.onsetDiffMs)))
            .join(', ');
        }
        rows.push([
          file,
          c.label,
          a.reference,
          `${a.agreeing}/${a.reference}`,
          a.extra,
          diffs.length > 0 ? f(Math.max(...diffs), 0) : '—',
          `${bandPassed.agreeing}/${bandPassed.reference}, ${bandPassed.extra} extra`,
          `${hbAgree.agreeing}/${a.reference}`,
          ok(pass),
        ]);
      }
      addTotal('biosppy after the 20–450 Hz band-pass (before session-analysis/1.2.0)', bandPassed);
      addPort('BioSPPy find_onsets (`biosppy`, raw signal)', raw, ref);
      const bonato = bonatoBursts(y, c.fs);
      addTotal('Bonato 1998 double threshold (`bonatoBursts`)', burstAgreement(ref, bonato, c.fs));
      addPort('Bonato double threshold (`bonatoBursts`, after the band-pass)', bonato, bonatoRef[i] ?? []);
      addTotal('Hodges–Bui reference (Python)', hbAgree);
      addTotal('Bonato reference (Python)', burstAgreement(ref, bonatoRef[i] ?? [], c.fs));
    });
  }
  return {
    perChannel: table(
      [
        'recording',
        'channel',
        'reference bursts',
        `within 20 ms / 50 ms (\`${SESSION_ONSET_METHOD}\`)`,
        'extra',
        'worst onset Δ ms',
        '`biosppy` after the band-pass',
        'Hodges–Bui ref. agreeing',
        'result (all agree, ≤ 1 extra)',
      ],
      rows,
    ),
    methods: table(
      ['method (on the input the session gives it unless stated)', 'agreeing bursts', 'extra bursts'],
      [...totals].map(([m, t]) => [m, `${t.agreeing}/${reference}`, t.extra]),
    ),
    ports: table(
      ['Tonus detector', 'its Python reference', 'channels with identical bursts', 'identical bursts'],
      [...ports].map(([name, t]) => [
        name,
        name.startsWith('BioSPPy') ? 'biosppy' : name.startsWith('Hodges') ? 'hodges_bui' : 'bonato',
        `${t.identicalChannels}/${t.channels}`,
        `${t.identical}/${t.bursts}`,
      ]),
    ),
    emg1Pass,
    emg1HodgesBuiOnsetMs,
  };
}

const signedMs = (ms: number): string => `${ms > 0 ? '+' : ms < 0 ? '−' : ''}${Math.abs(ms).toFixed(0)}`;

async function tremorTable(): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const file of ['mhealthtools/rest_tremor_data.csv', 'mhealthtools/kinetic_tremor_data.csv']) {
    const rec = await readTextRecording(`${EXT}/${file}`);
    const imu = rec.streams.find((s) => s.descriptor.id === 'imu');
    if (!imu) continue;
    const fs = imu.descriptor.sampleRateHz;
    for (const [k, ch] of imu.descriptor.channels.entries()) {
      const raw = imu.data[k];
      if (!raw) continue;
      let m = 0;
      for (const v of raw) m += v;
      m /= raw.length;
      const x = Float64Array.from(raw, (v) => v - m);
      const t = tremorPeak(x, fs);
      const nperseg = Math.min(x.length, 2 ** Math.floor(Math.log2(Math.max(64, 4 * fs))));
      const ref = runScipy(
        `f, p = signal.welch(np.asarray(inp['x']), fs=inp['fs'], nperseg=int(inp['nperseg']))
sel = np.nonzero((f >= 3) & (f <= 12))[0]
b = int(sel[np.argmax(p[sel])]); df = f[1] - f[0]
den = p[b - 1] - 2 * p[b] + p[b + 1]
f0 = f[b] + (0.5 * (p[b - 1] - p[b + 1]) / den if den != 0 else 0) * df
band = lambda lo, hi: np.sum(p[(f >= lo) & (f <= hi)]) * df
prom = band(f0 - 1, f0 + 1) / band(1, min(20, inp['fs'] / 2))
out = {'f0': [f0], 'prom': [prom]}`,
        { x, fs, nperseg },
      );
      const refPeak = (ref.prom?.[0] ?? 0) >= 0.22 ? (ref.f0?.[0] ?? NaN) : null;
      const pass =
        t.peakHz === null ? refPeak === null : refPeak !== null && Math.abs(t.peakHz - refPeak) < 0.01;
      rows.push([
        file,
        ch.label,
        t.peakHz === null ? 'none' : f(t.peakHz, 3),
        refPeak === null ? 'none' : f(refPeak, 3),
        '0.01 Hz',
        ok(pass),
      ]);
    }
  }
  return table(['recording', 'axis', 'peak Tonus (Hz)', 'peak scipy (Hz)', 'tolerance', 'result'], rows);
}

function publishedTable(): string {
  const rows: (string | number)[][] = [];
  const add = (
    what: string,
    value: number,
    expected: number,
    tol: number,
    source: string,
    digits = 3,
  ): void => {
    rows.push([
      what,
      f(value, digits),
      f(expected, digits),
      `± ${tol}`,
      source,
      ok(Math.abs(value - expected) <= tol),
    ]);
  };
  // T19: SEM and MDC95.
  const sem = standardErrorOfMeasurement(10, 0.8);
  add('SEM (ICC 0.80, SD 10)', sem, 4.47, 0.005, 'domain.md §8.2 / §9 T19 (standard formula)', 2);
  add('MDC95 (ICC 0.80, SD 10)', mdc95(sem), 12.4, 0.005, 'domain.md §9 T19', 2);
  // Own repeats: five test–retest pairs differing by 2, 1, 3, 0, 2 → SEM √(9/5), MDC95 3.719.
  const own = measurementError(
    'rmsHV',
    [
      [10, 12],
      [20, 21],
      [30, 33],
      [5, 5],
      [8, 10],
    ].flatMap(([a, b], i) => [
      { timeMs: i * 86_400_000, visit: `d${i}`, phase: 'trough', value: a as number },
      { timeMs: i * 86_400_000 + 1_200_000, visit: `d${i}`, phase: 'trough', value: b as number },
    ]),
    20,
  );
  add('MDC95, own repeats (5 pairs)', own?.mdc95 ?? Number.NaN, 3.719, 0.001, 'Weir 2005: SEM = √MS_E', 3);
  add(
    'SEM, TSRT published (ICC 0.55, SD 12.9°)',
    publishedSem('tsrt', 0)?.sem ?? Number.NaN,
    8.654,
    0.001,
    'Levin et al. 2024; Germanotta et al. 2017',
    3,
  );
  // T2: Bateman child defaults.
  const ke = keFromHalfLife(4.5);
  add('ka (t½ 4.5 h, Tmax 1 h), 1/h', solveKa(1, ke), 3.182, 0.005, 'domain.md §9 T2 (He et al. 2014 t½)');
  const k = rateConstants({ halfLifeH: 4.5, tmaxH: 1 });
  const cmax = batemanUnit(1, k);
  for (const [h, v] of [
    [2, 0.899],
    [4, 0.662],
    [8, 0.358],
  ] as const)
    add(`C/Cmax at ${h} h`, batemanUnit(h, k) / cmax, v, 0.002, 'domain.md §9 T2');
  // T7: linear pendulum.
  const fs = 200;
  const zeta = 0.1;
  const wd = 2 * Math.PI * 0.9;
  const wn = wd / Math.sqrt(1 - zeta * zeta);
  const theta = Float64Array.from({ length: fs + 20 * fs }, (_, i) => {
    const t = Math.max(0, (i - fs) / fs);
    return 60 * Math.exp(-zeta * wn * t) * (Math.cos(wd * t) + ((zeta * wn) / wd) * Math.sin(wd * t));
  });
  const p = analyzePendulumDrop(theta, fs, fs);
  add('Pendulum RI (T7, ζ 0.10)', p.ri, 1.729, 0.001, 'domain.md §9 T7: RI = 1 + exp(−πζ/√(1−ζ²))');
  add('Pendulum ζ, half-swings (T7)', p.zeta, 0.1, 0.001, 'domain.md §9 T7');
  add('Pendulum ζ, flexion amplitudes (T7)', p.zetaFlexion, 0.1, 0.001, 'linear oscillator: same ζ');
  add('Pendulum fd, full periods (T7), Hz', p.fdFullPeriodHz, 0.9, 0.01, 'domain.md §9 T7');
  // T10: nonlinear ODE fit.
  const adult = shankAnthropometrics(70, 0.43);
  const swing = simulatePendulum(
    { ...adult, stiffnessNmPerRad: 3, dampingNmsPerRad: 0.3, thetaKRad: 0 },
    80,
    0,
    fs,
    40 * fs,
  );
  const t10 = Float64Array.from([...new Float64Array(fs).fill(80), ...swing.subarray(1)]);
  const r10 = analyzePendulumDrop(t10, fs, detectDrops(derivative(t10, fs), fs)[0] ?? fs, {
    bodyMassKg: 70,
    shankLengthM: 0.43,
  });
  add('Pendulum RI (T10, K 3, B 0.3)', r10.ri, 1.799, 0.001, 'domain.md §9 T10 (Lin & Rymer 1991 model)');
  add('ODE fit K (T10), N·m/rad', r10.fit?.stiffness ?? NaN, 3, 0.06, 'domain.md §9 T10 (± 2 %)');
  add('ODE fit B (T10), N·m·s/rad', r10.fit?.damping ?? NaN, 0.3, 0.006, 'domain.md §9 T10 (± 2 %)');
  // T16: TSRT.
  const tsrt = fitTsrt([
    { dsrtDeg: 100, velocityDegS: 50 },
    { dsrtDeg: 95, velocityDegS: 100 },
    { dsrtDeg: 90, velocityDegS: 150 },
    { dsrtDeg: 85, velocityDegS: 200 },
  ]);
  add('TSRT (T16), °', tsrt?.tsrtDeg ?? NaN, 105, 0.001, 'domain.md §9 T16 (Calota, Feldman & Levin 2008)');
  return table(['quantity', 'Tonus', 'published / expected', 'tolerance', 'source', 'result'], rows);
}

/** The whole report as Markdown, formatted by the repository's Prettier settings (as `npm run check` wants). */
export async function buildValidationReport(): Promise<string> {
  const file = join(packageRoot(), 'docs', 'validation.md');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(await rawValidationReport(), { ...options, filepath: file });
}

async function rawValidationReport(): Promise<string> {
  const fs = await filterAndSpectrumTables();
  const on = await onsetTables();
  const tremor = await tremorTable();
  return [
    '# Validation report',
    '',
    'Generated by `npm run validate` (test/validation/); a unit test fails when this file differs from a fresh run.',
    'Do not edit by hand. Recordings: `fixtures/external/` (provenance and licences in its README).',
    `Reference software on this machine: ${scipyVersion()} (/usr/bin/python3); onset references (BioSPPy find_onsets, Hodges–Bui, Bonato double threshold): test/reference/emg_onsets.py.`,
    '',
    '## Indicators',
    '',
    DEFINITIONS(),
    '',
    '## EMG band-pass and RMS against scipy',
    '',
    'scipy `butter(4, band, output="sos")` + `sosfiltfilt` on the raw channel; Tonus `sosfiltfilt` of the same sections.',
    '',
    fs.filters,
    '',
    '## EMG median and mean frequency against scipy.signal.welch',
    '',
    fs.spectra,
    '',
    '## EMG onsets against BioSPPy find_onsets',
    '',
    'Reference: BioSPPy `emg()` + `find_onsets()` re-implemented with numpy/scipy, on the raw channel. A reference burst agrees when a detected burst overlaps it with onset within 20 ms and offset within 50 ms; at most 1 extra burst per channel.',
    `Done-when check, emg_1: ${ok(on.emg1Pass)}.`,
    '',
    on.perChannel,
    '',
    'All methods over every channel (why the session default is what it is):',
    '',
    on.methods,
    '',
    'Each Tonus detector against its own Python reference, burst by burst (same start and end sample):',
    '',
    on.ports,
    '',
    '**Input of each method.** `biosppy` gets the raw channel, as BioSPPy’s `emg()` gives `find_onsets` (its own 100 Hz zero-phase high-pass is the only filter); the other methods get the session’s 20–450 Hz band-passed channel (`sessionOnsetInput`, one rule for the session analysis and this report). Until session-analysis/1.1.0 the session gave `biosppy` the band-passed channel too (column “`biosppy` after the band-pass”): at 1 kHz that removes the 450–500 Hz content and so moves the whole-recording threshold a little, and envelope peaks lying at the threshold (bursts a few to about 30 ms long, or two bursts a few ms apart that then join) came and went, which failed 3 channels. The threshold was not tuned to any recording.',
    '',
    `**Why Hodges–Bui and Bonato agree so rarely.** Their ports give their Python references exactly (table above), so the disagreement is the methods, not the code: both set the threshold from a rest period (here the quietest 500 ms, because a whole recording has no marked rest; both papers assume a known rest before the movement), far below BioSPPy’s 1.2·mean + 2·SD of the whole recording. They therefore start earlier and end later (Hodges–Bui onsets on emg_1 relative to BioSPPy: ${on.emg1HodgesBuiOnsetMs} ms), join neighbouring bursts and also count small activity between bursts. Bonato’s parameters are the paper’s (false alarm 0.05, r₀ = 1 of m = 5 sample pairs, 30 ms); the \`double\` row is the domain spec’s envelope variant (60 % of 25 ms above mean + 3 SD), not Bonato’s test.`,
    '',
    '## Tremor peak against scipy.signal.welch',
    '',
    tremor,
    '',
    '## Published and specified values',
    '',
    publishedTable(),
    '',
  ].join('\n');
}
