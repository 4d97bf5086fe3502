/** Longest run of request work in one event-loop turn before the rest waits for the next turn, ms. */
export const TURN_MS = 10;

let turnStartedAtMs = Date.now();
let isResetScheduled = false;

/** Starts a new turn in the check phase of this loop iteration (after timers and I/O polling have run). */
function scheduleNewTurn(): void {
  if (isResetScheduled) return;
  isResetScheduled = true;
  setImmediate(() => {
    isResetScheduled = false;
    turnStartedAtMs = Date.now();
  });
}

/**
 * Resolves at once while the current event-loop turn has run less than {@link TURN_MS} of request work;
 * otherwise waits for a later turn. So a flood of concurrent requests, each doing a little synchronous work,
 * cannot hold the loop for long: between turns Node runs expired timers (the recorder's flush, the demo
 * device) and polls I/O (serial and BLE data). Waiting requests go on in their arrival order.
 */
export async function takeTurn(nowMs: () => number = Date.now): Promise<void> {
  while (nowMs() - turnStartedAtMs >= TURN_MS) {
    scheduleNewTurn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
