import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { analyzeSessionRecording } from '../../app/emg-analysis-pool.js';
import type { AnalysisOptions, ProtocolChoice } from '../../indicators/session-analysis.js';
import { readRecordingFile } from '../../io/read-recording.node.js';
import type { SessionAnalysis } from '../../shared/analysis.js';
import type { Recording } from '../../shared/recording.js';
import { CliError, emit, ExitCode } from '../output.js';
import { callApi, withApp } from './sessions.js';

interface AnalyzeOpts {
  json?: boolean;
  mains: string;
  protocol: string;
  bodyMassKg?: string;
  shankLengthM?: string;
}

const protocols: readonly ProtocolChoice[] = ['auto', 'stretch', 'pendulum', 'none'];

function numberOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
}

function printAnalysis(analysis: SessionAnalysis): void {
  const s = analysis.summary;
  console.log(`${s.source}: ${s.durationS.toFixed(1)} s, ${analysis.algorithmVersion}`);
  for (const e of s.emg)
    console.log(
      `EMG ${e.label.padEnd(24)} rms ${e.rmsUv !== null ? `${e.rmsUv.toFixed(1)} uV` : `${(e.rms ?? NaN).toFixed(3)} ${e.unit}`}` +
        `  median ${(e.medianFrequencyHz ?? NaN).toFixed(1)} Hz  mean ${(e.meanFrequencyHz ?? NaN).toFixed(1)} Hz  onsets ${e.onsets.length}` +
        (e.quality.length ? `  [${e.quality.join(', ')}]` : ''),
    );
  for (const m of s.imu)
    console.log(
      `IMU ${m.label.padEnd(24)} tremor ${m.tremorPeakHz !== null ? `${m.tremorPeakHz.toFixed(2)} Hz` : 'none'}`,
    );
  for (const [name, values] of Object.entries(s.protocols)) console.log(`${name}: ${JSON.stringify(values)}`);
}

/**
 * `tonus analyze FILE|SESSION [--json]`: the per-session analysis of a recording file (any format Tonus
 * reads) or of a stored session (which also keeps the result). Exit codes: 3 file not found, 4 unreadable or malformed input, 2 bad options.
 */
export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'analyse a recording file: EMG amplitude, spectrum and onsets, tremor, stretches, pendulum, clonus',
    )
    .argument(
      '<file|session>',
      'a recording file (BDF+/EDF+, OpenBCI, BrainFlow, CSV, BioSPPy) or a session id',
    )
    .option('--json', 'print JSON')
    .option('--mains <hz>', 'mains frequency for the line-noise test: 50 or 60', '50')
    .option('--protocol <name>', `protocol of the kinematics: ${protocols.join(', ')}`, 'auto')
    .option('--body-mass-kg <kg>', 'body mass, for pendulum K and B in N·m units')
    .option('--shank-length-m <m>', 'knee to lateral malleolus length, for pendulum K and B')
    .action(async (file: string, opts: AnalyzeOpts, cmd: Command) => {
      if (opts.mains !== '50' && opts.mains !== '60')
        throw new CliError(`analyze: --mains must be 50 or 60, got ${opts.mains}`, ExitCode.usage);
      if (!protocols.includes(opts.protocol as ProtocolChoice))
        throw new CliError(`analyze: --protocol must be one of ${protocols.join(', ')}`, ExitCode.usage);
      if (/^\d+$/.test(file) && !existsSync(file)) {
        await withApp(cmd, async (app) => {
          const stored = await callApi(app, 'analyzeSession', { sessionId: Number(file) });
          const analysis = stored as unknown as SessionAnalysis;
          emit(opts.json, analysis, () => printAnalysis(analysis));
        });
        return;
      }
      if (!existsSync(file)) throw new CliError(`analyze: no such file: ${file}`, ExitCode.notFound);
      let options: AnalysisOptions;
      try {
        const bodyMassKg = numberOption('--body-mass-kg', opts.bodyMassKg);
        const shankLengthM = numberOption('--shank-length-m', opts.shankLengthM);
        options = {
          mainsHz: opts.mains === '60' ? 60 : 50,
          protocol: opts.protocol as ProtocolChoice,
          ...(bodyMassKg !== undefined ? { bodyMassKg } : {}),
          ...(shankLengthM !== undefined ? { shankLengthM } : {}),
        };
      } catch (err) {
        throw new CliError(`analyze: ${(err as Error).message}`, ExitCode.usage);
      }
      let recording: Recording;
      try {
        recording = readRecordingFile(file);
      } catch (err) {
        throw new CliError(`analyze: ${(err as Error).message}`, ExitCode.badInput);
      }
      const analysis = await analyzeSessionRecording(recording, options);
      emit(opts.json, analysis, () => printAnalysis(analysis));
    });
}
