import { sectionCount, type Sos } from './butterworth.js';

/**
 * Causal and zero-phase application of second-order sections, matching scipy.signal.sosfilt,
 * sosfilt_zi and sosfiltfilt (scipy 1.10 `_signaltools.py`): transposed direct form II states per section,
 * float64 arithmetic, odd-extension padding with scipy's default pad length. The update is arranged for a
 * short feedback path (see {@link SosKernel}), so samples agree with scipy to rounding (≈ 1e-14), not bit
 * for bit.
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
 * The sections rewritten for the kernels, 5 per section: [b0, k1 = b1 − a1·b0, k2 = b2 − a2·b0, a1, a2].
 * Substituting y = b0·v + z0 into the state updates gives the same states as transposed direct form II
 * (so scipy's zi still applies) while the feedback path per sample shrinks to one multiply and one add:
 *   y = b0·v + z0,   z0' = (k1·v + z1) − a1·z0,   z1' = k2·v − a2·z0.
 * Results differ from the textbook order only by rounding (≈ 1e-14 relative).
 */
type SosKernel = Float64Array;

/** Kernel coefficients of `sos` (see {@link SosKernel}). */
function sosKernel(sos: Sos): SosKernel {
  const n = sectionCount(sos);
  const k = new Float64Array(5 * n);
  for (let s = 0; s < n; s++) {
    const b0 = sos[6 * s] ?? 0;
    const a1 = sos[6 * s + 4] ?? 0;
    const a2 = sos[6 * s + 5] ?? 0;
    k[5 * s] = b0;
    k[5 * s + 1] = (sos[6 * s + 1] ?? 0) - a1 * b0;
    k[5 * s + 2] = (sos[6 * s + 2] ?? 0) - a2 * b0;
    k[5 * s + 3] = a1;
    k[5 * s + 4] = a2;
  }
  return k;
}

/**
 * Runs `buf`[from…to) in place (step +1, or −1 when `reverse`) through all sections, updating `state`
 * (flat [z0, z1] per section). Sections go through the fused 4/2/1-section kernels in groups, whole
 * range per group, so each kernel keeps its states and coefficients in registers.
 */
function run(
  kernel: SosKernel,
  state: Float64Array,
  buf: Float64Array,
  reverse = false,
  from = 0,
  to = buf.length,
): void {
  const n = kernel.length / 5;
  let s = 0;
  for (; s + 4 <= n; s += 4) run4(kernel, s, state, buf, reverse, from, to);
  if (s + 2 <= n) {
    run2(kernel, s, state, buf, reverse, from, to);
    s += 2;
  }
  if (s < n) run1(kernel, s, state, buf, reverse, from, to);
}

/** Ranges at least this long go through the two-stream single-section kernel. */
const SPLIT_MIN_SAMPLES = 2048;

/**
 * {@link run} for section `s` alone. One section is bound by the latency of its feedback path, so long
 * ranges are cut in two halves filtered side by side in one loop: the second half starts from a zero
 * state, and afterwards the response of the true state at the cut (the first half's final state) to
 * zero input is added until it has decayed below 1e-18 of its start. By linearity this equals serial
 * filtering up to rounding.
 */
