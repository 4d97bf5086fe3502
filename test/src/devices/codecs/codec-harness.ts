import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Codec } from '../../../../src/devices/codecs/codec.js';
import type { SampleBlock } from '../../../../src/shared/samples.js';

/** Flattens blocks to per-stream (seq, values) rows so that outputs cut into different blocks compare equal. */
export function rows(blocks: readonly SampleBlock[]): Record<string, { seq: number; values: number[] }[]> {
  const out: Record<string, { seq: number; values: number[] }[]> = {};
  for (const b of blocks) {
    const list = (out[b.streamId] ??= []);
    for (let i = 0; i < b.timestampsMs.length; i++)
      list.push({ seq: b.firstSeq + i, values: b.data.map((ch) => ch[i] ?? Number.NaN) });
  }
  return out;
}

/** Pushes `bytes` in chunks cut at `cuts` (sorted offsets). */
export function pushSplit(codec: Codec, bytes: Uint8Array, cuts: readonly number[]): SampleBlock[] {
  const out: SampleBlock[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > from) out.push(...codec.push(bytes.subarray(from, cut)));
    from = Math.max(from, cut);
  }
  return out;
}

export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/**
 * The chunk-boundary contract of a byte-stream codec: whole, one byte at a time and random splits give the
 * same rows and stats; random bytes never throw.
 */
export function streamCodecContract(make: () => Codec, stream: () => Uint8Array): void {
  it('gives identical output whole, one byte at a time and at random splits', () => {
    const bytes = stream();
    const whole = make();
    const expected = rows(whole.push(bytes));
    expect(Object.values(expected).flat().length).toBeGreaterThan(0);
    const oneByOne = make();
    expect(
      rows(
        pushSplit(
          oneByOne,
          bytes,
          Array.from({ length: bytes.length }, (_, i) => i),
        ),
      ),
    ).toEqual(expected);
    expect(oneByOne.stats()).toEqual(whole.stats());
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
        (cuts) => {
          const c = make();
          expect(
            rows(
              pushSplit(
                c,
                bytes,
                [...cuts].sort((a, b) => a - b),
              ),
            ),
          ).toEqual(expected);
          expect(c.stats()).toEqual(whole.stats());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never throws on random bytes, and counts what it skipped', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 20 }), (chunks) => {
        const c = make();
        for (const ch of chunks) c.push(ch);
        const s = c.stats();
        expect(s.garbageBytes).toBeGreaterThanOrEqual(0);
        c.reset();
        expect(c.stats().packets).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
}

/**
 * The contract of a message-framed codec (one BLE notification per push): random notifications never throw,
 * and a garbage notification between packets does not disturb the next packet.
 */
export function messageCodecContract(make: () => Codec, sources: readonly (string | undefined)[]): void {
  it('never throws on random notifications', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 24 }), fc.constantFrom(...sources)), { maxLength: 40 }),
        (notes) => {
          const c = make();
          for (const [bytes, source] of notes) c.push(bytes, source);
          c.takeMessages();
          expect(c.stats().packets + c.stats().malformed).toBeLessThanOrEqual(notes.length);
        },
      ),
      { numRuns: 300 },
    );
  });
}
