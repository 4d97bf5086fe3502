import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventHub } from '../../../src/app/event-hub.js';
import { resolveStaticPath } from '../../../src/app/static-files.js';
import { startServer, type RunningServer } from '../../../src/server/server.js';
import { handlersWith } from '../../support/handlers.js';
import type { ApiHandlers } from '../../../src/shared/api-contract.js';
import { decodeBinaryEvent } from '../../../src/shared/event-wire.js';
import { decodeLiveFrame } from '../../../src/shared/live-frame.js';
import { HEARTBEAT_INTERVAL_MS, isHeartbeat } from '../../../src/shared/connection-heartbeat.js';

const handlers: ApiHandlers = handlersWith({
  listDevices: async () => [],
  startStream: async ({ deviceId }) => ({ state: 'streaming', deviceId }),
  stopStream: async () => ({ state: 'stopped', deviceId: null }),
  getStreamStatus: async () => ({ state: 'idle', deviceId: null }),
  setLiveView: async () => ({}),
});

/** Raw request, so that Host and Origin can be set as an attacker's page would. */
function raw(
  server: RunningServer,
  path: string,
  headers: Record<string, string>,
  body = '{}',
): Promise<{ status: number; body: string }> {
  const url = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, method: 'POST', headers }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser shell server', () => {
  let server: RunningServer;
  const hub = new EventHub();
  const staticDir = mkdtempSync(join(tmpdir(), 'tonus-static-'));

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tonus</title>');
    server = await startServer({ handlers, events: hub, staticDir });
  });
  afterAll(async () => server.close());

  it('listens on 127.0.0.1 only and prints a URL carrying the token in the fragment', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('runs a method for a caller with the token', async () => {
    const res = await raw(
      server,
      '/api/startStream',
      { 'x-tonus-token': server.token, host: new URL(server.origin).host },
      '{"deviceId":"synthetic"}',
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { state: 'streaming', deviceId: 'synthetic' } });
  });

  it('refuses a missing or wrong token', async () => {
    const host = new URL(server.origin).host;
    expect((await raw(server, '/api/listDevices', { host })).status).toBe(401);
    expect((await raw(server, '/api/listDevices', { host, 'x-tonus-token': 'x'.repeat(32) })).status).toBe(
      401,
    );
  });

  it('refuses other origins and other host names (DNS rebinding)', async () => {
    const host = new URL(server.origin).host;
    expect(
      (
        await raw(server, '/api/listDevices', {
          host,
          origin: 'http://evil.example',
          'x-tonus-token': server.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (await raw(server, '/api/listDevices', { host: 'evil.example', 'x-tonus-token': server.token })).status,
    ).toBe(403);
  });

  it('answers malformed JSON with a clear invalid-input error', async () => {
    const res = await raw(
      server,
      '/api/startStream',
      { host: new URL(server.origin).host, 'x-tonus-token': server.token },
      '{nope',
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('invalid-input');
  });

  it('serves the renderer with a Content Security Policy', async () => {
    const res = await fetch(`${server.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Tonus</title>');
  });

  it('serves no source map, with or without the token', async () => {
    writeFileSync(join(staticDir, 'assets', 'index-x.js'), 'console.log(1);');
    writeFileSync(join(staticDir, 'assets', 'index-x.js.map'), '{"version":3,"sources":["app.tsx"]}');
    expect((await fetch(`${server.origin}/assets/index-x.js`)).status).toBe(200);
    expect((await fetch(`${server.origin}/assets/index-x.js.map`)).status).toBe(404);
    const withToken = await fetch(`${server.origin}/assets/index-x.js.map?token=${server.token}`, {
      headers: { 'x-tonus-token': server.token },
    });
    expect(withToken.status).toBe(404);
    expect(await withToken.text()).not.toContain('app.tsx');
  });

  it('never resolves a static path outside its folder', () => {
    expect(resolveStaticPath(staticDir, '/../../etc/passwd')).toBe(join(staticDir, 'etc/passwd'));
    expect(resolveStaticPath(staticDir, '/%2e%2e/%2e%2e/etc/passwd')?.startsWith(staticDir)).toBe(true);
    expect(resolveStaticPath(staticDir, '/%E0%A4%A')).toBeUndefined();
  });

  it('pushes events over WebSocket: JSON for plain events, binary for live frames', async () => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/events?token=${server.token}`, {
      origin: server.origin,
    });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const received: unknown[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        if (!isHeartbeat(data.toString())) received.push(JSON.parse(data.toString()));
      } else {
        const { name, payload } = decodeBinaryEvent(new Uint8Array(data));
        received.push({ event: name, payload: decodeLiveFrame(payload) });
      }
    });
    hub.emit('streamStatus', { state: 'streaming', deviceId: 'synthetic' });
    const frame = {
      sentAtMs: 1,
      streams: [
        {
          deviceId: 'd',
          streamId: 's',
          firstColumn: 0,
          columns: 1,
          channelCount: 1,
          samplesPerColumn: 2,
          lastSampleTimeMs: 1,
          min: Float32Array.of(-1),
          max: Float32Array.of(1),
        },
      ],
    };
    hub.emit('liveFrame', frame);
    await expect.poll(() => received.length).toBe(2);
    expect(received[0]).toEqual({
      event: 'streamStatus',
      payload: { state: 'streaming', deviceId: 'synthetic' },
    });
    expect(received[1]).toEqual({ event: 'liveFrame', payload: frame });
    ws.close();
  });

  it('sends a heartbeat on every event socket, so that a page notices a dead server by the silence', async () => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/events?token=${server.token}`, {
      origin: server.origin,
    });
    const beats: number[] = [];
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary && isHeartbeat(data.toString())) beats.push(Date.now());
    });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    await expect.poll(() => beats.length, { timeout: 10 * HEARTBEAT_INTERVAL_MS }).toBeGreaterThanOrEqual(3);
    ws.close();
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const attempt = (url: string, origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin });
        ws.once('open', () => resolve('open'));
        ws.once('error', () => resolve('refused'));
      });
    const base = `${server.origin.replace('http', 'ws')}/events`;
    expect(await attempt(`${base}?token=wrong`, server.origin)).toBe('refused');
    expect(await attempt(`${base}?token=${server.token}`, 'http://evil.example')).toBe('refused');
  });
});
