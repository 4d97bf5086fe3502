// AssemblyScript source of the WebAssembly kernel behind src/dsp/onset-biosppy.ts `smoothEdgePadded` (compiled by
// `npm run build:wasm` into src/dsp/wasm/smoother-kernel.wasm.ts; test/src/dsp/wasm-kernels.test.ts checks that
// the committed bytes are this source's). Every lane of every f64x2 operation performs exactly the operations,
// in exactly the order, of the scalar formula it replaces (WebAssembly never fuses a multiply and an add), so
// the results are bit-identical to the scalar code; the SIMD lanes only compute two neighbouring samples at once.

/** Samples between restarts of the difference recurrence (must match RECURRENCE_BLOCK in onset-biosppy.ts). */
const RECURRENCE_BLOCK: i32 = 64;
/** Bytes per stencil group record: window position and four weights, all f64. */
const GROUP_BYTES: usize = 40;

/** First free byte of linear memory: the caller lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Σ_q k[q]·win[from + q] for samples `from` and `from + 1` at once (lanes 0 and 1), summed in order q = 0, 1, …. */
function directPair(win: usize, k: usize, m: i32, from: i32): v128 {
  let acc = f64x2.splat(0);
  const p = win + ((<usize>from) << 3);
  for (let q = 0; q < m; q++) {
    const at = (<usize>q) << 3;
    acc = f64x2.add(acc, f64x2.mul(f64x2.splat(load<f64>(k + at)), v128.load(p + at)));
  }
  return acc;
}

/** Σ_q k[q]·win[from + q], summed in order q = 0, 1, …. */
function directOne(win: usize, k: usize, m: i32, from: i32): f64 {
  let acc: f64 = 0;
  const p = win + ((<usize>from) << 3);
  for (let q = 0; q < m; q++) {
    const at = (<usize>q) << 3;
    acc += load<f64>(k + at) * load<f64>(p + at);
  }
  return acc;
}

/**
 * One chunk of the O(n) convolution with a piecewise-cubic kernel (see smoothEdgePadded): `win` holds the
 * edge-extended signal around the chunk, `k` the m kernel taps, `groups` the nGroups 4-tap stencils of the
 * kernel's 4th difference. Writes the tap sums to `e` and the len smoothed samples to `out` (f64 arrays).
 */
export function parzenChunk(
  win: usize,
  k: usize,
  m: i32,
  groups: usize,
  nGroups: i32,
  e: usize,
  out: usize,
  len: i32,
): void {
  memory.fill(e, 0, (<usize>len) << 3);
  for (let g = 0; g < nGroups; g++) {
    const gp = groups + <usize>g * GROUP_BYTES;
    const at = <i32>load<f64>(gp);
    const w0 = load<f64>(gp, 8);
    const w1 = load<f64>(gp, 16);
    const w2 = load<f64>(gp, 24);
    const w3 = load<f64>(gp, 32);
    const v0 = f64x2.splat(w0);
    const v1 = f64x2.splat(w1);
    const v2 = f64x2.splat(w2);
    const v3 = f64x2.splat(w3);
    let i = 0;
    // e[i] += ((w0·x̃₀ + w1·x̃₁) + w2·x̃₂) + w3·x̃₃, two samples per step.
    for (; i + 1 < len; i += 2) {
      const p = win + ((<usize>(at + i)) << 3);
      const sum = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.mul(v0, v128.load(p)), f64x2.mul(v1, v128.load(p, 8))),
          f64x2.mul(v2, v128.load(p, 16)),
        ),
        f64x2.mul(v3, v128.load(p, 24)),
      );
      const ep = e + ((<usize>i) << 3);
      v128.store(ep, f64x2.add(v128.load(ep), sum));
    }
    for (; i < len; i++) {
      const p = win + ((<usize>(at + i)) << 3);
      const ep = e + ((<usize>i) << 3);
      store<f64>(
        ep,
        load<f64>(ep) +
          (w0 * load<f64>(p) + w1 * load<f64>(p, 8) + w2 * load<f64>(p, 16) + w3 * load<f64>(p, 24)),
      );
    }
  }
  for (let b0 = 0; b0 < len; b0 += RECURRENCE_BLOCK) {
    const end = min(len, b0 + RECURRENCE_BLOCK);
    if (end < b0 + 4) {
      for (let i = b0; i < end; i++) store<f64>(out + ((<usize>i) << 3), directOne(win, k, m, i + 4));
      continue;
    }
    // Each block restarts from 4 directly convolved samples, then runs the recurrence.
    v128.store(out + ((<usize>b0) << 3), directPair(win, k, m, b0 + 4));
    v128.store(out + ((<usize>(b0 + 2)) << 3), directPair(win, k, m, b0 + 6));
    let y4 = load<f64>(out + ((<usize>b0) << 3));
    let y3 = load<f64>(out + ((<usize>(b0 + 1)) << 3));
    let y2 = load<f64>(out + ((<usize>(b0 + 2)) << 3));
    let y1 = load<f64>(out + ((<usize>(b0 + 3)) << 3));
    for (let i = b0 + 4; i < end; i++) {
      const y = 4 * y1 - 6 * y2 + 4 * y3 - y4 + load<f64>(e + ((<usize>i) << 3));
      store<f64>(out + ((<usize>i) << 3), y);
      y4 = y3;
      y3 = y2;
      y2 = y1;
      y1 = y;
    }
  }
}
