import { instantiateKernel, layOut, type KernelExports } from './kernel-instance.js';
import { WELCH_KERNEL_WASM } from './welch-kernel.wasm.js';

/** What assembly/welch-kernel.ts exports. */
interface WelchExports extends KernelExports {
  welchAccumulate(
    signal: number,
    starts: number,
    count: number,
    n: number,
    width: number,
    table: number,
    bitrev: number,
    out: number,
    acc: number,
  ): void;
}

/** Signal samples copied into the kernel per call (at least one segment): about 256 KB, cache-sized. */
const BLOCK_SAMPLES = 32768;

let instance: WelchExports | undefined;
/** The transform size whose tables are in the kernel's memory now (they stay there between calls). */
let loadedSize: number | undefined;

const tablesCache = new Map<number, { table: Float64Array; bitrev: Int32Array; width: number }>();

/**
 * fft.js's tables for a transform of size n, computed once per size (indutny/fft.js 4.0.4, MIT: the same
 * formulas, so the same values): the twiddles cos/−sin(π·i/n), the radix-4 bit-reversal pattern and the
 * initial width.
 */
function fftTables(n: number): { table: Float64Array; bitrev: Int32Array; width: number } {
  const cached = tablesCache.get(n);
  if (cached) return cached;
  const table = new Float64Array(2 * n);
  for (let i = 0; i < table.length; i += 2) {
    const angle = (Math.PI * i) / n;
    table[i] = Math.cos(angle);
    table[i + 1] = -Math.sin(angle);
  }
  let power = 0;
  for (let t = 1; n > t; t <<= 1) power++;
  const width = power % 2 === 0 ? power - 1 : power;
  const bitrev = new Int32Array(1 << width);
  for (let j = 0; j < bitrev.length; j++)
    for (let shift = 0; shift < width; shift += 2)
      bitrev[j] = (bitrev[j] ?? 0) | (((j >>> shift) & 3) << (width - shift - 2));
  const tables = { table, bitrev, width };
  tablesCache.set(n, tables);
  return tables;
}

/**
 * Adds to acc[k], k = 0…n/2, |Y_k|² of every segment `signal[s … s + n)`, s in `starts` (in that order), where Y
 * is the spectrum of the mean-removed, periodic-Hann-windowed segment: Welch's accumulation, for n a power of
 * two (≥ 2). Runs in a WebAssembly SIMD kernel (fft.js's real transform, two segments per f64x2 operation):
 * the sums are bit-identical to fft.js's `realTransform` followed by the scalar accumulation (tested).
 */
export function accumulateHannPower(
  signal: Float64Array | Float32Array,
  starts: ArrayLike<number>,
  n: number,
  acc: Float64Array,
): void {
  instance ??= instantiateKernel<WelchExports>(WELCH_KERNEL_WASM, 'Welch spectrum');
  const x = instance;
  const { table, bitrev, width } = fftTables(n);
  const block = Math.max(BLOCK_SAMPLES, n);
  const half = n >> 1;
  const [tableAt = 0, bitrevAt = 0, outAt = 0, accAt = 0, startsAt = 0, blockAt = 0] = layOut(x, [
    8 * table.length,
    4 * bitrev.length,
    32 * n,
    8 * (half + 1),
    4 * block,
    8 * block,
  ]);
  const memory = x.memory.buffer;
  // The layout depends on n alone, so tables written for this n are still in place.
  if (loadedSize !== n) {
    new Float64Array(memory, tableAt, table.length).set(table);
    new Int32Array(memory, bitrevAt, bitrev.length).set(bitrev);
    loadedSize = n;
  }
  const sums = new Float64Array(memory, accAt, half + 1);
  sums.set(acc.subarray(0, half + 1));
  const relative = new Int32Array(memory, startsAt, block);
  const samples = new Float64Array(memory, blockAt, block);
  for (let j = 0; j < starts.length;) {
    // The segments from j whose samples fit in one block together.
    const from = starts[j] ?? 0;
    let count = 0;
    while (j + count < starts.length && (starts[j + count] ?? 0) + n - from <= block) {
      relative[count] = (starts[j + count] ?? 0) - from;
      count++;
    }
    samples.set(signal.subarray(from, (starts[j + count - 1] ?? 0) + n));
    x.welchAccumulate(blockAt, startsAt, count, n, width, tableAt, bitrevAt, outAt, accAt);
    j += count;
  }
  acc.set(sums);
}
