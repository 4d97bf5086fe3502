import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';

/** A burst in samples: [start, end). */
export interface SampleBurst {
  start: number;
  end: number;
}

/** Tolerances of issue 15: onset within 20 ms, offset within 50 ms, at most 1 extra burst per recording. */
export const ONSET_TOLERANCE_MS = 20;
export const OFFSET_TOLERANCE_MS = 50;
export const MAX_EXTRA_BURSTS = 1;

export interface BurstMatch {
  /** Detected minus reference onset, ms (null: no detected burst overlaps the reference burst). */
  onsetDiffMs: number | null;
  offsetDiffMs: number | null;
  withinTolerance: boolean;
}

export interface BurstAgreement {
  reference: number;
  detected: number;
  /** Reference bursts with a detected burst within both tolerances. */
  agreeing: number;
  /** Detected bursts that overlap no reference burst (or only one already matched). */
  extra: number;
  matches: BurstMatch[];
}

/**
 * Per-burst agreement: each reference burst is paired with the not yet paired detected burst that overlaps
 * it and has the closest onset; it agrees if onset and offset are within the tolerances.
 */
export function burstAgreement(
  reference: readonly SampleBurst[],
  detected: readonly SampleBurst[],
  sampleRateHz: number,
): BurstAgreement {
  const used = new Set<number>();
  const ms = (samples: number): number => (samples * 1000) / sampleRateHz;
  const matches = reference.map((r): BurstMatch => {
    let best = -1;
    detected.forEach((d, j) => {
      if (used.has(j) || !(d.start < r.end && d.end > r.start)) return;
      const cur = detected[best];
      if (!cur || Math.abs(d.start - r.start) < Math.abs(cur.start - r.start)) best = j;
    });
    const d = detected[best];
    if (!d) return { onsetDiffMs: null, offsetDiffMs: null, withinTolerance: false };
    used.add(best);
    const onsetDiffMs = ms(d.start - r.start);
    const offsetDiffMs = ms(d.end - r.end);
    return {
      onsetDiffMs,
      offsetDiffMs,
      withinTolerance:
        Math.abs(onsetDiffMs) <= ONSET_TOLERANCE_MS && Math.abs(offsetDiffMs) <= OFFSET_TOLERANCE_MS,
    };
  });
  return {
    reference: reference.length,
    detected: detected.length,
    agreeing: matches.filter((m) => m.withinTolerance).length,
    extra: detected.length - used.size,
    matches,
  };
}

export type ReferenceOnsetMethod = 'biosppy' | 'hodges_bui' | 'bonato';

/**
 * Bursts from the reference detectors in test/reference/emg_onsets.py (numpy/scipy via /usr/bin/python3) on
 * each raw signal (one Python run for all).
 */
export function referenceBursts(
  signals: readonly ArrayLike<number>[],
  sampleRateHz: number,
  method: ReferenceOnsetMethod,
): SampleBurst[][] {
  const r = spawnSync('/usr/bin/python3', [join(packageRoot(), 'test', 'reference', 'emg_onsets.py')], {
    input: JSON.stringify({ signals: signals.map((x) => Array.from(x)), fs: sampleRateHz, method }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`reference onsets failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { bursts: [number, number][][] };
  return out.bursts.map((list) => list.map(([start, end]) => ({ start, end })));
}
