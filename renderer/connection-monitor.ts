import { CONNECTION_LOST_AFTER_MS } from '../src/shared/connection-heartbeat.js';

/**
 * What the page knows about its link to Tonus. `connecting`: the first connection is not up yet. `connected`:
 * heard from within the last {@link CONNECTION_LOST_AFTER_MS}. `lost`: the socket closed or fell silent;
 * reconnecting. `refused`: the server answered but refused the access token (a stale or mistyped link).
 */
export type ConnectionState =
  { kind: 'connecting' } | { kind: 'connected' } | { kind: 'lost'; sinceMs: number } | { kind: 'refused' };

/**
 * The connection store: fed by the API client (socket opened, message heard, socket closed, token refused),
 * read by the UI through {@link ConnectionMonitor.subscribe} and {@link ConnectionMonitor.get}.
 * `generation` counts the reconnections after a loss: screens keyed by it reload everything (the resync).
 */
export class ConnectionMonitor {
  private state: ConnectionState = { kind: 'connecting' };
  private lastHeardMs = 0;
  private readonly listeners = new Set<() => void>();
  /** 0 until the first loss is over; +1 at every reconnection after a loss. */
  generation = 0;

  constructor(private readonly lostAfterMs = CONNECTION_LOST_AFTER_MS) {}

  /** The current state; the same object until it changes (for React's useSyncExternalStore). */
  get = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The client starts its first connection attempt: the silence is counted from here. */
  started(nowMs: number): void {
    this.lastHeardMs = nowMs;
  }

  /** The event socket is open (the server accepted the token). */
  opened(nowMs: number): void {
    this.lastHeardMs = nowMs;
    if (this.state.kind === 'connected') return;
    if (this.state.kind === 'lost' || this.state.kind === 'refused') this.generation += 1;
    this.set({ kind: 'connected' });
  }

  /** Anything arrived from the server: an event, a heartbeat or an API answer. */
  heard(nowMs: number): void {
    this.lastHeardMs = nowMs;
  }

  /** The socket closed or failed. A refused token stays refused until a socket opens again. */
  closed(nowMs: number): void {
    if (this.state.kind === 'lost' || this.state.kind === 'refused') return;
    this.set({ kind: 'lost', sinceMs: nowMs });
  }

  /** The server refused the access token. */
  refused(): void {
    if (this.state.kind !== 'refused') this.set({ kind: 'refused' });
  }

  /**
   * Called on a timer: a connection silent for longer than the limit is lost. Returns true when it has just
   * been declared lost, so that the caller drops its socket and reconnects.
   */
  check(nowMs: number): boolean {
    if (this.state.kind === 'lost' || this.state.kind === 'refused') return false;
    if (nowMs - this.lastHeardMs <= this.lostAfterMs) return false;
    this.set({ kind: 'lost', sinceMs: nowMs });
    return true;
  }

  private set(state: ConnectionState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
