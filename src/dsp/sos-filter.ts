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

/** Runs `x` through the sections in place of `out`, updating `state` (flat [z0, z1] per section). */
function run(sos: Sos, state: Float64Array, x: ArrayLike<number>, out: Float64Array): void {
  const n = sectionCount(sos);
  const len = x.length;
  for (let i = 0; i < len; i++) out[i] = x[i] ?? 0;
  for (let s = 0; s < n; s++) {
    const o = 6 * s;
    const b0 = sos[o] ?? 0;
    const b1 = sos[o + 1] ?? 0;
    const b2 = sos[o + 2] ?? 0;
    const a1 = sos[o + 4] ?? 0;
    const a2 = sos[o + 5] ?? 0;
    let z0 = state[2 * s] ?? 0;
    let z1 = state[2 * s + 1] ?? 0;
    for (let i = 0; i < len; i++) {
      const xi = out[i] ?? 0;
      const y = b0 * xi + z0;
      z0 = b1 * xi - a1 * y + z1;
      z1 = b2 * xi - a2 * y;
      out[i] = y;
    }
    state[2 * s] = z0;
    state[2 * s + 1] = z1;
  }
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
 * and the squared magnitude response of `sos`.
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
  const fwd = new Float64Array(ext.length);
  run(sos, state, ext, fwd);
  fwd.reverse();
  for (let i = 0; i < zi.length; i++) state[i] = (zi[i] ?? 0) * (fwd[0] ?? 0);
  const back = new Float64Array(ext.length);
  run(sos, state, fwd, back);
  back.reverse();
  return back.slice(padLength, padLength + len);
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
    run(this.sos, this.state, x, out);
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
