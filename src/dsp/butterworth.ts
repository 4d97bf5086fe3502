/**
 * Digital Butterworth design as second-order sections, following scipy.signal.butter(N, Wn, btype,
 * fs=..., output='sos') step by step (analog prototype → frequency transform with pre-warping → bilinear
 * transform → zpk2sos with 'nearest' pairing), so the sections, their order and the gain placement equal
 * scipy's to rounding. Reference: scipy 1.10 `_filter_design.py` (butter, buttap, lp2lp_zpk, lp2hp_zpk,
 * lp2bp_zpk, bilinear_zpk, zpk2sos).
 */

/**
 * Second-order sections, flat: section s occupies `[b0, b1, b2, a0, a1, a2]` at `6·s…6·s+5` with a0 = 1,
 * in scipy's `sos` row order (apply section 0 first).
 */
export type Sos = Float64Array;

export type FilterBand = 'lowpass' | 'highpass' | 'bandpass';

interface Complex {
  re: number;
  im: number;
}

const c = (re: number, im = 0): Complex => ({ re, im });
const add = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
const sub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
const mul = (a: Complex, b: Complex): Complex => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const scale = (a: Complex, k: number): Complex => c(a.re * k, a.im * k);
function div(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
const abs = (a: Complex): number => Math.hypot(a.re, a.im);
function sqrtC(a: Complex): Complex {
  const r = abs(a);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return c(re, a.im < 0 ? -im : im);
}
const isReal = (a: Complex): boolean => a.im === 0;

/** Number of second-order sections in `sos`. */
export const sectionCount = (sos: Sos): number => sos.length / 6;

function validate(
  order: number,
  cutoffHz: number | readonly [number, number],
  band: FilterBand,
  fs: number,
): number[] {
  if (!Number.isInteger(order) || order < 1)
    throw new RangeError(`Butterworth order must be a positive integer, got ${order}`);
  if (!(fs > 0)) throw new RangeError(`sample rate must be positive, got ${fs}`);
  const cut = typeof cutoffHz === 'number' ? [cutoffHz] : [...cutoffHz];
  if (band === 'bandpass' ? cut.length !== 2 : cut.length !== 1)
    throw new RangeError(`${band} needs ${band === 'bandpass' ? 'two cutoffs' : 'one cutoff'}`);
  for (const f of cut)
    if (!(f > 0 && f < fs / 2))
      throw new RangeError(`cutoff ${f} Hz must lie strictly between 0 and Nyquist (${fs / 2} Hz)`);
  if (cut.length === 2 && !((cut[0] ?? 0) < (cut[1] ?? 0)))
    throw new RangeError('band-pass cutoffs must be increasing');
  return cut;
}

/**
 * Designs an `order`-th order digital Butterworth filter (a band-pass has 2·order poles, as in scipy).
 * `cutoffHz` is the −3 dB frequency (two for band-pass), strictly between 0 and Nyquist.
 * @throws RangeError on an invalid order, cutoff or sample rate.
 */
export function butterworthSos(
  order: number,
  cutoffHz: number | readonly [number, number],
  band: FilterBand,
  sampleRateHz: number,
): Sos {
  const cut = validate(order, cutoffHz, band, sampleRateHz);
  // Pre-warp with the bilinear transform's internal fs = 2 (scipy: warped = 2·fs·tan(π·Wn/fs)).
  const warped = cut.map((f) => 4 * Math.tan((Math.PI * ((2 * f) / sampleRateHz)) / 2));
  // Analog prototype: poles on the left unit half-circle, no zeros, gain 1.
  let p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const ang = (Math.PI * m) / (2 * order);
    p.push(c(-Math.cos(ang), -Math.sin(ang)));
  }
  let z: Complex[] = [];
  let k = 1;
  const w0 = warped[0] ?? 1;
  if (band === 'lowpass') {
    p = p.map((x) => scale(x, w0));
    k *= w0 ** order;
  } else if (band === 'highpass') {
    let prodP = c(1);
    for (const x of p) prodP = mul(prodP, scale(x, -1));
    k *= div(c(1), prodP).re;
    p = p.map((x) => div(c(w0), x));
    z = Array.from({ length: order }, () => c(0));
  } else {
    const w1 = warped[1] ?? 1;
    const wo = Math.sqrt(w0 * w1);
    const bw = w1 - w0;
    const pLp = p.map((x) => scale(x, bw / 2));
    const root = pLp.map((x) => sqrtC(sub(mul(x, x), c(wo * wo))));
    p = [...pLp.map((x, i) => add(x, root[i] ?? c(0))), ...pLp.map((x, i) => sub(x, root[i] ?? c(0)))];
    z = Array.from({ length: order }, () => c(0));
    k *= bw ** order;
  }
  // Bilinear transform with fs = 2 (fs2 = 4).
  const fs2 = c(4);
  let num = c(1);
  for (const x of z) num = mul(num, sub(fs2, x));
  let den = c(1);
  for (const x of p) den = mul(den, sub(fs2, x));
  k *= div(num, den).re;
  const degree = p.length - z.length;
  const zz = [...z.map((x) => div(add(fs2, x), sub(fs2, x))), ...Array.from({ length: degree }, () => c(-1))];
  const pz = p.map((x) => div(add(fs2, x), sub(fs2, x)));
  return zpk2sosNearest(zz, pz, k);
}

