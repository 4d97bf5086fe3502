import { butterworthSos, type Sos } from '../dsp/butterworth.js';
import { centeredRms } from '../dsp/envelope.js';
import { quietestWindow } from '../dsp/onset.js';
import { defaultPadLength, sosfiltfiltPadded } from '../dsp/sos-filter.js';
import { ENVELOPE_SCRATCH, type WorkBuffers } from '../dsp/work-buffers.js';
import { restEnvelopeStats } from './rest-tone.js';

/** The sample grid of the kinematic signal (angle or gyro) the protocol indicators run on. */
export interface KinematicGrid {
  sampleRateHz: number;
  samples: number;
}

/**
 * What the protocol indicators (stretches, clonus, pendulum drops) take from the first analysed EMG channel,
 * computed where that channel is analysed (possibly a worker thread), so that only small results travel.
 */
export interface FirstEmgEnvelopes {
  /**
   * Mean and SD of the 50 ms centred RMS envelope over the quietest 2 s of the channel without its paused
   * spans: the rest reference of the stretch reflex and of the pendulum's relaxation check.
   */
  rest: { mean: number; sd: number };
  /**
   * The clonus EMG envelope (rectified, zero-phase 2nd-order 20 Hz low-pass) at the nearest sample of each
   * point of the kinematic grid; absent without a grid or for a channel of 30 samples or fewer.
   */
  clonusEnvelope?: Float64Array;
}

/** The clonus EMG envelope filter: 2nd-order Butterworth 20 Hz low-pass. */
const clonusEnvelopeSos = (fs: number): Sos => butterworthSos(2, 20, 'lowpass', fs);
/** Its zero-phase pad length (one section: the same at every rate). */
const CLONUS_ENVELOPE_PAD = defaultPadLength(clonusEnvelopeSos(1000));

/**
 * {@link FirstEmgEnvelopes} of the band-passed channel `y` (`kept`: `y` without its paused spans) sampled at
 * `sampleRateHz`. With `work`, the hour-long intermediate envelopes live in its buffers; the result never
 * refers to them. Pure and deterministic.
 */
export function firstEmgEnvelopes(
  y: Float64Array,
  kept: Float64Array,
  sampleRateHz: number,
  grid: KinematicGrid | undefined,
  work?: WorkBuffers,
): FirstEmgEnvelopes {
  const fs = sampleRateHz;
  const scratchOf = (n: number): Float64Array =>
    work ? work.take(ENVELOPE_SCRATCH, n) : new Float64Array(n);
  const env = centeredRms(kept, Math.max(1, Math.round(0.05 * fs)), scratchOf(kept.length));
  const rest = restEnvelopeStats(kept, fs, quietestWindow(env, Math.round(2 * fs)));
  if (!grid || y.length <= 30) return { rest };
  // Rectified straight into the zero-phase filter's work buffer.
  const ext = scratchOf(y.length + 2 * CLONUS_ENVELOPE_PAD);
  for (let i = 0; i < y.length; i++) ext[CLONUS_ENVELOPE_PAD + i] = Math.abs(y[i] ?? 0);
  const low = sosfiltfiltPadded(clonusEnvelopeSos(fs), ext, CLONUS_ENVELOPE_PAD);
  const ratio = fs / grid.sampleRateHz;
  const clonusEnvelope = Float64Array.from(
    { length: grid.samples },
    (_, i) => low[Math.min(low.length - 1, Math.round(i * ratio))] ?? 0,
  );
  return { rest, clonusEnvelope };
}
