/**
 * Numerical tools for model fits: an adaptive Dormand–Prince RK5(4) integrator (the method of scipy's
 * solve_ivp 'RK45') and a Levenberg–Marquardt least-squares optimiser with forward-difference Jacobian.
 */

export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A: number[][] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

/**
 * Integrates y' = f(t, y) from `times[0]` with y(times[0]) = y0 and returns y at every entry of `times`
 * (ascending), as `out[i][component]`. Steps never cross an output time, so outputs are integrator nodes.
 * @throws Error if the step size underflows or more than `maxSteps` steps are needed (stiff system).
 */
export function rk45(
  f: OdeRhs,
  y0: readonly number[],
  times: ArrayLike<number>,
  rtol = 1e-9,
  atol = 1e-12,
  maxSteps = 100_000,
): Float64Array[] {
  let steps = 0;
  const n = y0.length;
  const k = Array.from({ length: 7 }, () => new Float64Array(n));
  let y = Float64Array.from(y0);
  const yTmp = new Float64Array(n);
  const yNew = new Float64Array(n);
  let t = times[0] ?? 0;
  const out: Float64Array[] = [Float64Array.from(y)];
  f(t, y, k[0] ?? new Float64Array(n));
  const span = Math.abs((times[times.length - 1] ?? t) - t);
  let h = Math.max(1e-6, span * 1e-3);
  for (let ti = 1; ti < times.length; ti++) {
    const target = times[ti] ?? t;
    while (t < target) {
      if (++steps > maxSteps) throw new Error(`rk45: more than ${maxSteps} steps`);
      const last = target - t <= h;
      const step = last ? target - t : h;
      for (let s = 1; s < 7; s++) {
        const row = A[s] ?? [];
        for (let j = 0; j < n; j++) {
          let acc = y[j] ?? 0;
          for (let r = 0; r < s; r++) acc += step * (row[r] ?? 0) * ((k[r] ?? yTmp)[j] ?? 0);
          yTmp[j] = acc;
        }
        if (s === 6) yNew.set(yTmp);
        f(t + (C[s] ?? 0) * step, yTmp, k[s] ?? yTmp);
      }
      let err = 0;
      for (let j = 0; j < n; j++) {
        let e = 0;
        for (let r = 0; r < 7; r++) e += (E[r] ?? 0) * ((k[r] ?? yTmp)[j] ?? 0);
        const sc = atol + rtol * Math.max(Math.abs(y[j] ?? 0), Math.abs(yNew[j] ?? 0));
        err += ((step * e) / sc) ** 2;
      }
      err = Math.sqrt(err / n);
      if (err <= 1) {
        t = last ? target : t + step;
        y = Float64Array.from(yNew);
        const k0 = k[0] ?? yTmp;
        k0.set(k[6] ?? yTmp);
        const grow = err === 0 ? 5 : Math.min(5, 0.9 * err ** -0.2);
        if (!last || grow < 1) h = step * grow;
      } else {
        h = step * Math.max(0.2, 0.9 * err ** -0.2);
        if (h < 1e-14 * Math.max(1, Math.abs(t))) throw new Error('rk45: step size underflow');
      }
    }
    out.push(Float64Array.from(y));
  }
  return out;
}

export interface LeastSquaresResult {
  params: number[];
  /** Sum of squared residuals at the solution. */
  cost: number;
  iterations: number;
  converged: boolean;
}

function solve(m: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const a = m.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[piv]?.[c] ?? 0)) piv = r;
    const pr = a[piv];
    if (!pr || Math.abs(pr[c] ?? 0) < 1e-300) return undefined;
    [a[c], a[piv]] = [pr, a[c] ?? pr];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = a[r] ?? [];
      const f = (row[c] ?? 0) / (pr[c] ?? 1);
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return a.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

/**
 * Minimises Σ residuals(p)² by Levenberg–Marquardt from `p0`. `residuals` may return NaN to reject a trial
 * point (treated as infinite cost).
 */
export function levenbergMarquardt(
  residuals: (p: readonly number[]) => Float64Array,
  p0: readonly number[],
  maxIterations = 100,
): LeastSquaresResult {
  const cost = (r: Float64Array): number => {
    let s = 0;
    for (const v of r) s += v * v;
    return Number.isFinite(s) ? s : Infinity;
  };
  let p = [...p0];
  let r = residuals(p);
  let c = cost(r);
  let lambda = 1e-3;
  const np = p.length;
  for (let it = 1; it <= maxIterations; it++) {
    const jac: Float64Array[] = [];
    for (let j = 0; j < np; j++) {
      const dp = 1e-5 * Math.max(Math.abs(p[j] ?? 0), 1e-3);
      const q = [...p];
      q[j] = (q[j] ?? 0) + dp;
      const rq = residuals(q);
      jac.push(rq.map((v, i) => (v - (r[i] ?? 0)) / dp));
    }
    const jtj = Array.from({ length: np }, (_, a) =>
      Array.from({ length: np }, (_, b) => {
        let s = 0;
        const ja = jac[a] ?? new Float64Array(0);
        const jb = jac[b] ?? new Float64Array(0);
        for (let i = 0; i < ja.length; i++) s += (ja[i] ?? 0) * (jb[i] ?? 0);
        return s;
      }),
    );
    const jtr = Array.from({ length: np }, (_, a) => {
      let s = 0;
      const ja = jac[a] ?? new Float64Array(0);
      for (let i = 0; i < ja.length; i++) s += (ja[i] ?? 0) * (r[i] ?? 0);
      return -s;
    });
    let improved = false;
    for (let tries = 0; tries < 20; tries++) {
      const m = jtj.map((row, i) => row.map((v, j) => (i === j ? v * (1 + lambda) + 1e-30 : v)));
      const delta = solve(m, jtr);
      if (!delta) {
        lambda *= 10;
        continue;
      }
      const q = p.map((v, i) => v + (delta[i] ?? 0));
      const rq = residuals(q);
      const cq = cost(rq);
      if (cq < c) {
        const small = delta.every((d, i) => Math.abs(d) <= 1e-10 * Math.max(Math.abs(p[i] ?? 0), 1e-6));
        const rel = (c - cq) / Math.max(c, 1e-300);
        p = q;
        r = rq;
        c = cq;
        lambda = Math.max(lambda / 10, 1e-12);
        improved = true;
        if (small || rel < 1e-14) return { params: p, cost: c, iterations: it, converged: true };
        break;
      }
      lambda *= 10;
    }
    if (!improved) return { params: p, cost: c, iterations: it, converged: true };
  }
  return { params: p, cost: c, iterations: maxIterations, converged: false };
}
