import { instantiateKernel, layOut, type KernelExports } from './kernel-instance.js';
import { SMOOTHER_KERNEL_WASM } from './smoother-kernel.wasm.js';

/** A 4-tap stencil: weights w0…w3 at window positions at … at + 3. */
export interface StencilGroup {
  at: number;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
}

/** What assembly/smoother-kernel.ts exports. */
interface SmootherExports extends KernelExports {
  parzenChunk(
    win: number,
    k: number,
    m: number,
    groups: number,
    nGroups: number,
    e: number,
    out: number,
    len: number,
  ): void;
}

/** Bytes per stencil group record in the kernel's memory (must match GROUP_BYTES in the kernel). */
const GROUP_BYTES = 40;
/**
 * Zeros after the window: a stencil's last weights may lie past the kernel's end (they are 0) and read up to
 * 3 samples beyond the window, which must then be 0 as the scalar code's out-of-range reads are.
 */
const WINDOW_GUARD = 8;

let instance: SmootherExports | undefined;

/** The kernel's instance on this thread, compiled on first use. */
function smootherExports(): SmootherExports {
  instance ??= instantiateKernel<SmootherExports>(SMOOTHER_KERNEL_WASM, 'BioSPPy smoother');
  return instance;
}

/** One chunk's work in the kernel: fill `win`, then `run` gives the chunk's smoothed samples. */
export interface ParzenChunkKernel {
  /** The edge-extended signal around the chunk, `chunk + m + 4` samples (written by the caller). */
  win: Float64Array;
  /** Smooths the first `len` samples of the chunk from `win`; the view is valid until the next call. */
  run(len: number): Float64Array;
}

/**
 * The WebAssembly (SIMD) kernel of `smoothEdgePadded` for the m normalised taps `k` and their 4th-difference
 * stencils `groups`, for chunks of up to `chunk` samples; its results equal the scalar formula bit for bit
 * (two neighbouring samples per f64x2 operation, each lane in the scalar order). The buffers live in the
 * kernel's memory: the views stay valid until the next call of this function on the same thread.
 */
export function parzenChunkKernel(
  k: Float64Array,
  groups: readonly StencilGroup[],
  chunk: number,
): ParzenChunkKernel {
  const x = smootherExports();
  const m = k.length;
  const [win = 0, taps = 0, stencils = 0, e = 0, out = 0] = layOut(x, [
    8 * (chunk + m + 4 + WINDOW_GUARD),
    8 * m,
    GROUP_BYTES * groups.length,
    8 * chunk,
    8 * chunk,
  ]);
  const memory = x.memory.buffer;
  new Float64Array(memory, win + 8 * (chunk + m + 4), WINDOW_GUARD).fill(0);
  new Float64Array(memory, taps, m).set(k);
  const g = new Float64Array(memory, stencils, 5 * groups.length);
  groups.forEach((s, j) => g.set([s.at, s.w0, s.w1, s.w2, s.w3], 5 * j));
  const outView = new Float64Array(memory, out, chunk);
  return {
    win: new Float64Array(memory, win, chunk + m + 4),
    run(len: number): Float64Array {
      x.parzenChunk(win, taps, m, stencils, groups.length, e, out, len);
      return outView;
    },
  };
}