/** Splits conjugate pairs: keeps complex values with positive imaginary part, then the real ones (scipy _cplxreal). */
function cplxreal(values: Complex[]): Complex[] {
  const tol = 100 * Number.EPSILON;
  const complex: Complex[] = [];
  const real: Complex[] = [];
  for (const v of values) {
    if (Math.abs(v.im) <= tol * abs(v)) real.push(c(v.re));
    else if (v.im > 0) complex.push(v);
  }
  complex.sort((a, b) => a.re - b.re);
  real.sort((a, b) => a.re - b.re);
  return [...complex, ...real];
}

type Which = 'real' | 'complex' | 'any';
function nearestIndex(from: Complex[], to: Complex, which: Which): number {
  const order = from
    .map((_, i) => i)
    .sort((a, b) => abs(sub(from[a] ?? c(0), to)) - abs(sub(from[b] ?? c(0), to)));
  for (const i of order) {
    const v = from[i] ?? c(0);
    if (which === 'any' || (which === 'real') === isReal(v)) return i;
  }
  throw new Error('no zero of the requested kind left');
}

function worstIndex(values: Complex[]): number {
  let best = 0;
  let bestD = Infinity;
  values.forEach((v, i) => {
    const d = Math.abs(1 - abs(v));
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

function takeAt(values: Complex[], i: number): Complex {
  const [v] = values.splice(i, 1);
  if (!v) throw new Error('index out of range');
  return v;
}

function sectionFrom(out: Sos, si: number, zeros: Complex[], poles: Complex[]): void {
  const poly = (r: Complex[]): number[] => {
    const a = r[0] ?? c(0);
    const b = r[1] ?? c(0);
    return [1, -add(a, b).re, mul(a, b).re];
  };
  const b = poly(zeros);
  const a = poly(poles);
  out.set([b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, a[0] ?? 1, a[1] ?? 0, a[2] ?? 0], 6 * si);
}

/** scipy zpk2sos(z, p, k, pairing='nearest') for digital filters with equal numbers of zeros and poles. */
function zpk2sosNearest(zIn: Complex[], pIn: Complex[], k: number): Sos {
  const zAll = [...zIn];
  const pAll = [...pIn];
  if (pAll.length % 2 === 1) {
    pAll.push(c(0));
    zAll.push(c(0));
  }
  const nSections = pAll.length / 2;
  const z = cplxreal(zAll);
  const p = cplxreal(pAll);
  const sos = new Float64Array(6 * nSections);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = takeAt(p, worstIndex(p));
    if (isReal(p1) && p.every((x) => !isReal(x))) {
      const z1 = takeAt(z, nearestIndex(z, p1, 'real'));
      sectionFrom(sos, si, [z1, c(0)], [p1, c(0)]);
      continue;
    }
    let p2: Complex;
    if (isReal(p1)) {
      const realIdx = p.map((x, i) => (isReal(x) ? i : -1)).filter((i) => i >= 0);
      const pick = realIdx[worstIndex(realIdx.map((i) => p[i] ?? c(0)))] ?? 0;
      p2 = takeAt(p, pick);
    } else p2 = c(p1.re, -p1.im);
    const z1 = takeAt(z, nearestIndex(z, p1, 'any'));
    if (!isReal(z1)) sectionFrom(sos, si, [z1, c(z1.re, -z1.im)], [p1, p2]);
    else {
      const z2 = takeAt(z, nearestIndex(z, p1, 'real'));
      sectionFrom(sos, si, [z1, z2], [p1, p2]);
    }
  }
  for (let i = 0; i < 3; i++) sos[i] = (sos[i] ?? 0) * k;
  return sos;
}
