import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { parzenWindow, smoothEdgePadded } from '../../../src/dsp/onset-biosppy.js';
import { SMOOTHER_KERNEL_WASM } from '../../../src/dsp/wasm/smoother-kernel.wasm.js';
import { accumulateHannPower } from '../../../src/dsp/wasm/welch-kernel.js';
import { WELCH_KERNEL_WASM } from '../../../src/dsp/wasm/welch-kernel.wasm.js';
import { compileWasmKernel, WASM_KERNELS } from '../../../scripts/wasm-kernels.js';
import { gaussian } from './signals.js';

/**
 * The scalar algorithm the smoother's WebAssembly kernel replaces, written out plainly: per output sample t the
 * 4th-difference tap sum e[t] (stencil by stencil, each stencil's four products summed left to right), every
 * 64 samples a restart from 4 direct sums, and the recurrence y = 4y₁ − 6y₂ + 4y₃ − y₄ + e in between (or the
 * direct sum everywhere for a kernel whose 4th difference has more than m/2 taps).
 */
function scalarReference(x: Float64Array, w: Float64Array): Float64Array {
  const n = x.length;
  const m = w.length;
  const sum = w.reduce((a, b) => a + b, 0);
  const shift = Math.floor((m - 1) / 2);
  const jMin = shift - m + 1;
  const k = new Float64Array(m);
  for (let i = 0; i < m; i++) k[shift - i - jMin] = (w[i] ?? 0) / sum;
  // x̃ at window position q of sample t: x[clamp(t + jMin − 4 + q)].
  const xt = (t: number, q: number): number => x[Math.min(n - 1, Math.max(0, t + jMin - 4 + q))] ?? 0;
  const c = [1, -4, 6, -4, 1];
  const scale = Math.max(...k);
  const taps: { at: number; weight: number }[] = [];
  for (let q = 0; q < m + 4; q++) {
    let d = 0;
    for (let s = 0; s < 5; s++) d += (c[s] ?? 0) * (k[q - 4 + s] ?? 0);
    if (Math.abs(d) > 1e-13 * scale) taps.push({ at: q, weight: d });
  }
  const stencils: { at: number; weights: number[] }[] = [];
  for (const tp of taps) {
    const last = stencils.at(-1);
    if (last && tp.at < last.at + 4) last.weights[tp.at - last.at] = tp.weight;
    else stencils.push({ at: tp.at, weights: [tp.weight, 0, 0, 0] });
  }
  const direct = (t: number): number => {
    let acc = 0;
    for (let q = 0; q < m; q++) acc += (k[q] ?? 0) * xt(t, q + 4);
    return acc;
  };
  const y = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    // Restarts are every 64 samples of each 4096-sample chunk.
    // Kernels with many taps (short ones) are summed directly throughout.
    const inBlock = (t % 4096) % 64;
    if (inBlock < 4 || taps.length > m / 2) {
      y[t] = direct(t);
      continue;
    }
    let e = 0;
    for (const s of stencils) {
      const [w0 = 0, w1 = 0, w2 = 0, w3 = 0] = s.weights;
      const v = (q: number): number => xt(t, s.at + q);
      e = e + (w0 * v(0) + w1 * v(1) + w2 * v(2) + w3 * v(3));
    }
    y[t] = 4 * (y[t - 1] ?? 0) - 6 * (y[t - 2] ?? 0) + 4 * (y[t - 3] ?? 0) - (y[t - 4] ?? 0) + e;
  }
  return y;
}

describe('WebAssembly kernels', () => {
  it('the committed kernel bytes are what the AssemblyScript sources compile to', async () => {
    const committed: Record<string, Uint8Array> = {
      SMOOTHER_KERNEL_WASM,
      WELCH_KERNEL_WASM,
    };
    expect(WASM_KERNELS.map((k) => k.constant).sort()).toEqual(Object.keys(committed).sort());
    for (const { source, constant } of WASM_KERNELS) {
      const compiled = await compileWasmKernel(source);
      expect(Buffer.from(compiled).equals(Buffer.from(committed[constant] ?? [])), source).toBe(true);
    }
  }, 60_000);

  it('the SIMD smoother equals the scalar algorithm bit for bit, at chunk edges, odd and even kernels', () => {
    const g = gaussian(11);
    for (const n of [5, 63, 64, 67, 4096, 4099, 9000])
      for (const m of [4, 7, 50, 99, 100]) {
        if (m >= n) continue;
        const x = Float64Array.from({ length: n }, () => Math.abs(g()) * 10 + 5);
        const w = parzenWindow(m);
        const got = smoothEdgePadded(x, w);
        const want = scalarReference(x, w);
        const differing = got.filter((v, i) => !Object.is(v, want[i])).length;
        expect(differing, `n ${n}, m ${m}`).toBe(0);
      }
  });

  it("the SIMD Welch accumulation equals fft.js's realTransform and the scalar sums bit for bit", () => {
    const g = gaussian(13);
    const x = Float64Array.from({ length: 50_000 }, () => g() * 30 + 7);
    const x32 = Float32Array.from(x);
    for (const n of [2, 4, 8, 16, 256, 1024, 2048])
      for (const [signal, starts] of [
        // Contiguous 50 % overlap, an odd number of segments, and sparse starts spanning several blocks.
        [x, Array.from({ length: 41 }, (_, s) => s * (n / 2))],
        [x32, Array.from({ length: 7 }, (_, s) => s * (n / 2))],
        [x, Array.from({ length: 9 }, (_, s) => Math.floor((s * (x.length - n)) / 8))],
      ] as const) {
        const got = new Float64Array(n / 2 + 1).fill(0.125);
        accumulateHannPower(signal, starts, n, got);
        const want = new Float64Array(n / 2 + 1).fill(0.125);
        const fft = new FFT(n);
        const spec = fft.createComplexArray() as number[];
        for (const s of starts) {
          fft.realTransform(spec, signal.subarray(s, s + n));
          // Mean removal zeroes X_0; the Hann window mixes each bin with its neighbours.
          const X = (j: number): [number, number] => {
            const r = ((j % n) + n) % n;
            const m = r <= n / 2 ? r : n - r;
            if (m === 0) return [0, 0];
            const re = spec[2 * m] ?? 0;
            const im = spec[2 * m + 1] ?? 0;
            return r <= n / 2 ? [re, im] : [re, -im];
          };
          for (let k = 0; k <= n / 2; k++) {
            const [pr, pi] = X(k - 1);
            const [cr, ci] = X(k);
            const [nr, ni] = X(k + 1);
            const yr = 0.5 * cr - 0.25 * (pr + nr);
            const yi = 0.5 * ci - 0.25 * (pi + ni);
            want[k] = (want[k] ?? 0) + (yr * yr + yi * yi);
          }
        }
        const differing = got.filter((v, k) => !Object.is(v, want[k])).length;
        expect(differing, `n ${n}, ${starts.length} segments`).toBe(0);
      }
  });
});
