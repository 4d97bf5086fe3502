import { killLoadedServer } from '../support/kill-under-load.js';

/**
 * `npm run soak`: the long version of the reliability suite's kill loop. SIGKILLs a recording `tonus serve`
 * flooded with 1,000 concurrent API requests (the load of issue 12) 20 times and prints what each kill lost,
 * then the count that kept the 1 s promise.
 */
const KILLS = Number(process.env.TONUS_SOAK_KILLS ?? 20);
const losses = await killLoadedServer(KILLS, 1000, (k, l) =>
  console.log(
    `kill ${String(k + 1).padStart(2)}: lost ${l.lostS.toFixed(3)} s of ${l.elapsedS.toFixed(2)} s; ${l.sent} requests sent, ${l.requests} answered`,
  ),
);
const kept = losses.filter((l) => l.lostS <= 1).length;
const worst = Math.max(...losses.map((l) => l.lostS));
console.log(`${kept} of ${losses.length} kills under load lost at most 1 s (worst ${worst.toFixed(3)} s)`);
process.exitCode = kept === losses.length ? 0 : 1;
