import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { PatientFieldsSchema } from '../../shared/api/patient-api.js';
import { BodySideSchema } from '../../shared/api/session-api.js';
import type { BodySide, RecordingStatus } from '../../shared/api/session-api.js';
import { ensurePatient } from '../../storage/patients.node.js';
import { getSession } from '../../storage/sessions.node.js';
import { endReasonWords } from '../../shared/session-end.js';
import { CliError, emit, ExitCode } from '../output.js';
import { callApi, durationS, withApp } from './sessions.js';

interface RecordOptions {
  device: string;
  seconds: number;
  patient: string;
  protocol: string;
  muscle?: string;
  side?: BodySide;
  json?: boolean;
}

function positiveSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 3600)
    throw new InvalidArgumentError('Give a number of seconds between 0 and 86400.');
  return n;
}

/**
 * Resolves `duration` after `ms`, or `user` earlier on SIGINT/SIGTERM (the recording then ends normally).
 */
function waitOrSignal(ms: number): Promise<'duration' | 'user'> {
  return new Promise((resolve) => {
    const done = (why: 'duration' | 'user'): void => {
      clearTimeout(timer);
      process.off('SIGINT', byUser);
      process.off('SIGTERM', byUser);
      resolve(why);
    };
    const byUser = (): void => done('user');
    const timer = setTimeout(() => done('duration'), ms);
    process.once('SIGINT', byUser);
    process.once('SIGTERM', byUser);
  });
}

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description('record a session from a device into the data folder')
    .requiredOption('--device <spec>', 'synthetic, replay:FILE, serial:PATH or ble:ID')
    .requiredOption('--seconds <n>', 'how long to record', positiveSeconds)
    .requiredOption('--patient <code>', 'patient code (created on first use)')
    .requiredOption('--protocol <name>', 'protocol, e.g. rest, passive-stretch, pendulum')
    .option('--muscle <name>', 'muscle, e.g. gastrocnemius')
    .addOption(new Option('--side <side>', 'body side').choices(BodySideSchema.options))
    .option('--json', 'print the finished session as JSON')
    .action(async (opts: RecordOptions, cmd: Command) => {
      const code = PatientFieldsSchema.shape.code.safeParse(opts.patient);
      if (!code.success)
        throw new CliError(
          `Patient code "${opts.patient}": ${code.error.issues[0]?.message}`,
          ExitCode.badInput,
        );
      await withApp(cmd, async (app) => {
        let entry;
        try {
          entry = app.resolveDevice(opts.device);
        } catch (err) {
          throw new CliError(err instanceof Error ? err.message : String(err), ExitCode.badInput);
        }
        if (!entry)
          throw new CliError(
            `Unknown device "${opts.device}": use synthetic, replay:FILE[?speed=N|max], serial:PATH[?kind=…] or ble:ID?kind=….`,
            ExitCode.usage,
          );
        const patient = ensurePatient(app.db, code.data);
        const session = await callApi(app, 'startRecording', {
          patientId: patient.id,
          protocol: opts.protocol,
          deviceId: entry.descriptor.id,
          ...(opts.muscle === undefined ? {} : { muscle: opts.muscle }),
          ...(opts.side === undefined ? {} : { side: opts.side }),
        });
        process.stderr.write(
          `Recording session ${session.id} from ${session.deviceName} for ${opts.seconds} s ` +
            `(patient ${patient.code}, protocol ${opts.protocol}). Ctrl+C stops early.\n`,
        );
        const bar = process.stderr.isTTY
          ? new SingleBar(
              {
                format: ' {bar} {value}/{total} s | {samples} samples | {dropped} dropped',
                hideCursor: true,
              },
              Presets.shades_classic,
            )
          : undefined;
        bar?.start(Math.round(opts.seconds), 0, { samples: 0, dropped: 0 });
        const off = app.events.on('recordingStatus', (s: RecordingStatus) =>
          bar?.update(Math.min(Math.round(opts.seconds), Math.floor(s.elapsedS)), {
            samples: s.samples,
            dropped: s.droppedSamples,
          }),
        );
        let reason: 'duration' | 'user';
        try {
          reason = await waitOrSignal(opts.seconds * 1000);
        } finally {
          off();
          bar?.stop();
        }
        const ended = getSession(app.db, session.id);
        if (ended?.status === 'recording') await callApi(app, 'stopRecording', { reason });
        const detail = await callApi(app, 'getSession', { sessionId: session.id });
        emit(opts.json, detail, () => {
          const d = durationS(detail);
          const stored = Object.entries(detail.storedSamples)
            .map(([id, n]) => `${id} ${n}`)
            .join(', ');
          console.log(
            `Session ${detail.id} ${detail.status}: ${d === null ? '-' : d.toFixed(1)} s, samples ${stored}, ` +
              `${detail.droppedSamples} dropped in ${detail.gapCount} gaps.`,
          );
        });
        const storedTotal = Object.values(detail.storedSamples).reduce((n, c) => n + c, 0);
        if (storedTotal === 0 || detail.endReason === 'device-lost')
          throw new CliError(
            `Session ${detail.id} ${detail.status} (${endReasonWords(detail.endReason)}): ${
              detail.endDetail ?? 'nothing was stored.'
            }`,
            ExitCode.device,
          );
      });
    });
}
