/** One line of `npm run bench`: a throughput and its ratio to a baseline measured in the same run. */
export interface BenchResult {
  name: string;
  throughput: number;
  unit: string;
  baselineName: string;
  baselineThroughput: number;
  /** Extra facts worth printing (sizes, memory). */
  note?: string;
}

export interface Bench {
  name: string;
  run(): Promise<BenchResult[]>;
}

/** Runs `fn` repeatedly for at least `minMs` (after one warm-up call) and returns calls per second. */
export function timeIt(fn: () => void, minMs = 1000): { perSecond: number; calls: number; seconds: number } {
  fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return { perSecond: calls / (elapsed / 1000), calls, seconds: elapsed / 1000 };
}

const fmt = (n: number): string =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(2)} G`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(2)} M`
      : n >= 1e3
        ? `${(n / 1e3).toFixed(1)} k`
        : n.toFixed(1);

export function formatResult(r: BenchResult): string {
  const ratio = r.throughput / r.baselineThroughput;
  return [
    r.name.padEnd(62),
    `${fmt(r.throughput)}${r.unit}`.padStart(18),
    `${ratio.toFixed(ratio >= 100 ? 0 : 2)}x ${r.baselineName}`.padStart(30),
    r.note ? `  (${r.note})` : '',
  ].join(' ');
}
