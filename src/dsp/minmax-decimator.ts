/**
 * Streaming min/max decimation for display: folds every `samplesPerColumn` consecutive samples of each
 * channel into one column holding their minimum and maximum, so a chart draws one vertical line per pixel
 * and no peak is lost. `samplesPerColumn` may be fractional; column k covers samples
 * [floor(k·spc), floor((k+1)·spc)). State carries across pushes, so any block split gives the same columns.
 */
export class MinMaxDecimator {
  private column = 0;
  private sampleIndex = 0;
  private nextBoundary: number;
  private readonly curMin: Float32Array;
  private readonly curMax: Float32Array;
  private pendingMin: number[][];
  private pendingMax: number[][];

  constructor(
    readonly channelCount: number,
    readonly samplesPerColumn: number,
  ) {
    if (!(samplesPerColumn > 0)) throw new RangeError('samplesPerColumn must be positive');
    this.nextBoundary = Math.max(1, Math.floor(samplesPerColumn));
    this.curMin = new Float32Array(channelCount).fill(Infinity);
    this.curMax = new Float32Array(channelCount).fill(-Infinity);
    this.pendingMin = Array.from({ length: channelCount }, () => []);
    this.pendingMax = Array.from({ length: channelCount }, () => []);
  }

  /** Index of the next column that {@link take} will return first. */
  get firstPendingColumn(): number {
    return this.column - (this.pendingMin[0]?.length ?? 0);
  }

  /** Folds a channel-major block of equal-length channel arrays into the pending columns. */
  push(data: readonly Float32Array[]): void {
    const n = data[0]?.length ?? 0;
    let i = 0;
    while (i < n) {
      const end = Math.min(n, i + (this.nextBoundary - this.sampleIndex));
      for (let c = 0; c < this.channelCount; c++) {
        const ch = data[c] as Float32Array;
        let lo = this.curMin[c] as number;
        let hi = this.curMax[c] as number;
        for (let k = i; k < end; k++) {
          const v = ch[k] as number;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        this.curMin[c] = lo;
        this.curMax[c] = hi;
      }
      this.sampleIndex += end - i;
      i = end;
      if (this.sampleIndex === this.nextBoundary) this.closeColumn();
    }
  }

  private closeColumn(): void {
    for (let c = 0; c < this.channelCount; c++) {
      (this.pendingMin[c] as number[]).push(this.curMin[c] as number);
      (this.pendingMax[c] as number[]).push(this.curMax[c] as number);
    }
    this.curMin.fill(Infinity);
    this.curMax.fill(-Infinity);
    this.column++;
    this.nextBoundary = Math.floor((this.column + 1) * this.samplesPerColumn);
    if (this.nextBoundary <= this.sampleIndex) this.nextBoundary = this.sampleIndex + 1;
  }

  /** Returns the completed columns since the last call, channel-major, and forgets them. */
  take(): { firstColumn: number; columns: number; min: Float32Array; max: Float32Array } {
    const columns = this.pendingMin[0]?.length ?? 0;
    const firstColumn = this.column - columns;
    const min = new Float32Array(columns * this.channelCount);
    const max = new Float32Array(columns * this.channelCount);
    for (let c = 0; c < this.channelCount; c++) {
      min.set(this.pendingMin[c] as number[], c * columns);
      max.set(this.pendingMax[c] as number[], c * columns);
    }
    this.pendingMin = Array.from({ length: this.channelCount }, () => []);
    this.pendingMax = Array.from({ length: this.channelCount }, () => []);
    return { firstColumn, columns, min, max };
  }

  /** Forgets all state; the next sample starts column 0. */
  reset(): void {
    this.column = 0;
    this.sampleIndex = 0;
    this.nextBoundary = Math.max(1, Math.floor(this.samplesPerColumn));
    this.curMin.fill(Infinity);
    this.curMax.fill(-Infinity);
    this.take();
  }
}
