// AssemblyScript source of the WebAssembly kernel behind src/dsp/welch.ts (compiled by `npm run build:wasm`
// into src/dsp/wasm/welch-kernel.wasm.ts). It is fft.js's forward `realTransform` (indutny/fft.js 4.0.4, MIT:
// radix-4 with a real-input first pass, the same twiddle table and bit-reversal pattern, passed in by the
// caller from fft.js itself) followed by Welch's periodic-Hann window and mean removal in the frequency domain
// and the power accumulation of src/dsp/welch.ts. Two segments are transformed at once, one per f64x2 lane;
// every lane performs exactly the scalar operations in the scalar order (WebAssembly never fuses a multiply
// and an add), so the spectra are bit-identical to fft.js's and the sums to the scalar accumulation.

/** A complex array element: two lanes (segments) of one f64 each. */
const LANES_BYTES: usize = 16;

/** First free byte of linear memory: the caller lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Sample `i` of segment a (lane 0) and of segment b (lane 1). */
function pairAt(a: usize, b: usize, i: i32): v128 {
  const at = (<usize>i) << 3;
  return f64x2.replace_lane(f64x2.splat(load<f64>(a + at)), 1, load<f64>(b + at));
}

function get(out: usize, i: i32): v128 {
  return v128.load(out + <usize>i * LANES_BYTES);
}

function put(out: usize, i: i32, v: v128): void {
  v128.store(out + <usize>i * LANES_BYTES, v);
}

/** fft.js `_singleRealTransform2` for both lanes. */
function single2(out: usize, outOff: i32, a: usize, b: usize, off: i32, step: i32): void {
  const evenR = pairAt(a, b, off);
  const oddR = pairAt(a, b, off + step);
  put(out, outOff, f64x2.add(evenR, oddR));
  put(out, outOff + 1, f64x2.splat(0));
  put(out, outOff + 2, f64x2.sub(evenR, oddR));
  put(out, outOff + 3, f64x2.splat(0));
}

/** fft.js `_singleRealTransform4` (forward) for both lanes. */
function single4(out: usize, outOff: i32, a: usize, b: usize, off: i32, step: i32): void {
  const Ar = pairAt(a, b, off);
  const Br = pairAt(a, b, off + step);
  const Cr = pairAt(a, b, off + step * 2);
  const Dr = pairAt(a, b, off + step * 3);
  const T0r = f64x2.add(Ar, Cr);
  const T1r = f64x2.sub(Ar, Cr);
  const T2r = f64x2.add(Br, Dr);
  const T3r = f64x2.sub(Br, Dr);
  put(out, outOff, f64x2.add(T0r, T2r));
  put(out, outOff + 1, f64x2.splat(0));
  put(out, outOff + 2, T1r);
  put(out, outOff + 3, f64x2.neg(T3r));
  put(out, outOff + 4, f64x2.sub(T0r, T2r));
  put(out, outOff + 5, f64x2.splat(0));
  put(out, outOff + 6, T1r);
  put(out, outOff + 7, T3r);
}

/** (xr + i·xi)·(tr + i·ti) as fft.js writes it: re = xr·tr − xi·ti, im = xr·ti + xi·tr. */
function mulRe(xr: v128, xi: v128, tr: v128, ti: v128): v128 {
  return f64x2.sub(f64x2.mul(xr, tr), f64x2.mul(xi, ti));
}
function mulIm(xr: v128, xi: v128, tr: v128, ti: v128): v128 {
  return f64x2.add(f64x2.mul(xr, ti), f64x2.mul(xi, tr));
}

/**
 * fft.js `realTransform` (forward) of the n-sample segments at `a` (lane 0) and `b` (lane 1) into `out`
 * (2n complex-component elements of two lanes; like fft.js, only the left half of the spectrum is written).
 */
