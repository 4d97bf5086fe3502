/**
 * Synthetic multi-channel EMG for benches: uniform noise (xorshift32, cheap to generate) plus a 4× burst in
 * the middle of every 4 s, channel-major Float32Arrays in µV.
 */
export function syntheticEmg(channels: number, sampleRateHz: number, seconds: number): Float32Array[] {
  const n = Math.round(sampleRateHz * seconds);
  let s = 0x9e3779b9;
  return Array.from({ length: channels }, () => {
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const u = (s >>> 0) / 4294967296 - 0.5;
      const t = (i / sampleRateHz) % 4;
      x[i] = u * (t > 1.5 && t < 2.5 ? 80 : 20);
    }
    return x;
  });
}
