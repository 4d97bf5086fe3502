import type { ApiEventSource, EventName, EventPayload } from '../shared/api-contract.js';

/** The app's side of the contract's events: services emit, bindings subscribe. */
export class EventHub implements ApiEventSource {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as (p: EventPayload<E>) => void)(payload);
  }

  /** Whether anyone listens to `event`: lets producers skip work nobody will see. */
  hasListeners(event: EventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }
}
