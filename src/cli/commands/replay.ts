import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { PlaybackSpeed } from '../../devices/drivers/playback.js';
import { MAX_SPEED, MIN_SPEED, PlaybackDriver } from '../../devices/drivers/playback.js';
import { readRecordingFile } from '../../io/read-recording.node.js';
import { RecordingFormatError } from '../../io/recording-format-error.js';
import type { RecordingFormat } from '../../shared/recording.js';
import type { SampleBlock } from '../../shared/samples.js';
import { CliError, emit, ExitCode } from '../output.js';

interface ReplayOptions {
  speed: PlaybackSpeed;
  loop?: boolean;
  seconds?: number;
  format?: RecordingFormat;
  boardId?: number;
  json?: boolean;
}

/** What `tonus replay --json` prints. */
export interface ReplaySummary {
  file: string;
  format: RecordingFormat;
  durationS: number;
  speed: PlaybackSpeed;
  playedS: number;
  elapsedS: number;
  annotations: number;
  streams: {
    id: string;
    sampleRateHz: number;
    channels: number;
    samples: number;
    blocks: number;
    firstTimestampMs: number | null;
    lastTimestampMs: number | null;
  }[];
}

const parseSpeed = (value: string): PlaybackSpeed => {
  if (value === 'max') return 'max';
  const n = Number(value.replace(/x$/, ''));
  if (!(n >= MIN_SPEED && n <= MAX_SPEED))
    throw new InvalidArgumentError(`speed must be ${MIN_SPEED} to ${MAX_SPEED} or "max"`);
  return n;
};

const parsePositive = (value: string): number => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number');
  return n;
};

/**
 * `tonus replay FILE`: plays a recording file through the replay device and reports what each stream
 * delivered. Exit codes: 0 played, 4 the file was refused (message names file, problem and place).
 */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('play a recording file (BDF/EDF, OpenBCI .txt, BrainFlow CSV) through the replay device')
    .argument('<file>', 'recording file')
    .option(
      '--speed <n>',
      `playback speed, ${MIN_SPEED} to ${MAX_SPEED} times real time, or "max"`,
      parseSpeed,
      1,
    )
    .option('--loop', 'start again at the end (stop with --seconds or Ctrl+C)')
    .option('--seconds <s>', 'stop after this much recording time', parsePositive)
    .option('--format <format>', 'read as this format instead of detecting it')
    .option('--board-id <id>', 'BrainFlow board id for BrainFlow CSV files', (v) => Number.parseInt(v, 10))
    .option('--json', 'print JSON')
    .action(async (file: string, opts: ReplayOptions) => {
      let summary: ReplaySummary;
      try {
        summary = await replayFile(file, opts);
      } catch (err) {
        if (!(err instanceof RecordingFormatError)) throw err;
        throw new CliError(err.message, ExitCode.badInput);
      }
      emit(opts.json, summary, () => {
        console.log(
          `${summary.file} (${summary.format}, ${summary.durationS.toFixed(2)} s): played ${summary.playedS.toFixed(2)} s at ${summary.speed === 'max' ? 'max speed' : `${summary.speed}x`} in ${summary.elapsedS.toFixed(2)} s`,
        );
        for (const s of summary.streams)
          console.log(
            `  ${s.id.padEnd(10)} ${String(s.channels).padStart(3)} ch @ ${s.sampleRateHz} Hz  ${s.samples} samples in ${s.blocks} blocks`,
          );
        console.log(`  ${summary.annotations} annotations`);
      });
    });
}

/** Plays `file` and counts what each stream delivered; throws {@link RecordingFormatError} for bad files. */
export async function replayFile(file: string, opts: ReplayOptions): Promise<ReplaySummary> {
  const recording = readRecordingFile(file, {
    ...(opts.format !== undefined ? { format: opts.format } : {}),
    ...(opts.boardId !== undefined ? { boardId: opts.boardId } : {}),
  });
  const driver = new PlaybackDriver(recording, { speed: opts.speed, loop: opts.loop ?? false });
  const counts = new Map(
    recording.streams.map((s) => [
      s.descriptor.id,
      { samples: 0, blocks: 0, first: null as number | null, last: null as number | null },
    ]),
  );
  const limitS = opts.seconds ?? (opts.loop ? Infinity : driver.durationS);
  const totalS = Number.isFinite(limitS)
    ? Math.min(limitS, opts.loop ? limitS : driver.durationS)
    : driver.durationS;
  const bar = opts.json
    ? undefined
    : new SingleBar({ format: 'replay [{bar}] {percentage}% | {value}/{total} s', clearOnComplete: true });
  bar?.start(Number(totalS.toFixed(1)), 0);
  let playedS = 0;
  const started = performance.now();
  let stopAt: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (stopAt = resolve));
  // Stop at the first step that starts at or after the limit, so every stream covers the same time.
  let reachedLimit = false;
  const sink = (block: SampleBlock): void => {
    if (reachedLimit) {
      void driver.stop();
      stopAt();
      return;
    }
    const c = counts.get(block.streamId);
    if (!c) return;
    const n = block.timestampsMs.length;
    c.samples += n;
    c.blocks++;
    c.first ??= block.timestampsMs[0] ?? null;
    c.last = block.timestampsMs[n - 1] ?? c.last;
    playedS = driver.pass * driver.durationS + driver.positionS;
    bar?.update(Number(Math.min(playedS, totalS).toFixed(1)));
    if (playedS >= limitS && block.streamId === recording.streams.at(-1)?.descriptor.id) reachedLimit = true;
  };
  const onInterrupt = (): void => stopAt();
  process.once('SIGINT', onInterrupt);
  try {
    await driver.connect();
    await driver.start(sink);
    await Promise.race([done, driver.ended]);
    await driver.stop();
  } finally {
    process.off('SIGINT', onInterrupt);
    bar?.stop();
  }
  return {
    file,
    format: recording.format,
    durationS: driver.durationS,
    speed: opts.speed,
    playedS: Math.min(playedS, limitS),
    elapsedS: (performance.now() - started) / 1000,
    annotations: recording.annotations.length,
    streams: recording.streams.map((s) => {
      const c = counts.get(s.descriptor.id);
      return {
        id: s.descriptor.id,
        sampleRateHz: s.descriptor.sampleRateHz,
        channels: s.descriptor.channels.length,
        samples: c?.samples ?? 0,
        blocks: c?.blocks ?? 0,
        firstTimestampMs: c?.first ?? null,
        lastTimestampMs: c?.last ?? null,
      };
    }),
  };
}
