/**
 * A column of numbers that grows as a file is read, stored in a typed array (4 or 8 bytes a value, growing by
 * half when full), so parsing a large text file never holds its values as JS arrays or strings, and its
 * memory stays within 1.5 × the values it holds.
 */
export class GrowableColumn<T extends Float32Array | Float64Array> {
  private values: T;
  length = 0;

  constructor(private readonly make: (n: number) => T) {
    this.values = make(1024);
  }

  push(v: number): void {
    if (this.length === this.values.length) {
      const bigger = this.make(Math.ceil(this.values.length * 1.5));
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }

  at(i: number): number | undefined {
    return i >= 0 && i < this.length ? this.values[i] : undefined;
  }

  /** The values: a view of the first `length` (no copy, so no second peak of memory at the end of a read). */
  toArray(): T {
    return this.values.subarray(0, this.length) as T;
  }
}

export const float32Column = (): GrowableColumn<Float32Array> =>
  new GrowableColumn((n) => new Float32Array(n));
export const float64Column = (): GrowableColumn<Float64Array> =>
  new GrowableColumn((n) => new Float64Array(n));
