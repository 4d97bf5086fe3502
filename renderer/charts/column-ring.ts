import type { LiveStreamFrame } from '../../src/shared/live-frame.js';

/**
 * Ring buffer of display columns (min/max per pixel) for one stream. Holds the newest `capacity` columns
 * per channel; sample data lives here, never in React state.
 */
export class ColumnRing {
  readonly min: Float32Array;
  readonly max: Float32Array;
  /** Index (since stream start) one past the newest column held. */
  endColumn = 0;
  /** Index of the first column this ring received (it may join a stream that is already running). */
  startColumn = -1;
  lastSampleTimeMs = 0;

  constructor(
    readonly channelCount: number,
    readonly capacity: number,
  ) {
    this.min = new Float32Array(channelCount * capacity);
    this.max = new Float32Array(channelCount * capacity);
  }

  /** Number of columns currently held (at most `capacity`). */
  get size(): number {
    return this.startColumn < 0 ? 0 : Math.min(this.endColumn - this.startColumn, this.capacity);
  }

  push(frame: LiveStreamFrame): void {
    if (frame.firstColumn < this.endColumn - this.capacity || frame.channelCount !== this.channelCount)
      return;
    if (this.startColumn < 0) this.startColumn = frame.firstColumn;
    for (let k = 0; k < frame.columns; k++) {
      const slot = (frame.firstColumn + k) % this.capacity;
      for (let c = 0; c < this.channelCount; c++) {
        this.min[c * this.capacity + slot] = frame.min[c * frame.columns + k] as number;
        this.max[c * this.capacity + slot] = frame.max[c * frame.columns + k] as number;
      }
    }
    this.endColumn = Math.max(this.endColumn, frame.firstColumn + frame.columns);
    this.lastSampleTimeMs = frame.lastSampleTimeMs;
  }

  /** Calls `visit(age, min, max)` for each held column of `channel`, oldest first; age 0 is the newest. */
  forEach(channel: number, visit: (age: number, min: number, max: number) => void): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      const column = this.endColumn - n + i;
      const slot = column % this.capacity;
      visit(
        n - 1 - i,
        this.min[channel * this.capacity + slot] as number,
        this.max[channel * this.capacity + slot] as number,
      );
    }
  }

  clear(): void {
    this.endColumn = 0;
    this.startColumn = -1;
  }
}
