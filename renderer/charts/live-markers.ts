/** A marker to draw on the live charts: host time (ms since the epoch, the samples' clock) and its text. */
export interface LiveMarker {
  timeMs: number;
  text: string;
}

/** Markers older than this are dropped (the live charts show the last 10 s). */
const KEEP_MS = 60_000;

/**
 * Markers of the recording on screen, shared by the recording panel (which adds them once stored) and the
 * live charts (which draw them at their time on every redraw). Plain data outside React state.
 */
export class LiveMarkerList {
  private items: LiveMarker[] = [];

  add(marker: LiveMarker): void {
    this.items = [...this.items.filter((m) => m.timeMs > marker.timeMs - KEEP_MS), marker];
  }

  /** The markers held, oldest first. */
  get all(): readonly LiveMarker[] {
    return this.items;
  }
}
