import { sectionCount, type Sos } from './butterworth.js';

/**
 * Causal and zero-phase application of second-order sections, matching scipy.signal.sosfilt,
 * sosfilt_zi and sosfiltfilt (scipy 1.10 `_signaltools.py`): transposed direct form II per section,
 * float64 arithmetic, odd-extension padding with scipy's default pad length.
 */

/**
 * Steady-state section states for a unit step input (scipy sosfilt_zi), flat `[z0, z1]` per section.
 * Multiply by the first input value to start a filter without a transient.
 */
export function sosfiltZi(sos: Sos): Float64Array {
  const n = sectionCount(sos);
  const zi = new Float64Array(2 * n);
  let gain = 1;
  for (let s = 0; s < n; s++) {
    const o = 6 * s;
    const b0 = sos[o] ?? 0;
    const b1 = sos[o + 1] ?? 0;
    const b2 = sos[o + 2] ?? 0;
    const a1 = sos[o + 4] ?? 0;
    const a2 = sos[o + 5] ?? 0;
    const g = (b0 + b1 + b2) / (1 + a1 + a2);
    const z1 = b2 - a2 * g;
    zi[2 * s] = gain * (b1 - a1 * g + z1);
    zi[2 * s + 1] = gain * z1;
    gain *= g;
  }
  return zi;
}

/**
 * Runs x[from…to) (step +1, or −1 when `reverse`) through the sections into the same positions of `out`
 * (which may be `x` itself), updating `state` (flat [z0, z1] per section). Sections are applied one after
 * another per sample (a fused cascade), which keeps the data in cache.
 */
function run(
  sos: Sos,
  state: Float64Array,
  x: ArrayLike<number>,
  out: Float64Array,
  reverse = false,
  from = 0,
  to = x.length,
): void {
  const n = sectionCount(sos);
  if (n === 4) {
    run4(sos, state, x, out, reverse, from, to);
    return;
  }
  if (n === 1) {
    run1(sos, state, x, out, reverse, from, to);
    return;
  }
  const step = reverse ? -1 : 1;
  const start = reverse ? to - 1 : from;
  const count = to - from;
  for (let k = 0, i = start; k < count; k++, i += step) {
    let v = x[i] ?? 0;
    for (let s = 0; s < n; s++) {
      const o = 6 * s;
      const z0 = state[2 * s] ?? 0;
      const y = (sos[o] ?? 0) * v + z0;
      state[2 * s] = (sos[o + 1] ?? 0) * v - (sos[o + 4] ?? 0) * y + (state[2 * s + 1] ?? 0);
      state[2 * s + 1] = (sos[o + 2] ?? 0) * v - (sos[o + 5] ?? 0) * y;
      v = y;
    }
    out[i] = v;
  }
}

/** {@link run} for a single section, states in locals. */
function run1(
  sos: Sos,
  state: Float64Array,
  x: ArrayLike<number>,
  out: Float64Array,
  reverse: boolean,
  from: number,
  to: number,
): void {
  const b0 = sos[0] ?? 0;
  const b1 = sos[1] ?? 0;
  const b2 = sos[2] ?? 0;
  const a1 = sos[4] ?? 0;
  const a2 = sos[5] ?? 0;
  let s0 = state[0] ?? 0;
  let s1 = state[1] ?? 0;
  const step = reverse ? -1 : 1;
  const count = to - from;
  for (let k = 0, i = reverse ? to - 1 : from; k < count; k++, i += step) {
    const v = x[i] ?? 0;
    const y = b0 * v + s0;
    s0 = b1 * v - a1 * y + s1;
    s1 = b2 * v - a2 * y;
    out[i] = y;
  }
  state[0] = s0;
  state[1] = s1;
}

/** {@link run} unrolled for four sections (the 4th-order band-pass), states in locals. */
function run4(
  sos: Sos,
  state: Float64Array,
  x: ArrayLike<number>,
  out: Float64Array,
  reverse: boolean,
  from: number,
  to: number,
): void {
  const c = Array.from(sos);
  const [b00 = 0, b01 = 0, b02 = 0, , a01 = 0, a02 = 0, b10 = 0, b11 = 0, b12 = 0, , a11 = 0, a12 = 0] = c;
  const [b20 = 0, b21 = 0, b22 = 0, , a21 = 0, a22 = 0, b30 = 0, b31 = 0, b32 = 0, , a31 = 0, a32 = 0] =
    c.slice(12);
  let s00 = state[0] ?? 0;
  let s01 = state[1] ?? 0;
  let s10 = state[2] ?? 0;
  let s11 = state[3] ?? 0;
  let s20 = state[4] ?? 0;
  let s21 = state[5] ?? 0;
  let s30 = state[6] ?? 0;
  let s31 = state[7] ?? 0;
  const step = reverse ? -1 : 1;
  const count = to - from;
  for (let k = 0, i = reverse ? to - 1 : from; k < count; k++, i += step) {
    const v0 = x[i] ?? 0;
    const y0 = b00 * v0 + s00;
    s00 = b01 * v0 - a01 * y0 + s01;
    s01 = b02 * v0 - a02 * y0;
    const y1 = b10 * y0 + s10;
    s10 = b11 * y0 - a11 * y1 + s11;
    s11 = b12 * y0 - a12 * y1;
    const y2 = b20 * y1 + s20;
    s20 = b21 * y1 - a21 * y2 + s21;
    s21 = b22 * y1 - a22 * y2;
    const y3 = b30 * y2 + s30;
    s30 = b31 * y2 - a31 * y3 + s31;
    s31 = b32 * y2 - a32 * y3;
    out[i] = y3;
  }
  state[0] = s00;
  state[1] = s01;
  state[2] = s10;
  state[3] = s11;
  state[4] = s20;
  state[5] = s21;
  state[6] = s30;
  state[7] = s31;
}

