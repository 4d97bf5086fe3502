/**
 * Reusable float64 work buffers for long signals. On the reference machine (a 2-core VM) a fresh typed array
 * costs about 3.5 ms per MB the first time it is written (page faults), i.e. ≈ 0.2 s for one hour of a 2 kHz
 * channel: more than a band-pass over it. Whoever runs many long signals through the same steps takes its
 * scratch from one of these instead of allocating per step.
 */
/**
 * The hour-long scratch signal of envelopes: BioSPPy's onset envelope, then (once the onsets are found) the
 * first channel's protocol envelopes. One name, so that one channel's analysis maps one such buffer, not two.
 */
export const ENVELOPE_SCRATCH = 'envelope-scratch';

export class WorkBuffers {
  private readonly buffers = new Map<string, Float64Array>();

  /**
   * A buffer of exactly `length` samples kept under `name`, with arbitrary contents: a view of the one taken
   * before under that name if it is long enough, else a new one that replaces it. Valid until `name` is
   * taken again.
   */
  take(name: string, length: number): Float64Array {
    const kept = this.buffers.get(name);
    if (kept && kept.length >= length) return kept.subarray(0, length);
    const fresh = new Float64Array(length);
    this.buffers.set(name, fresh);
    return fresh;
  }

  /**
   * A buffer of exactly `length` samples that the caller keeps (it may hand it to another thread), with
   * arbitrary contents: the one given under `name` if its memory is exactly that long, which then leaves this
   * set, else a new one.
   */
  claim(name: string, length: number): Float64Array {
    const given = this.buffers.get(name);
    this.buffers.delete(name);
    return given && given.buffer.byteLength === length * 8
      ? new Float64Array(given.buffer)
      : new Float64Array(length);
  }

  /** Keeps `buffer` (e.g. one {@link claim}ed before and handed back) for the next {@link claim} of `name`. */
  give(name: string, buffer: Float64Array): void {
    this.buffers.set(name, buffer);
  }
}
