import type {
  ApiClient,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../src/shared/api-contract.js';
import { apiEvents, isEventName } from '../src/shared/api-contract.js';
import { decodeBinaryEvent } from '../src/shared/event-wire.js';
import type { Result } from '../src/shared/result.js';
import { ApiFailure } from '../src/shared/result.js';

/** What the Electron preload exposes as `window.tonus` (see electron/preload-api.ts). */
interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /** Desktop shell only: the system's folder dialog; the chosen folder, or null when cancelled. */
  pickFolder?(): Promise<string | null>;
  /** Desktop shell only: the system's open-file dialog; the chosen recording, or null when cancelled. */
  pickFile?(): Promise<string | null>;
}

declare global {
  interface Window {
    tonus?: PreloadBridge;
  }
}

type Listener = (payload: never) => void;

class Listeners {
  private readonly map = new Map<EventName, Set<Listener>>();
  add<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }
  emit(event: EventName, payload: unknown): void {
    for (const l of this.map.get(event) ?? []) (l as (p: unknown) => void)(payload);
  }
}

function unwrap<T>(result: Result<unknown>): T {
  if (result.ok) return result.value as T;
  throw new ApiFailure(result.error.code, result.error.message, result.error.where);
}

/** Client over the Electron preload bridge. */
function bridgeClient(bridge: PreloadBridge): ApiClient {
  const listeners = new Listeners();
  bridge.on((event, payload) => {
    if (isEventName(event)) listeners.emit(event, payload);
  });
  return {
    call: async <M extends MethodName>(method: M, input: MethodInput<M>) =>
      unwrap<MethodOutput<M>>(await bridge.invoke(method, input)),
    on: (event, listener) => listeners.add(event, listener),
  };
}

/** Reads the access token from the URL fragment once, keeps it for this tab, and removes it from the address bar. */
function takeToken(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('tonus-token', fromHash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return sessionStorage.getItem('tonus-token') ?? '';
}

/** Client over HTTP + WebSocket for the browser shell. Reconnects events after a drop. */
function httpClient(): ApiClient {
  const token = takeToken();
  const listeners = new Listeners();
  const connect = (attempt: number): void => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      attempt = 0;
    };
    ws.onmessage = (message: MessageEvent<string | ArrayBuffer>) => {
      if (typeof message.data === 'string') {
        const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
        if (isEventName(event)) listeners.emit(event, payload);
        return;
      }
      const { name, payload } = decodeBinaryEvent(new Uint8Array(message.data));
      if (!isEventName(name)) return;
      const wire = apiEvents[name].wire;
      if (wire) listeners.emit(name, wire.decode(payload));
    };
    ws.onclose = () => setTimeout(() => connect(attempt + 1), Math.min(5000, 250 * 2 ** attempt));
  };
  connect(0);
  return {
    call: async <M extends MethodName>(method: M, input: MethodInput<M>) => {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tonus-token': token },
        body: JSON.stringify(input),
      });
      return unwrap<MethodOutput<M>>((await response.json()) as Result<unknown>);
    },
    on: (event, listener) => listeners.add(event, listener),
  };
}

/** The API client: the preload bridge inside Electron, HTTP + WebSocket in a browser. */
export function createApiClient(): ApiClient {
  return window.tonus ? bridgeClient(window.tonus) : httpClient();
}