function realTransform(
  out: usize,
  a: usize,
  b: usize,
  n: i32,
  width: i32,
  table: usize,
  bitrev: usize,
): void {
  const size = n << 1;
  let step = 1 << width;
  let len = (size / step) << 1;
  let t = 0;
  for (let outOff = 0; outOff < size; outOff += len) {
    const off = load<i32>(bitrev + ((<usize>t) << 2));
    if (len == 4) single2(out, outOff, a, b, off >>> 1, step >>> 1);
    else single4(out, outOff, a, b, off >>> 1, step >>> 1);
    t++;
  }
  for (step >>= 2; step >= 2; step >>= 2) {
    len = (size / step) << 1;
    const halfLen = len >>> 1;
    const quarterLen = halfLen >>> 1;
    const hquarterLen = quarterLen >>> 1;
    for (let outOff = 0; outOff < size; outOff += len) {
      for (let i = 0, k = 0; i <= hquarterLen; i += 2, k += step) {
        const A = outOff + i;
        const B = A + quarterLen;
        const C = B + quarterLen;
        const D = C + quarterLen;
        const Ar = get(out, A);
        const Ai = get(out, A + 1);
        const Br = get(out, B);
        const Bi = get(out, B + 1);
        const Cr = get(out, C);
        const Ci = get(out, C + 1);
        const Dr = get(out, D);
        const Di = get(out, D + 1);
        const tableBr = f64x2.splat(load<f64>(table + ((<usize>k) << 3)));
        const tableBi = f64x2.splat(load<f64>(table + ((<usize>(k + 1)) << 3)));
        const MBr = mulRe(Br, Bi, tableBr, tableBi);
        const MBi = mulIm(Br, Bi, tableBr, tableBi);
        const tableCr = f64x2.splat(load<f64>(table + ((<usize>(2 * k)) << 3)));
        const tableCi = f64x2.splat(load<f64>(table + ((<usize>(2 * k + 1)) << 3)));
        const MCr = mulRe(Cr, Ci, tableCr, tableCi);
        const MCi = mulIm(Cr, Ci, tableCr, tableCi);
        const tableDr = f64x2.splat(load<f64>(table + ((<usize>(3 * k)) << 3)));
        const tableDi = f64x2.splat(load<f64>(table + ((<usize>(3 * k + 1)) << 3)));
        const MDr = mulRe(Dr, Di, tableDr, tableDi);
        const MDi = mulIm(Dr, Di, tableDr, tableDi);
        const T0r = f64x2.add(Ar, MCr);
        const T0i = f64x2.add(Ai, MCi);
        const T1r = f64x2.sub(Ar, MCr);
        const T1i = f64x2.sub(Ai, MCi);
        const T2r = f64x2.add(MBr, MDr);
        const T2i = f64x2.add(MBi, MDi);
        const T3r = f64x2.sub(MBr, MDr);
        const T3i = f64x2.sub(MBi, MDi);
        put(out, A, f64x2.add(T0r, T2r));
        put(out, A + 1, f64x2.add(T0i, T2i));
        put(out, B, f64x2.add(T1r, T3i));
        put(out, B + 1, f64x2.sub(T1i, T3r));
        if (i == 0) {
          put(out, C, f64x2.sub(T0r, T2r));
          put(out, C + 1, f64x2.sub(T0i, T2i));
          continue;
        }
        if (i == hquarterLen) continue;
        const ST0r = T1r;
        const ST0i = f64x2.neg(T1i);
        const ST1r = T0r;
        const ST1i = f64x2.neg(T0i);
        const ST2r = f64x2.neg(T3i);
        const ST2i = f64x2.neg(T3r);
        const ST3r = f64x2.neg(T2i);
        const ST3i = f64x2.neg(T2r);
        const SA = outOff + quarterLen - i;
        const SB = outOff + halfLen - i;
        put(out, SA, f64x2.add(ST0r, ST2r));
        put(out, SA + 1, f64x2.add(ST0i, ST2i));
        put(out, SB, f64x2.add(ST1r, ST3i));
        put(out, SB + 1, f64x2.sub(ST1i, ST3r));
      }
    }
  }
}

/**
 * Adds |Y_k|², k = 0…n/2, of the mean-removed, periodic-Hann-windowed segments whose spectra are in `out` to
 * acc[k] (f64): lane 0's, then lane 1's if `both`. Y_k = 0.5·X_k − 0.25·(X_{k−1} + X_{k+1}) with X_0 = 0 (see
 * addHannDetrendedPower in src/dsp/welch.ts, which this equals operation by operation).
 */
function addPower(out: usize, n: i32, acc: usize, both: bool): void {
  const half = n >> 1;
  const zero = f64x2.splat(0);
  const quarter = f64x2.splat(0.25);
  const halfC = f64x2.splat(0.5);
  let pr = get(out, 2);
  let pi = f64x2.neg(get(out, 3));
  let cr = zero;
  let ci = zero;
  for (let k = 0; k <= half; k++) {
    let nr: v128;
    let ni: v128;
    if (k < half) {
      nr = get(out, 2 * k + 2);
      ni = get(out, 2 * k + 3);
    } else {
      const m = n - half - 1;
      nr = m == 0 ? zero : get(out, 2 * m);
      ni = m == 0 ? zero : f64x2.neg(get(out, 2 * m + 1));
    }
    const yr = f64x2.sub(f64x2.mul(halfC, cr), f64x2.mul(quarter, f64x2.add(pr, nr)));
    const yi = f64x2.sub(f64x2.mul(halfC, ci), f64x2.mul(quarter, f64x2.add(pi, ni)));
    const p = f64x2.add(f64x2.mul(yr, yr), f64x2.mul(yi, yi));
    const at = acc + ((<usize>k) << 3);
    let sum = load<f64>(at) + f64x2.extract_lane(p, 0);
    if (both) sum += f64x2.extract_lane(p, 1);
    store<f64>(at, sum);
    pr = cr;
    pi = ci;
    cr = nr;
    ci = ni;
  }
}

/**
 * Welch's power accumulation over `count` segments of n samples (n a power of two, at least 4) of the signal
 * block at `signal` (f64), segment j starting at sample starts[j] (i32): two segments per transform, the sums
 * added to acc[0…n/2] in segment order. `table` and `bitrev` (i32) are fft.js's for size n, `width` its
 * initial width; `out` is scratch for 2n two-lane elements.
 */
export function welchAccumulate(
  signal: usize,
  starts: usize,
  count: i32,
  n: i32,
  width: i32,
  table: usize,
  bitrev: usize,
  out: usize,
  acc: usize,
): void {
  for (let j = 0; j < count; j += 2) {
    const both = j + 1 < count;
    const a = signal + ((<usize>load<i32>(starts + ((<usize>j) << 2))) << 3);
    const b = both ? signal + ((<usize>load<i32>(starts + ((<usize>(j + 1)) << 2))) << 3) : a;
    realTransform(out, a, b, n, width, table, bitrev);
    // X_0 := 0: the mean removal.
    put(out, 0, f64x2.splat(0));
    put(out, 1, f64x2.splat(0));
    addPower(out, n, acc, both);
  }
}