function run1(
  k: SosKernel,
  s: number,
  state: Float64Array,
  buf: Float64Array,
  reverse: boolean,
  from: number,
  to: number,
): void {
  const c = 5 * s;
  const b0 = k[c] ?? 0;
  const k1 = k[c + 1] ?? 0;
  const k2 = k[c + 2] ?? 0;
  const a1 = k[c + 3] ?? 0;
  const a2 = k[c + 4] ?? 0;
  let z0 = state[2 * s] ?? 0;
  let z1 = state[2 * s + 1] ?? 0;
  const step = reverse ? -1 : 1;
  const count = to - from;
  const first = reverse ? to - 1 : from;
  if (count < SPLIT_MIN_SAMPLES) {
    for (let j = 0, i = first; j < count; j++, i += step) {
      const v = buf[i] ?? 0;
      const t = z0;
      buf[i] = b0 * v + t;
      z0 = k1 * v + z1 - a1 * t;
      z1 = k2 * v - a2 * t;
    }
    state[2 * s] = z0;
    state[2 * s + 1] = z1;
    return;
  }
  const half = count >> 1;
  const cut = first + step * half;
  const offset = cut - first;
  let w0 = 0;
  let w1 = 0;
  for (let j = 0, i = first; j < half; j++, i += step) {
    const v = buf[i] ?? 0;
    const t = z0;
    buf[i] = b0 * v + t;
    z0 = k1 * v + z1 - a1 * t;
    z1 = k2 * v - a2 * t;
    const u = buf[i + offset] ?? 0;
    const r = w0;
    buf[i + offset] = b0 * u + r;
    w0 = k1 * u + w1 - a1 * r;
    w1 = k2 * u - a2 * r;
  }
  for (let j = 2 * half, i = first + step * j; j < count; j++, i += step) {
    const u = buf[i] ?? 0;
    const r = w0;
    buf[i] = b0 * u + r;
    w0 = k1 * u + w1 - a1 * r;
    w1 = k2 * u - a2 * r;
  }
  // Zero-input response of the state at the cut, added to the second half.
  const limit = 1e-18 * (Math.abs(z0) + Math.abs(z1));
  for (let j = half, i = cut; j < count; j++, i += step) {
    if (Math.abs(z0) + Math.abs(z1) <= limit) {
      z0 = 0;
      z1 = 0;
      break;
    }
    const t = z0;
    buf[i] = (buf[i] ?? 0) + t;
    z0 = z1 - a1 * t;
    z1 = -a2 * t;
  }
  state[2 * s] = w0 + z0;
  state[2 * s + 1] = w1 + z1;
}

/** {@link run} for sections s and s + 1. */
function run2(
  k: SosKernel,
  s: number,
  state: Float64Array,
  buf: Float64Array,
  reverse: boolean,
  from: number,
  to: number,
): void {
  const c = 5 * s;
  const b00 = k[c] ?? 0;
  const k01 = k[c + 1] ?? 0;
  const k02 = k[c + 2] ?? 0;
  const a01 = k[c + 3] ?? 0;
  const a02 = k[c + 4] ?? 0;
  const b10 = k[c + 5] ?? 0;
  const k11 = k[c + 6] ?? 0;
  const k12 = k[c + 7] ?? 0;
  const a11 = k[c + 8] ?? 0;
  const a12 = k[c + 9] ?? 0;
  const z = 2 * s;
  let z00 = state[z] ?? 0;
  let z01 = state[z + 1] ?? 0;
  let z10 = state[z + 2] ?? 0;
  let z11 = state[z + 3] ?? 0;
  const step = reverse ? -1 : 1;
  const count = to - from;
  for (let j = 0, i = reverse ? to - 1 : from; j < count; j++, i += step) {
    const v = buf[i] ?? 0;
    let t = z00;
    const y0 = b00 * v + t;
    z00 = k01 * v + z01 - a01 * t;
    z01 = k02 * v - a02 * t;
    t = z10;
    buf[i] = b10 * y0 + t;
    z10 = k11 * y0 + z11 - a11 * t;
    z11 = k12 * y0 - a12 * t;
  }
  state[z] = z00;
  state[z + 1] = z01;
  state[z + 2] = z10;
  state[z + 3] = z11;
}

/** {@link run} for sections s … s + 3 (a whole 4th-order band-pass). */
function run4(
  k: SosKernel,
  s: number,
  state: Float64Array,
  buf: Float64Array,
  reverse: boolean,
  from: number,
  to: number,
): void {
  const c = 5 * s;
  const b00 = k[c] ?? 0;
  const k01 = k[c + 1] ?? 0;
  const k02 = k[c + 2] ?? 0;
  const a01 = k[c + 3] ?? 0;
  const a02 = k[c + 4] ?? 0;
  const b10 = k[c + 5] ?? 0;
  const k11 = k[c + 6] ?? 0;
  const k12 = k[c + 7] ?? 0;
  const a11 = k[c + 8] ?? 0;
  const a12 = k[c + 9] ?? 0;
  const b20 = k[c + 10] ?? 0;
  const k21 = k[c + 11] ?? 0;
  const k22 = k[c + 12] ?? 0;
  const a21 = k[c + 13] ?? 0;
  const a22 = k[c + 14] ?? 0;
  const b30 = k[c + 15] ?? 0;
  const k31 = k[c + 16] ?? 0;
  const k32 = k[c + 17] ?? 0;
  const a31 = k[c + 18] ?? 0;
  const a32 = k[c + 19] ?? 0;
  const z = 2 * s;
  let z00 = state[z] ?? 0;
  let z01 = state[z + 1] ?? 0;
  let z10 = state[z + 2] ?? 0;
  let z11 = state[z + 3] ?? 0;
  let z20 = state[z + 4] ?? 0;
  let z21 = state[z + 5] ?? 0;
  let z30 = state[z + 6] ?? 0;
  let z31 = state[z + 7] ?? 0;
  const step = reverse ? -1 : 1;
  const count = to - from;
  for (let j = 0, i = reverse ? to - 1 : from; j < count; j++, i += step) {
    const v = buf[i] ?? 0;
    let t = z00;
    const y0 = b00 * v + t;
    z00 = k01 * v + z01 - a01 * t;
    z01 = k02 * v - a02 * t;
    t = z10;
    const y1 = b10 * y0 + t;
    z10 = k11 * y0 + z11 - a11 * t;
    z11 = k12 * y0 - a12 * t;
    t = z20;
    const y2 = b20 * y1 + t;
    z20 = k21 * y1 + z21 - a21 * t;
    z21 = k22 * y1 - a22 * t;
    t = z30;
    buf[i] = b30 * y2 + t;
    z30 = k31 * y2 + z31 - a31 * t;
    z31 = k32 * y2 - a32 * t;
  }
  state[z] = z00;
  state[z + 1] = z01;
  state[z + 2] = z10;
  state[z + 3] = z11;
  state[z + 4] = z20;
  state[z + 5] = z21;
  state[z + 6] = z30;
  state[z + 7] = z31;
}

