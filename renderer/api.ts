import type {
  ApiClient,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '../src/shared/api-contract.js';
import { apiEvents, isEventName } from '../src/shared/api-contract.js';
import { HEARTBEAT_INTERVAL_MS, isHeartbeat } from '../src/shared/connection-heartbeat.js';
import { decodeBinaryEvent } from '../src/shared/event-wire.js';
import type { Result } from '../src/shared/result.js';
import { ApiFailure } from '../src/shared/result.js';
import type { ConnectionMonitor } from './connection-monitor.js';

/** What the Electron preload exposes as `window.tonus` (see electron/preload-api.ts). */
interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /** Desktop shell only: the system's folder dialog; the chosen folder, or null when cancelled. */
  pickFolder?(): Promise<string | null>;
  /** Desktop shell only: prints the page (the visit report) to PDF and saves it; the path, or null. */
  saveReportPdf?(fileName: string): Promise<string | null>;
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

/** Client over the Electron preload bridge: the API runs in the same app, so the connection cannot drop. */
function bridgeClient(bridge: PreloadBridge, connection: ConnectionMonitor): ApiClient {
  connection.opened(Date.now());
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

/** Longest wait between reconnection attempts: Tonus runs on this computer, so it is back in a moment. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** What a call says when the server cannot be reached, instead of the browser's "Failed to fetch". */
const NO_CONNECTION = 'No connection to Tonus: nothing was changed. It will work again once Tonus is back.';
const REFUSED =
  'Tonus refused the access token of this page: open the address Tonus printed when it started (with its token).';

/**
 * Client over HTTP + WebSocket for the browser shell. The event socket is the connection's pulse: it is
 * declared lost when it closes or falls silent (no heartbeat), and reopened until the server is back.
 */
function httpClient(connection: ConnectionMonitor): ApiClient {
  const token = takeToken();
  const listeners = new Listeners();
  let socket: WebSocket | undefined;
  const connect = (attempt: number): void => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.binaryType = 'arraybuffer';
    let opened = false;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      connection.opened(Date.now());
    };
    ws.onmessage = (message: MessageEvent<string | ArrayBuffer>) => {
      connection.heard(Date.now());
      if (typeof message.data === 'string') {
        if (isHeartbeat(message.data)) return;
        const { event, payload } = JSON.parse(message.data) as { event: string; payload: unknown };
        if (isEventName(event)) listeners.emit(event, payload);
        return;
      }
      const { name, payload } = decodeBinaryEvent(new Uint8Array(message.data));
      if (!isEventName(name)) return;
      const wire = apiEvents[name].wire;
      if (wire) listeners.emit(name, wire.decode(payload));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      connection.closed(Date.now());
      if (!opened) void probeToken();
      setTimeout(() => connect(attempt + 1), Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempt));
    };
  };
  /** A socket refused before opening: a server that answers 401 has refused the token, not gone away. */
  const probeToken = async (): Promise<void> => {
    try {
      const response = await fetch('/api/getSettings', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tonus-token': token },
        body: '{}',
      });
      if (response.status === 401) connection.refused();
    } catch {
      // Not reachable: the connection is lost, which it already says.
    }
  };
  connection.started(Date.now());
  connect(0);
  // A silent socket (a hung server, a dropped network) is dropped and reopened.
  setInterval(() => {
    if (connection.check(Date.now()) && socket) {
      const dead = socket;
      socket = undefined;
      dead.close();
      connect(1);
    }
  }, HEARTBEAT_INTERVAL_MS / 4);
  return {
    call: async <M extends MethodName>(method: M, input: MethodInput<M>) => {
      let response: Response;
      try {
        response = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tonus-token': token },
          body: JSON.stringify(input),
        });
      } catch {
        connection.closed(Date.now());
        throw new ApiFailure('internal', NO_CONNECTION);
      }
      connection.heard(Date.now());
      if (response.status === 401) {
        connection.refused();
        throw new ApiFailure('unauthorized', REFUSED);
      }
      return unwrap<MethodOutput<M>>((await response.json()) as Result<unknown>);
    },
    on: (event, listener) => listeners.add(event, listener),
  };
}

/** The API client: the preload bridge inside Electron, HTTP + WebSocket in a browser; it feeds `connection`. */
export function createApiClient(connection: ConnectionMonitor): ApiClient {
  return window.tonus ? bridgeClient(window.tonus, connection) : httpClient(connection);
}
