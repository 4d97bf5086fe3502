/**
 * BrainFlow board descriptors as data: which row of a BrainFlow data table (and so which column of a
 * BrainFlow CSV) holds what. Copied from BrainFlow's `src/board_controller/brainflow_boards.cpp` (default
 * preset); rows are 0-based. Units follow BrainFlow: EXG in µV, accel in g.
 */
export interface BrainFlowBoard {
  id: number;
  name: string;
  sampleRateHz: number;
  numRows: number;
  packageNumRow: number;
  timestampRow: number;
  markerRow: number;
  exgRows: readonly number[];
  accelRows: readonly number[];
  gyroRows: readonly number[];
  /** EXG full scale, µV (for file headers). */
  exgRangeUv: number;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const brainFlowBoards: readonly BrainFlowBoard[] = [
  {
    id: -1,
    name: 'Synthetic',
    sampleRateHz: 250,
    numRows: 32,
    packageNumRow: 0,
    timestampRow: 30,
    markerRow: 31,
    exgRows: range(1, 16),
    accelRows: [17, 18, 19],
    gyroRows: [20, 21, 22],
    exgRangeUv: 187500,
  },
  {
    id: 0,
    name: 'Cyton',
    sampleRateHz: 250,
    numRows: 24,
    packageNumRow: 0,
    timestampRow: 22,
    markerRow: 23,
    exgRows: range(1, 8),
    accelRows: [9, 10, 11],
    gyroRows: [],
    exgRangeUv: 187500.02,
  },
  {
    id: 1,
    name: 'Ganglion',
    sampleRateHz: 200,
    numRows: 15,
    packageNumRow: 0,
    timestampRow: 13,
    markerRow: 14,
    exgRows: range(1, 4),
    accelRows: [5, 6, 7],
    gyroRows: [],
    exgRangeUv: 15686,
  },
  {
    id: 2,
    name: 'CytonDaisy',
    sampleRateHz: 125,
    numRows: 32,
    packageNumRow: 0,
    timestampRow: 30,
    markerRow: 31,
    exgRows: range(1, 16),
    accelRows: [17, 18, 19],
    gyroRows: [],
    exgRangeUv: 187500.02,
  },
  {
    id: 4,
    name: 'GanglionWifi',
    sampleRateHz: 1600,
    numRows: 25,
    packageNumRow: 0,
    timestampRow: 23,
    markerRow: 24,
    exgRows: range(1, 4),
    accelRows: [5, 6, 7],
    gyroRows: [],
    exgRangeUv: 15686,
  },
  {
    id: 5,
    name: 'CytonWifi',
    sampleRateHz: 1000,
    numRows: 24,
    packageNumRow: 0,
    timestampRow: 22,
    markerRow: 23,
    exgRows: range(1, 8),
    accelRows: [9, 10, 11],
    gyroRows: [],
    exgRangeUv: 187500.02,
  },
  {
    id: 6,
    name: 'CytonDaisyWifi',
    sampleRateHz: 1000,
    numRows: 32,
    packageNumRow: 0,
    timestampRow: 30,
    markerRow: 31,
    exgRows: range(1, 16),
    accelRows: [17, 18, 19],
    gyroRows: [],
    exgRangeUv: 187500.02,
  },
];

export const brainFlowBoard = (id: number): BrainFlowBoard | undefined =>
  brainFlowBoards.find((b) => b.id === id);