/**
 * Causal filter (scipy sosfilt). `zi`, if given, is the initial state (flat, 2 per section) and is not
 * modified. Returns a new float64 array of the same length.
 */
export function sosfilt(sos: Sos, x: ArrayLike<number>, zi?: ArrayLike<number>): Float64Array {
  const state = new Float64Array(2 * sectionCount(sos));
  if (zi) state.set(zi);
  const out = new Float64Array(x.length);
  out.set(x);
  run(sosKernel(sos), state, out);
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
  ext.set(x, padLength);
  return sosfiltfiltPadded(sos, ext, padLength);
}

/**
 * {@link sosfiltfilt} for a caller that has already written its signal into the middle of a work buffer:
 * `ext`[padLength…ext.length − padLength) holds the signal; the pads are filled and the whole buffer is
 * filtered in place. Returns the view of the filtered signal.
 * @throws RangeError if the signal is not longer than the pad length.
 */
export function sosfiltfiltPadded(sos: Sos, ext: Float64Array, padLength: number): Float64Array {
  const len = ext.length - 2 * padLength;
  if (len <= padLength)
    throw new RangeError(
      `signal of ${len} samples is too short for zero-phase filtering (needs more than ${padLength})`,
    );
  const first = ext[padLength] ?? 0;
  const last = ext[padLength + len - 1] ?? 0;
  for (let i = 0; i < padLength; i++) ext[i] = 2 * first - (ext[2 * padLength - i] ?? 0);
  for (let i = 0; i < padLength; i++)
    ext[padLength + len + i] = 2 * last - (ext[padLength + len - 2 - i] ?? 0);
  const kernel = sosKernel(sos);
  const zi = sosfiltZi(sos);
  const state = new Float64Array(zi.length);
  for (let i = 0; i < zi.length; i++) state[i] = (zi[i] ?? 0) * (ext[0] ?? 0);
  run(kernel, state, ext);
  // Backward pass in place, starting from the steady state for the last forward output.
  const tail = ext[ext.length - 1] ?? 0;
  for (let i = 0; i < zi.length; i++) state[i] = (zi[i] ?? 0) * tail;
  run(kernel, state, ext, true);
  return ext.subarray(padLength, padLength + len);
}

/**
 * Stateful causal filter for block-by-block (live) use: processing a signal in any split gives exactly the
 * same samples as {@link sosfilt} on the whole signal. Each channel needs its own instance.
 */
export class SosFilter {
  private readonly state: Float64Array;
  private readonly kernel: SosKernel;

  constructor(readonly sos: Sos) {
    this.state = new Float64Array(2 * sectionCount(sos));
    this.kernel = sosKernel(sos);
  }

  /**
   * Filters one block; returns a new array (or fills the first `x.length` samples of `out`, which must be at
   * least as long as `x` and may be `x` itself when `x` is a Float64Array).
   */
  process(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
    // Copy first so the kernels only ever work in place on a Float64Array (monomorphic and fast).
    if (out !== x) out.set(x);
    run(this.kernel, this.state, out, false, 0, x.length);
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
