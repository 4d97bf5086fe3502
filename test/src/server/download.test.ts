import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import { readRecordingFile } from '../../../src/io/read-recording.node.js';
import { startServer, type RunningServer } from '../../../src/server/server.js';
import type { PreparedDownload } from '../../../src/shared/api/download-api.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

describe('browser shell downloads', () => {
  let app: TonusApp;
  let server: RunningServer;
  let sessionId: number;
  const staticDir = mkdtempSync(join(tmpdir(), 'tonus-static-'));

  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const r = await fetch(`${server.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tonus-token': server.token },
      body: JSON.stringify(input),
    });
    const result = (await r.json()) as { ok: boolean; value: T; error?: { message: string } };
    if (!result.ok) throw new Error(result.error?.message);
    return result.value;
  };
  const get = (path: string, token: string | null = server.token): Promise<Response> =>
    fetch(`${server.origin}${path}`, { headers: token === null ? {} : { 'x-tonus-token': token } });

  beforeAll(async () => {
    app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-dl-app-')) });
    server = await startServer({
      handlers: app.handlers,
      events: app.events,
      staticDir,
      downloads: app.downloads,
    });
    sessionId = (await call<{ id: number }>('importRecordingFile', { path: fixture })).id;
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('serves each CSV of a prepared export once, to a caller with the token, then deletes it', async () => {
    const prepared = await call<{ files: PreparedDownload[]; expiresInS: number }>('prepareDownload', {
      sessionId,
      format: 'csv',
    });
    expect(prepared.files.map((f) => f.name).sort()).toEqual([
      `session-${sessionId}-emg.csv`,
      `session-${sessionId}-imu.csv`,
    ]);
    const emg = prepared.files.find((f) => f.name.endsWith('-emg.csv')) as PreparedDownload;
    expect((await get(emg.path, null)).status).toBe(401);
    expect((await get(emg.path, 'wrong-token')).status).toBe(401);

    const response = await get(emg.path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${emg.name}"`);
    const raw = new Uint8Array(await response.arrayBuffer());
    expect(raw.length).toBe(emg.bytes);
    const text = new TextDecoder().decode(raw);
    const lines = text.trim().split('\n');
    const header = lines.find((l) => !l.startsWith('#')) ?? '';
    const rows = lines.slice(lines.indexOf(header) + 1);
    const recording = readRecordingFile(fixture);
    const samples = recording.streams.find((s) => s.descriptor.id === 'emg')?.data[0];
    expect(rows).toHaveLength(samples?.length ?? -1);

    const again = await get(emg.path);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already fetched/);
  });

  it('serves a BDF+ export whole and leaves no temporary folder behind', async () => {
    const waiting = (): number => readdirSync(tmpdir()).filter((d) => d.startsWith('tonus-download-')).length;
    const before = waiting();
    const prepared = await call<{ files: PreparedDownload[] }>('prepareDownload', {
      sessionId,
      format: 'bdf',
    });
    expect(prepared.files).toHaveLength(1);
    const file = prepared.files[0] as PreparedDownload;
    const body = new Uint8Array(await (await get(file.path)).arrayBuffer());
    expect(body.length).toBe(file.bytes);
    expect(body[0]).toBe(0xff);
    expect(new TextDecoder().decode(body.subarray(1, 8))).toBe('BIOSEMI');
    await expect.poll(waiting).toBe(before);
  });

  it('refuses an unknown session and an unknown ticket', async () => {
    await expect(call('prepareDownload', { sessionId: 999, format: 'csv' })).rejects.toThrow(
      /no session 999/,
    );
    expect((await get('/download/nope/session-1.bdf')).status).toBe(404);
  });

  it('answers 400 naming the path for a malformed percent-escape', async () => {
    const response = await get('/download/ticket/session-%E0%A4%A.bdf');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(body.error.message).toMatch(/malformed percent-escape/);
    expect(body.error.message).toContain('/download/ticket/session-%E0%A4%A.bdf');
  });
});
