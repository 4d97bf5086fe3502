/**
 * BrainFlow CSV (`DataFilter.write_file`, `file://` streamers).
 *
 * Source: BrainFlow docs and `src/data_handler/data_handler.cpp` (`write_file`); spec/formats.md §2(c).
 * ```
 * 0.000000\t-1234.567890\t...\t1557936889.064000\t0.000000\n     one row per sample, no header,
 * 1.000000\t-1230.000000\t...\t1557936889.068000\t0.000000\n     tab-separated %lf values
 * ```
 * Columns are the board's data rows, so reading needs the board id ({@link brainFlowBoards}): EXG in µV,
 * accel in g, the timestamp row in Unix seconds, the marker row (0 = none), the package-number row as a
 * wrapping counter for dropped samples.
 */
import type { Annotation, RecordedStream, Recording } from '../../shared/recording.js';
import type { ChannelDescriptor } from '../../shared/samples.js';
import { RecordingFormatError } from '../recording-format-error.js';
import type { BrainFlowBoard } from './brainflow-boards.js';
import { brainFlowBoard, brainFlowBoards } from './brainflow-boards.js';
import { checkedTimeline } from './packet-counter.js';

/** True when the first line is tab-separated numbers (the only shape a BrainFlow CSV has). */
export function looksLikeBrainFlowCsv(text: string): boolean {
  const line = text.slice(0, 4096).split(/\r?\n/)[0] ?? '';
  const cells = line.split('\t');
  return cells.length >= 4 && cells.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
}

/** Mean sample rate implied by the timestamp column (Unix s) of the whole file; NaN when it cannot tell. */
function timestampRate(lines: readonly string[], row: number): number {
  const rows = lines.filter((l) => l.trim() !== '');
  if (rows.length < 2) return Number.NaN;
  const at = (line: string | undefined): number => Number((line ?? '').split('\t')[row]);
  return (rows.length - 1) / (at(rows[rows.length - 1]) - at(rows[0]));
}

/**
 * Parses a BrainFlow CSV. Without `boardId` the board is inferred from the column count, and among boards
 * with the same count from the sample rate its timestamps imply; when that leaves no single board the
 * error asks for the id. Throws {@link RecordingFormatError}.
 */
export function parseBrainFlowCsv(text: string, source: string, boardId?: number): Recording {
  const lines = text.split(/\r?\n/);
  const fail = (problem: string, line: number): never => {
    throw new RecordingFormatError(source, problem, { line });
  };
  const columns = (lines[0] ?? '').split('\t').length;
  let board: BrainFlowBoard | undefined;
  if (boardId !== undefined) {
    board = brainFlowBoard(boardId);
    if (!board)
      fail(
        `unknown BrainFlow board id ${boardId} (known: ${brainFlowBoards.map((b) => b.id).join(', ')})`,
        1,
      );
  } else {
    let candidates = brainFlowBoards.filter((b) => b.numRows === columns);
    if (candidates.length > 1) {
      const rateHz = timestampRate(lines, candidates[0]?.timestampRow ?? 0);
      candidates = candidates.filter((c) => Math.abs(rateHz / c.sampleRateHz - 1) < 0.25);
    }
    if (candidates.length !== 1)
      fail(
        `cannot tell the BrainFlow board from ${columns} columns (${candidates.map((b) => `${b.name} ${b.id}`).join(', ') || 'no known board'}); give the board id`,
        1,
      );
    board = candidates[0];
  }
  const b = board as BrainFlowBoard;
  const rows: Float64Array[] = [];
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] ?? '';
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    if (cells.length !== b.numRows)
      fail(
        `expected ${b.numRows} tab-separated values for board ${b.name} (${b.id}), found ${cells.length}`,
        l + 1,
      );
    const row = new Float64Array(b.numRows);
    for (let k = 0; k < cells.length; k++) {
      const cell = (cells[k] ?? '').trim();
      const v = Number(cell);
      if (cell === '' || !Number.isFinite(v)) fail(`column ${k + 1} holds "${cell}", not a number`, l + 1);
      row[k] = v;
    }
    rows.push(row);
  }
  if (rows.length === 0) fail('no samples', 1);
  const n = rows.length;
  const take = (k: number): Float32Array => {
    const out = new Float32Array(n);
    for (let r = 0; r < n; r++) out[r] = (rows[r] as Float64Array)[k] as number;
    return out;
  };
  const startTimeMs = Math.round(((rows[0] as Float64Array)[b.timestampRow] as number) * 1000);
  const timeline = checkedTimeline(
    rows.map((r) => r[b.packageNumRow] as number),
    { timesS: rows.map((r) => r[b.timestampRow] as number), sampleRateHz: b.sampleRateHz },
  );
  const timestampsMs =
    timeline.droppedSamples > 0
      ? Float64Array.from(timeline.positions, (p) => startTimeMs + (p * 1000) / b.sampleRateHz)
      : undefined;
  const stream = (
    id: string,
    label: string,
    rowsOf: readonly number[],
    channel: (i: number) => ChannelDescriptor,
  ): RecordedStream => {
    const s: RecordedStream = {
      descriptor: { id, label, sampleRateHz: b.sampleRateHz, channels: rowsOf.map((_, i) => channel(i)) },
      data: rowsOf.map(take),
    };
    if (timestampsMs) s.timestampsMs = timestampsMs;
    return s;
  };
  const axes = ['X', 'Y', 'Z'];
  const streams: RecordedStream[] = [
    stream('exg', 'EXG', b.exgRows, (i) => ({
      id: `exg${i + 1}`,
      label: `EXG ${i + 1}`,
      kind: 'emg',
      unit: 'uV',
      rangeMin: -b.exgRangeUv,
      rangeMax: b.exgRangeUv,
    })),
  ];
  if (b.accelRows.length > 0)
    streams.push(
      stream('accel', 'Accelerometer', b.accelRows, (i) => ({
        id: `acc${axes[i]}`,
        label: `Accel ${axes[i]}`,
        kind: 'accel',
        unit: 'g',
        rangeMin: -4,
        rangeMax: 4,
      })),
    );
  if (b.gyroRows.length > 0)
    streams.push(
      stream('gyro', 'Gyroscope', b.gyroRows, (i) => ({
        id: `gyro${axes[i]}`,
        label: `Gyro ${axes[i]}`,
        kind: 'gyro',
        unit: 'deg/s',
        rangeMin: -2000,
        rangeMax: 2000,
      })),
    );
  const annotations: Annotation[] = [];
  rows.forEach((r, k) => {
    const v = r[b.markerRow] as number;
    if (v !== 0)
      annotations.push({ onsetS: (timeline.positions[k] as number) / b.sampleRateHz, text: `Marker ${v}` });
  });
  const meta: Record<string, string> = {
    board: b.name,
    boardId: String(b.id),
    droppedSamples: String(timeline.droppedSamples),
  };
  if (timeline.clockDisagreement !== undefined) {
    meta.clockDisagreement = timeline.clockDisagreement;
    annotations.unshift({ onsetS: 0, text: `Clock: ${timeline.clockDisagreement}` });
  }
  return { format: 'brainflow-csv', source, startTimeMs, streams, annotations, meta };
}