/**
 * Causal filter (scipy sosfilt). `zi`, if given, is the initial state (flat, 2 per section) and is not
 * modified. Returns a new float64 array of the same length.
 */
export function sosfilt(sos: Sos, x: ArrayLike<number>, zi?: ArrayLike<number>): Float64Array {
  const state = new Float64Array(2 * sectionCount(sos));
  if (zi) state.set(Array.from(zi));
  const out = new Float64Array(x.length);
  run(sos, state, x, out);
  return out;
}

/** scipy's default sosfiltfilt pad length: 3·(2·sections + 1 − min(#b2 = 0, #a2 = 0)). */
export function defaultPadLength(sos: Sos): number {
  const n = sectionCount(sos);
  let b2Zero = 0;
  let a2Zero = 0;
  for (let s = 0; s < n; s++) {
    if (sos[6 * s + 2] === 0) b2Zero++;
    if (sos[6 * s + 5] === 0) a2Zero++;
  }
  return 3 * (2 * n + 1 - Math.min(b2Zero, a2Zero));
}

/**
 * Zero-phase forward-backward filter (scipy sosfiltfilt with padtype='odd'). The output has zero phase
 * and the squared magnitude response of `sos`. The result is a view into a padded work buffer.
 * @throws RangeError if `x` is not longer than the pad length (as scipy raises ValueError).
 */
export function sosfiltfilt(sos: Sos, x: ArrayLike<number>, padLength = defaultPadLength(sos)): Float64Array {
  const len = x.length;
  if (len <= padLength)
    throw new RangeError(
      `signal of ${len} samples is too short for zero-phase filtering (needs more than ${padLength})`,
    );
  const ext = new Float64Array(len + 2 * padLength);
  const first = x[0] ?? 0;
  const last = x[len - 1] ?? 0;
  for (let i = 0; i < padLength; i++) ext[i] = 2 * first - (x[padLength - i] ?? 0);
  for (let i = 0; i < len; i++) ext[padLength + i] = x[i] ?? 0;
  for (let i = 0; i < padLength; i++) ext[padLength + len + i] = 2 * last - (x[len - 2 - i] ?? 0);
  const zi = sosfiltZi(sos);
  const state = new Float64Array(zi.length);
  for (let i = 0; i < zi.length; i++) state[i] = (zi[i] ?? 0) * (ext[0] ?? 0);
  run(sos, state, ext, ext);
  // Backward pass in place, starting from the steady state for the last forward output.
  const tail = ext[ext.length - 1] ?? 0;
  for (let i = 0; i < zi.length; i++) state[i] = (zi[i] ?? 0) * tail;
  run(sos, state, ext, ext, true);
  return ext.subarray(padLength, padLength + len);
}

/**
 * Stateful causal filter for block-by-block (live) use: processing a signal in any split gives exactly the
 * same samples as {@link sosfilt} on the whole signal. Each channel needs its own instance.
 */
export class SosFilter {
  private readonly state: Float64Array;

  constructor(readonly sos: Sos) {
    this.state = new Float64Array(2 * sectionCount(sos));
  }

  /** Filters one block; returns a new array (or fills `out`, which must be at least as long as `x`). */
  process(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
    // Copy first so the kernels only ever see Float64Array input (keeps them monomorphic and fast).
    if (!(x instanceof Float64Array)) for (let i = 0; i < x.length; i++) out[i] = x[i] ?? 0;
    run(this.sos, this.state, x instanceof Float64Array ? x : out, out);
    return out;
  }

  /** Starts the next block from the steady state for a constant input `value` (avoids the start-up step). */
  primeWith(value: number): void {
    const zi = sosfiltZi(this.sos);
    for (let i = 0; i < zi.length; i++) this.state[i] = (zi[i] ?? 0) * value;
  }

  /** Forgets all history: the next block is filtered as if it were the start of the signal. */
  reset(): void {
    this.state.fill(0);
  }
}
