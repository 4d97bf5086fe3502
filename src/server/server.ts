import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandlers, ApiEventSource } from '../shared/api-contract.js';
import { apiEvents, eventNames } from '../shared/api-contract.js';
import { dispatch } from '../shared/dispatch.js';
import { encodeBinaryEvent } from '../shared/event-wire.js';
import { fail } from '../shared/result.js';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_MESSAGE } from '../shared/connection-heartbeat.js';
import { loadStatic } from '../app/static-files.js';
import type { DownloadFile } from '../app/services/download-service.js';
import { takeTurn } from './fair-turns.js';
import { isSameOriginLoopback, newToken, tokenMatches } from './security.js';
import { UploadRefused, UploadStore } from './upload.js';

/** Largest JSON body an API call may carry. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A client that falls this far behind on events gets live frames dropped rather than queued. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface ServerOptions {
  handlers: ApiHandlers;
  events: ApiEventSource;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  /** Defaults to a random port. */
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
  /** Prepared exports (see `prepareDownload`), served once each at `GET /download/<ticket>/<name>`. */
  downloads?: { open(ticket: string, name: string): DownloadFile | undefined };
  /** Interval of the heartbeat sent on every event socket; defaults to {@link HEARTBEAT_INTERVAL_MS}. */
  heartbeatMs?: number;
  /** Largest upload accepted at `POST /upload`; 1 GiB by default. */
  maxUploadBytes?: number;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** What a person opens: the origin with the token in the fragment (never sent to the server or logged). */
  url: string;
  token: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The browser shell: the API contract over HTTP (`POST /api/<method>`, JSON, header `x-tonus-token`) and
 * WebSocket events (`/events?token=…`), plus the renderer's static files. Listens on 127.0.0.1 only and
 * refuses other hosts and origins.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  let port = 0;
  const uploads = new UploadStore(options.maxUploadBytes);

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, fail('internal', String(err)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isSameOriginLoopback(req, port)) {
      sendJson(res, 403, fail('unauthorized', 'Requests are accepted only from this app on this computer.'));
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(res, 405, fail('invalid-input', 'API calls use POST.'));
        return;
      }
      if (!tokenMatches(req.headers['x-tonus-token'] as string | undefined, token)) {
        sendJson(
          res,
          401,
          fail('unauthorized', 'Missing or wrong access token: open the URL Tonus printed.'),
        );
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch (err) {
        sendJson(res, 400, fail('invalid-input', `The request body is not valid JSON: ${String(err)}`));
        return;
      }
      await takeTurn();
      const result = await dispatch(options.handlers, url.pathname.slice('/api/'.length), input);
      sendJson(res, 200, result);
      return;
    }
    if (url.pathname === '/upload') {
      await receiveUpload(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, fail('invalid-input', 'Only GET is served here.'));
      return;
    }
    if (url.pathname.startsWith('/download/')) {
      serveDownload(req, res, url.pathname);
      return;
    }
    const file = await loadStatic(options.staticDir, url.pathname);
    if (!file) {
      sendJson(res, 404, fail('not-found', `Nothing at ${url.pathname}.`));
      return;
    }
    res.writeHead(200, { ...securityHeaders, 'content-type': file.type, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  /** A prepared export, to a caller with the token, once; the file is deleted after it has been sent. */
  /**
   * `POST /upload?name=<file name>` with the token: streams the body to a private temporary file (bounded in
   * size) and answers `{ok, value: {path}}`, the path to give `importRecordingFile`.
   */
  async function receiveUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, fail('invalid-input', 'Uploads use POST.'));
      return;
    }
    if (!tokenMatches(req.headers['x-tonus-token'] as string | undefined, token)) {
      sendJson(res, 401, fail('unauthorized', 'Missing or wrong access token: open the URL Tonus printed.'));
      return;
    }
    try {
      const path = await uploads.receive(req, url.searchParams.get('name') ?? 'upload');
      sendJson(res, 200, { ok: true, value: { path } });
    } catch (err) {
      const status = err instanceof UploadRefused ? err.status : 500;
      sendJson(res, status, fail('invalid-input', err instanceof Error ? err.message : String(err), 'file'));
      if (!req.complete) req.destroy();
    }
  }

  function serveDownload(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (!tokenMatches(req.headers['x-tonus-token'] as string | undefined, token)) {
      sendJson(res, 401, fail('unauthorized', 'Missing or wrong access token: open the URL Tonus printed.'));
      return;
    }
    let parts: string[];
    try {
      parts = pathname.slice('/download/'.length).split('/').map(decodeURIComponent);
    } catch {
      sendJson(
        res,
        400,
        fail('invalid-input', `The download path ${pathname} has a malformed percent-escape.`, 'path'),
      );
      return;
    }
    const [ticket = '', name = ''] = parts;
    const file = options.downloads?.open(ticket, name);
    if (!file) {
      sendJson(res, 404, fail('not-found', 'This download is not available (already fetched or expired).'));
      return;
    }
    res.writeHead(200, {
      ...securityHeaders,
      'content-type': file.contentType,
      'content-length': String(file.bytes),
      'content-disposition': `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    });
    res.on('close', () => file.done());
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (
      url.pathname !== '/events' ||
      !isSameOriginLoopback(req, port) ||
      !tokenMatches(url.searchParams.get('token'), token)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
    });
  });

  const unsubscribers = eventNames.map((name) =>
    options.events.on(name, (payload) => {
      if (clients.size === 0) return;
      const wire = apiEvents[name].wire as { encode: (p: typeof payload) => Uint8Array } | undefined;
      const message = wire
        ? encodeBinaryEvent(name, wire.encode(payload))
        : JSON.stringify({ event: name, payload });
      for (const ws of clients) {
        if (wire && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
        ws.send(message);
      }
    }),
  );

  // Pages detect a dead or hung server by the silence (see connection-heartbeat.ts).
  const heartbeat = setInterval(() => {
    for (const ws of clients) ws.send(HEARTBEAT_MESSAGE);
  }, options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      clearInterval(heartbeat);
      reject(e);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    async close() {
      clearInterval(heartbeat);
      for (const u of unsubscribers) u();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      uploads.close();
    },
  };
}
