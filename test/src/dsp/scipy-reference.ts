import { spawnSync } from 'node:child_process';

/**
 * Runs a Python snippet with numpy as np and scipy.signal as signal imported; `inputs` arrive as float64
 * lists in the dict `inp`, and the snippet sets `out` to a dict of lists/arrays that comes back as JSON.
 */
export function runScipy(
  code: string,
  inputs: Record<string, ArrayLike<number> | number | string>,
): Record<string, number[]> {
  const payload = JSON.stringify(
    Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [k, typeof v === 'object' ? Array.from(v) : v]),
    ),
  );
  const script = [
    'import sys, json',
    'import numpy as np',
    'from scipy import signal',
    'inp = json.loads(sys.stdin.read())',
    code,
    'print(json.dumps({k: np.asarray(v, dtype=float).ravel().tolist() for k, v in out.items()}))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], {
    input: payload,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number[]>;
}

/** max |a − b| / max |b|: the agreement measure for whole signals (robust to zero crossings). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    den = Math.max(den, Math.abs(b[i] ?? 0));
  }
  return den > 0 ? num / den : num;
}
