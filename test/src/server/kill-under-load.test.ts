import { describe, expect, it } from 'vitest';
import { killLoadedServer } from '../../support/kill-under-load.js';

/** Kills in CI; `npm run soak` runs 20. */
const KILLS = 3;

// Runs the built CLI (`tonus serve`): needs `npm run build` first, as npm test does.
describe('crash safety under load: tonus serve SIGKILLed while recording and flooded with requests', () => {
  it(`loses at most 1 s of samples at each of ${KILLS} kills`, async () => {
    const losses = await killLoadedServer(KILLS, 200, (k, l) =>
      console.log(
        `kill ${k + 1}: lost ${l.lostS.toFixed(3)} s of ${l.elapsedS.toFixed(2)} s recorded, ${l.sent} requests sent, ${l.requests} answered`,
      ),
    );
    for (const l of losses) {
      expect(l.sent).toBeGreaterThan(0);
      expect(l.storedS).toBeGreaterThan(0);
      expect(l.lostS).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});
